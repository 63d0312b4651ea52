"""The verdict and the step plan are pure functions (no Keras)."""

from __future__ import annotations

import math

from autofix.verify import plan_steps
from autofix.training.arms import Cost
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


def test_plan_drops_low_ranked_candidates_before_cutting_steps():
    from autofix.verify.plan import MIN_STEPS, plan_arms

    slow = Cost(overhead=7.0, step=0.12, epoch=0.3)  # seed 000's Conv1D model on 2 busy cores
    plan = plan_arms(40, slow, 3, 32, 800)
    assert plan.steps >= MIN_STEPS and plan.candidates < 3
    fast = Cost(overhead=1.0, step=0.002, epoch=0.05)
    assert plan_arms(40, fast, 3, 32, 2048).candidates == 3
    hopeless = plan_arms(5, slow, 3, 32, 800)
    assert hopeless.candidates == 1 and not hopeless.rerun and hopeless.steps == MIN_STEPS  # floor, budget overrun


def test_candidates_are_ranked_default_first_then_gap_cures_by_prior():
    from autofix.findings import Finding, Severity
    from autofix.spec import Origin
    from autofix.verify.candidates import Candidate, rank

    def cand(name, focus):
        return Candidate(name, None, {}, [], [], focus=focus)

    findings = [Finding("AF202", "n", "m", Severity.ERROR, Origin())]
    order = rank([cand("renorm", "AF301"), cand("alt", "AF202"), cand("shuffle", "AF404"),
                  cand("default", None), cand("norm", "AF402")], findings)
    assert [c.name for c in order] == ["default", "shuffle", "norm", "renorm", "alt"]


def test_reporting_fix_is_judged_by_non_inferiority():
    same = judge(Verdict("c", [0.80], [0.79], goal="no_worse", symptom_gone=True), 300, accuracy=True)
    assert same.accepted and "symptom is gone" in same.reason
    worse = judge(Verdict("c", [0.80], [0.60], goal="no_worse", symptom_gone=True), 300, accuracy=True)
    assert not worse.accepted
    still = judge(Verdict("c", [0.80], [0.82], goal="no_worse", symptom_gone=False), 300, accuracy=True)
    assert not still.accepted and "still there" in still.reason
    assert not judge(Verdict("c", [0.80], [0.79]), 300, accuracy=True).accepted  # goal "improve"


def test_metric_report_shows_mirrored_columns_and_their_repair():
    import numpy as np

    from autofix.training.metrics import metric_report
    from autofix.verify.symptoms import check_symptoms, goal_of

    classes = np.array([0, 0, 1, 1, 0, 1])
    p1 = np.array([0.2, 0.7, 0.9, 0.4, 0.1, 0.8])  # one wrong each way
    two_unit = metric_report(np.stack([1 - p1, p1], axis=1), np.eye(2)[classes], classes)
    assert two_unit["reported"]["fp"] == two_unit["reported"]["fn"] == 2
    assert two_unit["positive"]["fp"] == two_unit["positive"]["fn"] == 1
    assert check_symptoms(["AF206"], two_unit)[0] is False
    one_unit = metric_report(p1[:, None], classes.astype("float32"), classes)
    assert check_symptoms(["AF206"], one_unit)[0] is True
    assert goal_of(["AF206"]) == goal_of(["AF501", "AF502"]) == "no_worse"
    assert goal_of(["AF206", "AF204"]) == "improve"


def test_script_runs_without_validation_are_judged_on_training_accuracy():
    from autofix.verify.scripts import ScriptRun, _compare

    before = ScriptRun("original", 0, 1.0, [{"loss": [0.69], "accuracy": [0.50]}])
    after = ScriptRun("rewritten", 0, 1.0, [{"loss": [0.30], "accuracy": [0.90]}])
    metric, verdict = _compare(before, after, 0.02)
    assert metric == "accuracy" and verdict.accepted
    held_out = ScriptRun("rewritten", 0, 1.0, [{"accuracy": [0.9], "val_accuracy": [0.52]}])
    assert _compare(ScriptRun("original", 0, 1.0, [{"accuracy": [0.5], "val_accuracy": [0.5]}]), held_out,
                    0.02)[0] == "val_accuracy"


def test_arms_are_capped_at_the_users_own_schedule_but_not_below_the_minimum():
    from autofix.verify.plan import MIN_STEPS, capped_steps, user_steps

    assert user_steps({"epochs": 10, "batch_size": 50}, 1000) == 200
    assert user_steps({"epochs": 10, "batch_size": 50, "validation_split": 0.2}, 1000) == 160
    assert user_steps({"epochs": 3, "steps_per_epoch": 7}, 1000) == 21
    assert user_steps({"batch_size": 50}, 1000) is None  # epochs not shown: nothing assumed
    steps, note = capped_steps(1536, {"epochs": 10, "batch_size": 50}, 1000)
    assert steps == 200 and "train 200 steps" in note
    assert capped_steps(1536, {"epochs": 1, "batch_size": 50}, 1000)[0] == MIN_STEPS
    assert capped_steps(128, {"epochs": 10, "batch_size": 50}, 1000) == (128, None)
    assert capped_steps(1536, None, 1000) == (1536, None)


def test_faults_shown_without_training_are_judged_by_non_inferiority():
    """A constant output (AF201), a loss identically 0 (AF208), units kept identical (AF105) and a patience
    a capped run cannot reach (AF305) need no gain to be applied; mixed with a learning fix they must improve."""
    from autofix.verify.symptoms import goal_of

    for code in ("AF201", "AF208", "AF105", "AF305", "AF203"):
        assert goal_of([code]) == "no_worse", code
    assert goal_of(["AF201", "AF302"]) == goal_of(["AF203", "AF204"]) == "improve"
    tie = judge(Verdict("c", [0.50], [0.50], goal=goal_of(["AF201"])), 300, accuracy=True)
    assert tie.accepted and "non-inferiority" in tie.reason
    assert not judge(Verdict("c", [0.50], [0.50], goal=goal_of(["AF201", "AF302"])), 300, accuracy=True).accepted
