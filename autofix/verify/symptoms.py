"""What verification checks beside the score: each rule's goal and its symptom check.

A rule whose ``verify_goal`` is ``"no_worse"`` is confirmed when the repaired
model is not worse than the original by more than the noise margin and, when
the rule has a symptom check (:meth:`~autofix.rules.base.Rule.symptom_gone`),
the check shows the symptom gone on the held-out rows.  The checks read an
arm's :func:`~autofix.training.metrics.metric_report`.
"""

from __future__ import annotations

from typing import Any

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
