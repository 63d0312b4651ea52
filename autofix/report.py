"""The result of :func:`autofix.fix`: the new model plus a readable report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from . import data_prep
from .edits import DATA_EDITS, edit_to_dict
from .findings import Applicability, Finding, Fix, Skip


#: The summary line for ``FixResult.label_encoding``.
LABEL_LINES = {
    "indices": "labels: pass class indices 0/1, e.g. y.argmax(-1)",
    "onehot": "labels: pass one-hot rows, e.g. keras.utils.to_categorical(y)",
}

#: Why a fix of the training data stays a suggestion on a live model.
DATA_WHY = "changes the training data: fix() cannot change your arrays, write it in the code that makes them"


@dataclass
class FixResult:
    """A repaired model and what was done to get it.

    ``model`` is a new compiled model (the input model is never changed);
    when nothing could be fixed it is the input model itself and ``changed``
    is False.  ``fit_kwargs`` carries fit() settings that fixes changed
    (``shuffle``, ``class_weight``), to pass to ``model.fit``; ``data_edits`` the
    data fixes to train it on: ``x, y = result.prepare(x, y)``.
    """

    model: Any
    original: Any
    findings: list[Finding]
    applied: list[tuple[Finding, Fix]]
    remaining: list[Finding]
    skips: list[Skip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fit_kwargs: dict[str, Any] = field(default_factory=dict)
    params_before: Any = None
    params_after: Any = None
    reinitialised_layers: list[str] = field(default_factory=list)
    #: ``"indices"`` when a fix needs class indices instead of one-hot labels.
    label_encoding: str | None = None
    #: Data fixes (:class:`~autofix.edits.ChangeData`) that :meth:`prepare` applies to arrays.
    data_edits: list = field(default_factory=list)
    verification: Any = None
    unsafe_fixes: bool = True

    @property
    def changed(self) -> bool:
        return self.model is not self.original

    @property
    def suggestions(self) -> list[tuple[Finding, Fix]]:
        """Display-only or not-applied fixes left for the user to consider."""
        return [
            (f, fx) for f in self.remaining for fx in f.fixes[:1]
        ]

    def prepare(self, x: Any, y: Any) -> tuple[Any, Any]:
        """``(x, y)`` as the repaired model must be trained on them (the data fixes applied;
        unchanged when there are none).  Apply it to held-out ``(x, y)`` too: a target rescale
        changes their unit, a shuffle changes nothing a score reads."""
        return data_prep.prepare_arrays(self.data_edits, x, y) if self.data_edits else (x, y)

    def summary(self, print_fn: Callable[[str], Any] | None = None) -> None:
        """Print what was found, what was changed and the parameter counts."""
        emit = print_fn or print
        for line in self.summary_lines():
            emit(line)

    def summary_lines(self) -> list[str]:
        lines = [f"autofix: {len(self.findings)} finding(s), {len(self.applied)} fix(es) applied"]
        for finding in self.findings:
            lines.append(f"  {finding.render()}")
        if self.applied:
            lines.append("Applied:")
            for finding, fix in self.applied:
                lines.append(f"  {finding.code} {finding.name}: {fix.title} ({fix.applicability.value})")
        if self.suggestions:
            lines.append("Not applied (review these):")
            for finding, fix in self.suggestions:
                why = "suggestion only" if fix.applicability == Applicability.DISPLAY_ONLY else (
                    "unsafe fix; pass unsafe_fixes=True"
                    if fix.applicability == Applicability.UNSAFE and not self.unsafe_fixes
                    else DATA_WHY if any(isinstance(e, DATA_EDITS) and not data_prep.applies_to_arrays(e)
                                         for e in fix.edits)
                    else "not applied, see notes")
                lines.append(f"  {finding.code} {finding.name}: {fix.title} [{why}]")
        if self.params_before is not None:
            lines.append(f"Parameters: {self.params_before:,} -> {self.params_after:,}")
        if self.reinitialised_layers:
            lines.append(f"Re-initialised (new shapes): {', '.join(self.reinitialised_layers)}")
        if self.fit_kwargs:
            lines.append(f"Train with: model.fit(x, y, **{self.fit_kwargs!r})")
        if self.data_edits:
            lines.append(f"Data: x, y = result.prepare(x, y) before fit() ({data_prep.describe(self.data_edits)})")
        if self.label_encoding:
            lines.append(LABEL_LINES.get(self.label_encoding, f"labels: pass them as {self.label_encoding}"))
        lines.extend(skip_lines(self.skips))
        lines.extend(f"Note: {note}" for note in self.notes)
        if self.verification is not None and hasattr(self.verification, "summary_lines"):
            lines.extend(self.verification.summary_lines())
        return lines

    def plot(self, path: Any = None) -> Any:
        """Before/after training curves of verification (``fix(..., verify=True)``); needs matplotlib."""
        if self.verification is None:
            raise ValueError("nothing to plot: call autofix.fix(..., verify=True) to get training curves")
        from .verify.plot import plot_verification

        return plot_verification(self.verification, path)

    def to_dict(self) -> dict[str, Any]:
        return {
            "changed": self.changed,
            "findings": [f.to_dict() for f in self.findings],
            "applied": [{"rule": f.code, **fx.to_dict()} for f, fx in self.applied],
            "remaining": [f.to_dict() for f in self.remaining],
            "skipped": [{"rule": s.code, "reason": s.reason} for s in self.skips],
            "notes": list(self.notes),
            "fit_kwargs": self.fit_kwargs,
            "label_encoding": self.label_encoding,
            "data_edits": [edit_to_dict(e) for e in self.data_edits],
            "params_before": self.params_before,
            "params_after": self.params_after,
            "verification": self.verification.to_dict() if hasattr(self.verification, "to_dict") else None,
        }


def skip_lines(skips: list[Skip]) -> list[str]:
    """One line per distinct reason: ``Skipped AF401, AF402: no training data was given``."""
    by_reason: dict[str, list[str]] = {}
    for skip in skips:
        by_reason.setdefault(skip.reason, []).append(skip.code)
    return [f"Skipped {', '.join(codes)}: {reason}" for reason, codes in by_reason.items()]
