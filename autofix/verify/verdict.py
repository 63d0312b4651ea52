"""Accept a candidate only when it beats the original by more than the noise.

The noise margin on accuracy is twice the binomial standard error of the
difference of two accuracies on ``n`` validation rows, and never less than
``min_gain``; on an MSE it is ``min_gain`` relative to the original's, on an
R^2 (``absolute``) ``min_gain`` itself.  A gain above twice the margin is accepted on one seed; a
positive gain below that is re-measured with a second seed (both arms) and
accepted only when both seeds agree and the mean gain exceeds the margin.
Verdicts are pure functions of the scores, so the same seed gives the same
verdict.

A candidate whose fixes all have the goal ``"no_worse"`` (they correct what the
model reports, or its spelling, not how it learns: AF206, AF501, AF502; or their
fault is shown without training, so a short run can only guard against harm:
AF105, AF201, AF208, AF305) is
judged by non-inferiority instead: accepted when it is not worse than the
original by more than the margin and its symptom check (if any) passed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Smallest gain worth applying a fix for (absolute accuracy, or relative MSE).
MIN_GAIN = 0.02


def noise_margin(before: float, after: float, n_val: int, *, accuracy: bool, min_gain: float = MIN_GAIN,
                 absolute: bool = False) -> float:
    """Gain needed before a difference counts as real (``absolute``: ``min_gain`` itself, for scores
    such as R^2 whose scale does not depend on the original's value)."""
    if absolute and not accuracy:
        return min_gain
    if not accuracy:
        return max(min_gain * abs(before), 1e-12) if math.isfinite(before) else 0.0
    p1, p2 = (min(max(p, 0.0), 1.0) for p in (before, after))
    se = math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / max(n_val, 1))
    return max(min_gain, 2 * se)


@dataclass
class Verdict:
    """Scores of both arms per seed, the margin, and the decision with its reason."""

    candidate: str
    before: list[float] = field(default_factory=list)
    after: list[float] = field(default_factory=list)
    margin: float = 0.0
    accepted: bool = False
    reason: str = ""
    #: ``"improve"`` or ``"no_worse"`` (see :attr:`autofix.rules.base.Rule.verify_goal`).
    goal: str = "improve"
    #: Whether the symptom checks passed (None: no check applies), with their evidence.
    symptom_gone: bool | None = None
    evidence: list[str] = field(default_factory=list)

    @property
    def gain(self) -> float:
        gains = [a - b for a, b in zip(self.after, self.before)]
        return sum(gains) / len(gains) if gains else -math.inf

    @property
    def needs_second_seed(self) -> bool:
        return len(self.after) == 1 and not self.accepted and self.reason == "ambiguous"


def judge(verdict: Verdict, n_val: int, *, accuracy: bool, min_gain: float = MIN_GAIN,
          absolute: bool = False) -> Verdict:
    """Decide ``verdict`` from its scores (one or two seeds); returns it updated."""
    gains = [a - b for a, b in zip(verdict.after, verdict.before)]
    verdict.margin = noise_margin(verdict.before[0], verdict.after[0], n_val, accuracy=accuracy,
                                  min_gain=min_gain, absolute=absolute)
    if not gains or not all(math.isfinite(g) for g in gains):
        verdict.accepted, verdict.reason = False, "the candidate did not train (see its error)"
    elif verdict.goal == "no_worse":
        _judge_no_worse(verdict)
    elif min(gains) <= 0:
        verdict.accepted, verdict.reason = False, "no better than the original"
    elif len(gains) == 1 and gains[0] > 2 * verdict.margin:
        verdict.accepted, verdict.reason = True, "clear gain on one seed"
    elif len(gains) == 1:
        verdict.accepted, verdict.reason = False, "ambiguous"
    elif verdict.gain > verdict.margin:
        verdict.accepted, verdict.reason = True, f"gain confirmed on {len(gains)} seeds"
    else:
        verdict.accepted, verdict.reason = False, "gain within the noise margin"
    return verdict


def _judge_no_worse(verdict: Verdict) -> None:
    """Non-inferiority: within the margin of the original, and the symptom gone."""
    if verdict.gain < -verdict.margin:
        verdict.accepted, verdict.reason = False, "worse than the original by more than the noise margin"
    elif verdict.symptom_gone is False:
        verdict.accepted, verdict.reason = False, "not worse, but the symptom is still there"
    else:
        gone = " and the symptom is gone" if verdict.symptom_gone else ""
        verdict.accepted = True
        verdict.reason = (f"not worse than the original (judged by non-inferiority: a fix whose fault a capped "
                          f"run does not measure){gone}")
