"""Turn a wall-clock budget into a step count per arm and a number of candidates to train.

Steps come from a coarse grid so that small timing jitter cannot change them.
An arm needs a minimum number of steps (:data:`MIN_STEPS`) to learn anything;
when the budget cannot buy that for every candidate, the lowest-ranked
candidates are dropped before the steps are cut (a verdict on 8 steps says
nothing).  A re-run pair (second seed) is reserved only when it fits too.
A candidate that changes the schedule is judged on each side's own
(:func:`schedule_sides`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..training.arms import Cost

#: Step counts are rounded down to this grid so small timing jitter cannot change them.
STEP_GRID = (8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096)
#: Arms planned beyond the first round: one second-seed re-run of original and candidate.
RERUN_ARMS = 2
#: Epochs each arm runs over its training subset (the subset shrinks to fit).
EPOCHS = 4
#: Fewest steps per arm worth a verdict; fewer candidates are trained before going below.
MIN_STEPS = 48


def rows_for(steps: int, batch_size: int, available: int) -> int:
    """Training rows an arm of ``steps`` uses: about ``EPOCHS`` whole epochs' worth."""
    return min(available, max(2 * batch_size, steps * batch_size // EPOCHS))


def arm_seconds(steps: int, cost: Cost, batch_size: int, available: int) -> float:
    """Predicted seconds of one arm of ``steps`` steps."""
    per_epoch = math.ceil(rows_for(steps, batch_size, available) / batch_size)
    return cost.seconds(steps, math.ceil(steps / per_epoch))


def plan_steps(budget: float, cost: Cost, n_arms: int, batch_size: int, available: int,
               rerun_arms: int = RERUN_ARMS) -> int:
    """Largest grid step count such that ``n_arms`` arms plus ``rerun_arms`` fit in ``budget``."""
    per_arm = budget / (n_arms + rerun_arms)
    fitting = [s for s in STEP_GRID if arm_seconds(s, cost, batch_size, available) <= per_arm]
    return fitting[-1] if fitting else STEP_GRID[0]


@dataclass(frozen=True)
class Plan:
    """Steps per arm, how many of the ranked candidates to train, and whether a re-run pair fits."""

    steps: int
    candidates: int
    rerun: bool
    arm_seconds: float


def plan_arms(budget: float, cost: Cost, n_candidates: int, batch_size: int, available: int,
              min_steps: int = MIN_STEPS, rerun: bool = True) -> Plan:
    """Most candidates (ranked best first) that all get ``min_steps``; a re-run pair if it fits too.

    Preference: every arm at least ``min_steps`` > more candidates > a reserved
    re-run pair > more steps.  When not even one candidate reaches
    ``min_steps`` within the budget, the original and the best-ranked candidate
    get ``min_steps`` each and the budget is overrun (said in the evidence).
    ``rerun=False`` reserves nothing for a second seed (candidates judged by
    non-inferiority are never re-measured).
    """
    def plan(k: int, rerun: int) -> Plan:
        steps = plan_steps(budget, cost, k + 1, batch_size, available, rerun)
        return Plan(steps, k, bool(rerun), arm_seconds(steps, cost, batch_size, available))

    for k in range(n_candidates, 0, -1):
        for reserve in ((RERUN_ARMS, 0) if rerun else (0,)):
            candidate = plan(k, reserve)
            if candidate.steps >= min_steps:
                return candidate
    # Not even one candidate reaches ``min_steps`` in the budget: train the original and the best
    # candidate for ``min_steps`` anyway (overrunning the budget) -- a verdict on fewer says nothing.
    fallback = plan(min(n_candidates, 1), 0)
    steps = max(fallback.steps, min_steps)
    return Plan(steps, fallback.candidates, False, arm_seconds(steps, cost, batch_size, available))


def user_steps(fit_kwargs: dict | None, rows: int) -> int | None:
    """Optimiser steps the user's own fit() makes (``epochs`` x batches per epoch), or None when the
    fit settings do not show ``epochs`` (Keras's default of 1 is not assumed)."""
    given = dict(fit_kwargs or {})
    epochs = given.get("epochs")
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1:
        return None
    per_epoch = given.get("steps_per_epoch")
    if not (isinstance(per_epoch, int) and per_epoch > 0):
        batch = given.get("batch_size") or 32
        split = given.get("validation_split") or 0.0
        kept = rows - int(rows * split) if isinstance(split, float) and 0 < split < 1 else rows
        per_epoch = math.ceil(kept / batch) if isinstance(batch, int) and batch > 0 else None
    return epochs * per_epoch if per_epoch else None


def capped_steps(steps: int, fit_kwargs: dict | None, rows: int) -> tuple[int, str | None]:
    """``steps``, cut to the user's own schedule when it is shorter (but not below :data:`MIN_STEPS`), and
    the note that says so: an arm trained far longer than the user trains judges a different model
    (``Dropout(0.9)`` learns in 1536 steps, not in the user's 360)."""
    own = user_steps(fit_kwargs, rows)
    if own is None or own >= steps:
        return steps, None
    cut = max(own, MIN_STEPS)
    if cut >= steps:
        return steps, None
    return cut, (f"arms capped at {cut} steps: the fit() settings train {own} steps "
                 f"({dict(fit_kwargs or {}).get('epochs')} epochs over {rows} rows)")


@dataclass(frozen=True)
class Sides:
    """Steps each side of a schedule candidate's pair trains, and the candidate's whole schedule."""

    original: int
    candidate: int
    schedule: int

    def note(self, name: str) -> str:
        theirs = (f"its own {self.schedule}" if self.candidate == self.schedule
                  else f"{self.candidate} of its {self.schedule}")
        return (f"schedule candidate '{name}': judged on each side's own schedule: the original trained its own "
                f"{self.original} steps, the candidate {theirs}")


def schedule_sides(fit_kwargs: dict | None, candidate_kwargs: dict | None, rows: int, planned: int) -> Sides | None:
    """Per-side steps when a candidate changes the schedule (its fit() settings make a different number
    of steps than the user's), else None.

    The schedule is then the fault or the cure, so equal steps would hide it: the original trains
    the user's own steps (no :data:`MIN_STEPS` floor), the candidate its own, each at most ``planned``
    (the per-arm steps the budget bought).  None also when either schedule is not shown.
    """
    own, theirs = user_steps(fit_kwargs, rows), user_steps(candidate_kwargs, rows)
    if own is None or theirs is None:
        return None
    sides = Sides(min(own, planned), min(theirs, planned), theirs)
    return sides if sides.original != sides.candidate else None
