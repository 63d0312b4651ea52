"""Candidate repairs that verification trains against the original model.

The candidates are: the default fix set (each finding's first fix), each
finding's alternative fixes, a learning-rate search (/10, /100, or x10, x100
when the rate is too low; x100 and the rule's proposed rate when that lies beyond
x100) when a learning-rate finding is present, and for a
symptom several rules cure (a train/inference gap: renorm, shuffle, input
normalisation) each cure on its own as well as together.  Which rules are
competing cures and which trigger a learning-rate search is declared on the
rule classes (``cure_of``, ``cure_prior``, ``searches_learning_rate``).

Only the first few, by :func:`rank`, are trained: the default fix set, then
the competing cures alone (in the order of the rules' priors), then
alternatives by the severity of their finding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..edits import SetLayerArg, SetLoss, SetOptimizerArg
from ..engine import fix_allowed
from ..findings import Applicability, Finding, Fix, Severity
from ..live.rebuild import apply_edits
from ..live.repair import repair
from ..rules import REGISTRY
from ..strategies.base import proposed_rate
from ..training.arms import current_learning_rate

#: Candidates trained by default (the rest are listed in the evidence as not tried).
MAX_TRAINED = 3
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass
class Candidate:
    """A repaired model and the fixes that made it."""

    name: str
    model: Any
    fit_kwargs: dict[str, Any]
    applied: list[tuple[Finding, Fix]]
    remaining: list[Finding]
    reinitialised: list[str] = field(default_factory=list)
    #: The finding code this candidate was built to test (None for the default fix set).
    focus: str | None = None
    #: Data fixes the candidate trains on (:func:`autofix.data_prep.prepare_arrays`).
    data_edits: list = field(default_factory=list)

    @property
    def signature(self) -> tuple:
        return tuple(sorted(fx.title for _, fx in self.applied))

    @property
    def changes_head(self) -> bool:
        """Whether a fix changed the output width or loss (labels may need converting)."""
        return any(isinstance(e, SetLoss) or (isinstance(e, SetLayerArg) and e.arg == "units")
                   for _, fx in self.applied for e in fx.edits)

    def describe(self) -> str:
        return "; ".join(f"{f.code}: {fx.title}" for f, fx in self.applied) or "no change"


def _repair(name: str, model: Any, x: Any, y: Any, fit_kwargs: dict | None, rules: list, unsafe: bool,
            prefer: dict[str, int] | None = None, focus: str | None = None) -> Candidate:
    outcome = repair(model, x, y, fit_kwargs=fit_kwargs, rules=rules, unsafe_fixes=unsafe, prefer=prefer)
    state = outcome.state
    return Candidate(name, state.model, dict(state.fit_kwargs), list(outcome.applied),
                     list(outcome.remaining.findings), sorted(set(state.reinitialised_layers)), focus,
                     list(state.data_edits))


def searched_rates(finding: Finding, rate: float) -> list[float]:
    """The two learning rates verification tries for a learning-rate finding: x10 and x100 when the rule's
    proposed rate is higher (/10 and /100 otherwise); when the proposed rate lies beyond x100 (Adam at 1e-6,
    whose proposed 1e-3 is 1000x away), x100 and the proposed rate itself."""
    proposed = (proposed_rate(finding) or (None, None))[1]
    factors = (10.0, 100.0) if proposed is not None and proposed > rate else (0.1, 0.01)
    if proposed is not None and abs(math.log10(proposed / rate)) > abs(math.log10(factors[-1])) + 1e-9:
        return [rate * factors[-1], proposed]
    return [rate * k for k in factors]


def _with_learning_rate(base: Candidate, rate: float, finding: Finding) -> Candidate:
    """``base`` with the optimizer's learning rate set to ``rate`` (credited to ``finding``)."""
    edit = SetOptimizerArg("learning_rate", float(f"{rate:.3g}"))
    rebuilt = apply_edits(base.model, [edit], base.fit_kwargs)
    fix = Fix(f"set learning_rate={edit.value:g} (searched by verification)", (edit,), Applicability.UNSAFE)
    label = f"learning_rate={edit.value:g}"
    name = label if base.name == "original" else f"{base.name} + {label}"
    remaining = [f for f in base.remaining if not _searches_rate(f.code)]
    return Candidate(name, rebuilt.model, dict(rebuilt.fit_kwargs), [*base.applied, (finding, fix)],
                     remaining, list(base.reinitialised), finding.code, list(base.data_edits))


def _searches_rate(code: str) -> bool:
    return code in REGISTRY and REGISTRY[code].searches_learning_rate


def _cure(code: str) -> tuple[str, int] | None:
    """(symptom, prior rank) when ``code``'s rule declares its fix a competing cure."""
    rule = REGISTRY.get(code)
    return (rule.cure_of, rule.cure_prior) if rule is not None and rule.cure_of else None


def _alternatives(findings: Iterable[Finding], unsafe: bool) -> Iterable[tuple[Finding, int, Fix]]:
    for finding in findings:
        allowed = [(i, fx) for i, fx in enumerate(finding.fixes) if fix_allowed(fx, unsafe=unsafe)]
        for index, fix in allowed[1:]:
            yield finding, index, fix


def enumerate_candidates(model: Any, x: Any, y: Any, *, fit_kwargs: dict | None, rules: list, unsafe: bool,
                         findings: list[Finding], limit: int = MAX_TRAINED) -> list[Candidate]:
    """Distinct candidate repairs, most promising first (:func:`rank`), at most ``limit``."""
    default = _repair("default fixes", model, x, y, fit_kwargs, rules, unsafe)
    out = [default] if default.applied else []
    for finding, index, fix in _alternatives(findings, unsafe):
        out.append(_repair(f"{finding.code} alternative: {fix.title}", model, x, y, fit_kwargs, rules,
                           unsafe, prefer={finding.code: index}, focus=finding.code))
    rate = current_learning_rate(model)
    lr_findings = [f for f in findings if _searches_rate(f.code)]
    if lr_findings and rate:
        base = default if default.applied else Candidate("original", model, dict(fit_kwargs or {}), [], findings)
        out.extend(_with_learning_rate(base, r, lr_findings[0]) for r in searched_rates(lr_findings[0], rate))
    cures: dict[str, list[str]] = {}
    for code in sorted({f.code for f, _ in default.applied if _cure(f.code)}):
        cures.setdefault(_cure(code)[0], []).append(code)
    for symptom, codes in cures.items():
        if len(codes) < 2:
            continue
        for code in codes:
            kept = [r for r in rules if r.code == code or r.code not in codes]
            fix_title = next(fx.title for f, fx in default.applied if f.code == code)
            out.append(_repair(f"{code} only: {fix_title}", model, x, y, fit_kwargs, kept, unsafe, focus=code))
    unique: dict[tuple, Candidate] = {}
    for candidate in out:
        if candidate.applied:
            unique.setdefault(candidate.signature, candidate)
    return rank(list(unique.values()), findings)[:limit]


def rank(candidates: list[Candidate], findings: list[Finding]) -> list[Candidate]:
    """Most promising first: the default set, then competing cures alone (by their rules' priors),
    then the rest.

    The rest (alternative fixes, learning-rate searches) come by the severity of
    their finding, then fewer unsafe fixes; ties keep their enumeration order.
    """
    severity = {f.code: _SEVERITY_RANK.get(f.severity, 2) for f in findings}

    def key(item: tuple[int, Candidate]) -> tuple:
        index, c = item
        if c.focus is None:
            return 0, 0, 0, index
        cure = _cure(c.focus)
        if cure is not None:
            return 1, cure[1], 0, index
        unsafe = sum(fx.applicability is Applicability.UNSAFE for _, fx in c.applied)
        return 2, severity.get(c.focus, 1), unsafe, index

    return [c for _, c in sorted(enumerate(candidates), key=key)]
