"""Candidate-specific schedules: a candidate that changes fit()'s schedule is judged on each side's own."""

from __future__ import annotations

import pytest

keras = pytest.importorskip("keras")

import autofix
from autofix.rules import select_rules
from autofix.verify import verified
from autofix.verify.plan import Sides, schedule_sides
from autofix.verify.verdict import judge as real_judge

FULL_BATCH = {"epochs": 2, "batch_size": 480}  # 480 rows: 2 full-batch updates in all (AF303 fires)


def test_schedule_sides_per_side_steps():
    # the user's 2 steps against the candidate's 405 (27 epochs x 15 batches), capped at the planned 48
    assert schedule_sides(FULL_BATCH, {"epochs": 27, "batch_size": 32}, 480, 48) == Sides(2, 48, 405)
    assert schedule_sides(FULL_BATCH, {"epochs": 3, "batch_size": 480}, 480, 48) == Sides(2, 3, 3)


def test_schedule_sides_none_when_the_schedule_is_unchanged_or_unseen():
    same = {"epochs": 1, "batch_size": 240}  # another batch size, the same 2 steps
    assert schedule_sides(FULL_BATCH, same, 480, 48) is None
    assert schedule_sides({"batch_size": 480}, {"epochs": 27, "batch_size": 32}, 480, 48) is None  # no epochs
    assert schedule_sides(FULL_BATCH, {"batch_size": 32}, 480, 48) is None
    # both schedules longer than the budget's steps: the arms train the same 48 anyway
    assert schedule_sides({"epochs": 10, "batch_size": 32}, {"epochs": 20, "batch_size": 32}, 480, 48) is None


def test_sides_note_says_why():
    assert Sides(3, 256, 1410).note("default fixes") == (
        "schedule candidate 'default fixes': judged on each side's own schedule: the original trained its own "
        "3 steps, the candidate 256 of its 1410")
    assert Sides(2, 3, 3).note("c").endswith("the candidate its own 3")


def _steps(evidence, name):
    return sorted((arm.seed, arm.steps) for arm in evidence.arms[name])


def test_full_batch_schedule_is_repaired_on_its_own_schedule(binary_data, dense_model):
    x, y = binary_data
    result = autofix.fix(dense_model(), x, y, fit_kwargs=dict(FULL_BATCH), select=["AF303"], verify=True,
                         steps=48, probe=False, search=False)
    evidence = result.verification
    # the common original (48 steps, read by the search) and the original on the user's own 2 steps
    assert _steps(evidence, "original") == [(0, 2), (0, 48)]
    assert _steps(evidence, "default fixes") == [(0, 48)]
    assert evidence.baseline_steps == {"default fixes": 2}
    assert any(n.startswith("schedule candidate 'default fixes'") and "own 2 steps, the candidate 48 of its 405" in n
               for n in evidence.notes)
    two_steps = next(a for a in evidence.arms["original"] if a.steps == 2).score
    verdict = evidence.verdicts[0]
    assert verdict.before == [two_steps] and verdict.accepted
    row = next(r for r in evidence.rows() if r.name == "default fixes")
    assert row.gain == pytest.approx(verdict.after[0] - two_steps)
    # the caller trains the repaired model with the new schedule
    assert result.changed and result.fit_kwargs == {"batch_size": 32, "epochs": 27}


def test_second_seed_reruns_the_same_per_side_steps(binary_data, dense_model, monkeypatch):
    def ambiguous_first(verdict, *args, **kwargs):  # force the re-measurement path
        real_judge(verdict, *args, **kwargs)
        if len(verdict.after) == 1:
            verdict.accepted, verdict.reason = False, "ambiguous"
        return verdict

    monkeypatch.setattr(verified, "judge", ambiguous_first)
    x, y = binary_data
    repair = verified.verified_fix(dense_model(), x, y, fit_kwargs=dict(FULL_BATCH), rules=select_rules(
        ["AF303"]), steps=24, probe=False, search=False)
    evidence = repair.evidence
    assert _steps(evidence, "original") == [(0, 2), (0, 24), (1, 2)]
    assert _steps(evidence, "default fixes") == [(0, 24), (1, 24)]
    assert len(evidence.verdicts[0].after) == 2


def test_non_schedule_candidate_trains_equal_steps(binary_data, dense_model):
    x, y = binary_data  # AF201's fix (softmax over 1 unit -> sigmoid) leaves the schedule alone
    model = dense_model(units=1, activation="softmax")
    repair = verified.verified_fix(model, x, y, fit_kwargs={"epochs": 2, "batch_size": 32},
                                   rules=select_rules(["AF201"]), steps=48, probe=False, search=False)
    evidence = repair.evidence
    assert _steps(evidence, "original") == [(0, 48)]
    assert _steps(evidence, "default fixes") == [(0, 48)]
    assert not evidence.baseline_steps
    assert not any("schedule candidate" in n for n in evidence.notes)
