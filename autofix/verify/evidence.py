"""The evidence a verification run leaves: every arm, every verdict, the choice."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from ..training.arms import ArmResult
from .verdict import Verdict


@dataclass
class ArmRow:
    """One trained arm as the summary table shows it."""

    stage: str
    name: str
    seed: int
    steps: int
    score: float
    gain: float | None
    seconds: float
    verdict: str


def table_lines(rows: list[ArmRow], metric: str) -> list[str]:
    """The arms as a table: stage, arm, seed, steps, score, gain over its original, seconds, verdict."""
    if not rows:
        return []
    width = min(44, max(len("arm"), *(len(r.name) for r in rows)))
    col = max(7, len(metric))
    lines = [f"  {'stage':<9} {'arm':<{width}} {'seed':>4} {'steps':>6} {metric:>{col}} {'gain':>7} "
             f"{'time':>7}  verdict"]
    for r in rows:
        score = f"{r.score:>{col}.3f}" if math.isfinite(r.score) else f"{'-':>{col}}"
        gain = f"{r.gain:>+7.3f}" if r.gain is not None and math.isfinite(r.gain) else f"{'':>7}"
        lines.append(f"  {r.stage:<9} {r.name[:width]:<{width}} {r.seed:>4} {r.steps:>6} {score} {gain} "
                     f"{r.seconds:>6.1f}s  {r.verdict}")
    return lines


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
    #: Steps of the original arm a schedule candidate is judged against (others: ``steps``).
    baseline_steps: dict[str, int] = field(default_factory=dict)
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
        rows = self.rows()
        lines = [
            f"Verification: {self.metric} on {self.n_val} held-out rows after {self.steps} steps x batch "
            f"{self.batch_size} per arm ({self.n_train} training rows, seed {self.seed}); "
            f"{budget}took {self.seconds:.1f} s; {len(rows)} arm(s):",
            *table_lines(rows, self.metric),
        ]
        for arm in self.arms.get("original", []):
            steps = f", {arm.steps} steps" if self.baseline_steps else ""  # two originals per seed
            lines.append(f"  original (seed {arm.seed}{steps}): {arm.score:.3f}{_loss_curve(arm)} "
                         f"[{arm.seconds:.1f} s]")
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
            lines.extend(self.search.summary_lines(table=False))
        if self.chosen:
            how = "forced (not confirmed)" if self.forced else "verified"
            lines.append(f"Chosen ({how}): {self.chosen}")
        else:
            lines.append("Chosen: none; the original model is returned")
        lines.extend(f"  note: {note}" for note in self.notes)
        return lines

    def rows(self) -> list[ArmRow]:
        """Every trained arm: the rule stage's (per candidate, the original first), then the search's."""
        searched = set(getattr(self.search, "candidates", ()) or ())
        verdicts = {v.candidate: v for v in self.verdicts}
        first = list(reversed(self.arms.get("original", [])))  # the first arm of a seed and steps wins
        originals = {**{arm.seed: arm.score for arm in first}, **{(arm.seed, arm.steps): arm.score for arm in first}}
        out = []
        for name, runs in self.arms.items():
            if name in searched:
                continue
            for arm in runs:
                verdict = verdicts.get(name)
                steps = self.baseline_steps.get(name)
                before = None if name == "original" else originals.get((arm.seed, steps or self.steps),
                                                                        None if steps else originals.get(arm.seed))
                out.append(ArmRow("rules", name, arm.seed, arm.steps, arm.score,
                                  None if before is None else arm.score - before, arm.seconds,
                                  _verdict_text(verdict) if verdict else
                                  ("baseline" if name == "original" else "not judged")))
        if self.search is not None and hasattr(self.search, "rows"):
            out.extend(self.search.rows())
        return out

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["confirmed"] = self.confirmed
        return out


def _verdict_text(verdict: Verdict) -> str:
    return f"{'CONFIRMED' if verdict.accepted else 'not confirmed'}: {verdict.reason}"


def _loss_curve(arm: ArmResult) -> str:
    loss = arm.history.get("loss") or []
    return f"; loss {loss[0]:.3g} -> {loss[-1]:.3g} over {len(loss)} epoch(s)" if loss else ""
