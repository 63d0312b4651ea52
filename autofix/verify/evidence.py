"""The evidence a verification run leaves: every arm, every verdict, the choice."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..training.arms import ArmResult
from .verdict import Verdict


@dataclass
class Verification:
    """What was compared, under which budget, and what was decided."""

    metric: str
    seed: int
    steps: int
    batch_size: int
    n_train: int
    n_val: int
    budget: float | None
    seconds: float = 0.0
    arms: dict[str, list[ArmResult]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    verdicts: list[Verdict] = field(default_factory=list)
    chosen: str | None = None
    forced: bool = False
    notes: list[str] = field(default_factory=list)
    #: The repair search (:class:`autofix.verify.search.SearchReport`), or None when it was disabled.
    search: Any = None

    @property
    def confirmed(self) -> bool:
        return any(v.accepted for v in self.verdicts)

    def record(self, arm: ArmResult) -> ArmResult:
        self.arms.setdefault(arm.name, []).append(arm)
        return arm

    def summary_lines(self) -> list[str]:
        budget = f"budget {self.budget:g} s, " if self.budget else ""
        lines = [
            f"Verification: {self.metric} on {self.n_val} held-out rows after {self.steps} steps x batch "
            f"{self.batch_size} per arm ({self.n_train} training rows, seed {self.seed}); "
            f"{budget}took {self.seconds:.1f} s",
        ]
        for arm in self.arms.get("original", []):
            lines.append(f"  original (seed {arm.seed}): {arm.score:.3f}{_loss_curve(arm)} [{arm.seconds:.1f} s]")
        for verdict in self.verdicts:
            runs = self.arms.get(verdict.candidate, [])
            cost = sum(a.seconds for a in runs)
            before = "/".join(f"{v:.3f}" for v in verdict.before)
            after = "/".join(f"{v:.3f}" for v in verdict.after)
            mark = "CONFIRMED" if verdict.accepted else "not confirmed"
            lines.append(f"  {verdict.candidate}: {before} -> {after} (gain {verdict.gain:+.3f}, margin "
                         f"{verdict.margin:.3f}) {mark}: {verdict.reason}"
                         f"{_loss_curve(runs[0]) if runs else ''} [{cost:.1f} s]")
            lines.extend(f"      {line}" for line in verdict.evidence)
            for run in runs:
                if run.label_note:
                    lines.append(f"      {run.label_note}")
                if run.error:
                    lines.append(f"      error: {run.error}")
        if self.search is not None:
            lines.extend(self.search.summary_lines())
        if self.chosen:
            how = "forced (not confirmed)" if self.forced else "verified"
            lines.append(f"Chosen ({how}): {self.chosen}")
        else:
            lines.append("Chosen: none; the original model is returned")
        lines.extend(f"  note: {note}" for note in self.notes)
        return lines

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["confirmed"] = self.confirmed
        return out


def _loss_curve(arm: ArmResult) -> str:
    loss = arm.history.get("loss") or []
    return f"; loss {loss[0]:.3g} -> {loss[-1]:.3g} over {len(loss)} epoch(s)" if loss else ""
