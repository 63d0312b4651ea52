"""What verification checks beside the score: each rule's goal and its symptom check.

A rule whose ``verify_goal`` is ``"no_worse"`` is confirmed when the repaired
model is not worse than the original by more than the noise margin and, when
the rule has a symptom check (:meth:`~autofix.rules.base.Rule.symptom_gone`),
the check shows the symptom gone on the held-out rows.  The checks read an
arm's :func:`~autofix.training.metrics.metric_report`.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

from ..rules import REGISTRY


def goal_of(codes: list[str]) -> str:
    """``"no_worse"`` when every fix comes from a rule with that goal, else ``"improve"``."""
    goals = {getattr(REGISTRY.get(code), "verify_goal", "improve") for code in codes}
    return "no_worse" if goals == {"no_worse"} else "improve"


def check_symptoms(codes: list[str], report: dict[str, Any] | None) -> tuple[bool, list[str]]:
    """Run the symptom checks of the rules behind ``codes``: (all gone, evidence lines)."""
    results = [(code, result) for code in dict.fromkeys(codes) if code in REGISTRY
               for result in [REGISTRY[code].symptom_gone(report)] if result is not None]
    return all(ok for _, (ok, _) in results), [f"{code}: {text}" for code, (_, text) in results]


def falling_steeply(losses: list[float], *, drop: float = 0.01, left: float = 0.5) -> str | None:
    """Evidence that training stopped while its loss still fell steeply: the last epoch took off at least
    ``drop`` of the loss and the loss is still above ``left`` of its first epoch's; else None."""
    if len(losses) < 3 or not all(math.isfinite(v) and v > 0 for v in losses):
        return None
    if (losses[-2] - losses[-1]) / losses[-2] >= drop and losses[-1] >= left * losses[0]:
        return f"loss {losses[0]:.3g} -> {losses[-1]:.3g}, still falling {100 * (1 - losses[-1] / losses[-2]):.1f}%/epoch"
    return None


def rate_rule_fired(findings: Iterable[Any]) -> bool:
    """Whether a learning-rate rule (its rate display-only until verified) is among ``findings``."""
    return any(getattr(REGISTRY.get(f.code), "searches_learning_rate", False) for f in findings)


def rate_evidence(findings: Iterable[Any], losses: list[float]) -> dict[str, str]:
    """``{"still-falling": why}`` when a learning-rate rule fired and the loss still fell steeply at the end
    of the run: a symptom that triggers the repair search on both paths (the rule's own rate may not be
    the cure: the optimiser, the inputs or the schedule may be)."""
    why = falling_steeply(losses) if rate_rule_fired(findings) else None
    return {"still-falling": f"{why} while a learning-rate rule fired"} if why else {}
