"""The verdict and the step plan are pure functions (no Keras)."""

from __future__ import annotations

import math

from autofix.verify import plan_steps
from autofix.verify.arms import Cost
from autofix.verify.verdict import Verdict, judge, noise_margin


def test_clear_gain_is_accepted_on_one_seed():
    verdict = judge(Verdict("c", [0.5], [0.9]), 200, accuracy=True)
    assert verdict.accepted and not verdict.needs_second_seed


def test_loss_is_rejected():
    assert not judge(Verdict("c", [0.8], [0.7]), 200, accuracy=True).accepted


def test_small_gain_asks_for_a_second_seed_then_decides():
    verdict = judge(Verdict("c", [0.80], [0.86]), 200, accuracy=True)
    assert verdict.needs_second_seed
    verdict.before.append(0.80)
    verdict.after.append(0.81)
    assert not judge(verdict, 200, accuracy=True).accepted
    confirmed = judge(Verdict("c", [0.80, 0.79], [0.86, 0.87]), 400, accuracy=True)
    assert confirmed.accepted and "2 seeds" in confirmed.reason


def test_margin_shrinks_with_more_validation_rows():
    small, large = (noise_margin(0.7, 0.75, n, accuracy=True) for n in (50, 5000))
    assert small > large >= 0.02


def test_failed_candidate_is_rejected():
    assert not judge(Verdict("c", [0.5], [-math.inf]), 100, accuracy=True).accepted


def test_plan_fits_the_budget():
    cost = Cost(overhead=1.0, step=0.01, epoch=0.1)
    small, big = (plan_steps(b, cost, 3, 32, 2048) for b in (10, 100))
    assert small < big
    assert cost.seconds(big, 4) <= 100 / 5 + cost.epoch * 64
