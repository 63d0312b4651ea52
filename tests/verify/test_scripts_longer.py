"""An ambiguous script verdict is re-judged on a longer pair of capped runs (no Keras: runs are faked)."""

from __future__ import annotations

import pytest

from autofix.verify import scripts
from autofix.verify.scripts import LONGER, ScriptRun, verify_scripts


def _fake_runs(monkeypatch, gain_by_steps: dict, seconds: float = 5.0) -> list[tuple]:
    """Replace run_script: the rewritten script scores 0.5 + the gain its step cap (or ``(steps, seed)``) buys."""
    calls = []

    def run_script(path, *, source=None, label="original", budget=60.0, steps=200, epochs=5, seed=0,
                   label_kind=None):
        calls.append((label, steps, epochs))
        gain = gain_by_steps.get((steps, seed), gain_by_steps.get(steps))
        value = 0.5 + (gain if source is not None else 0.0)
        score = {"value": value, "metric": "accuracy", "labels": "binary", "rows": "the training rows", "n": 1000}
        return ScriptRun(label, 0, seconds, [{"loss": [1.0]}], "", [], [score])

    monkeypatch.setattr(scripts, "run_script", run_script)
    return calls


def test_an_ambiguous_gain_is_rejudged_with_longer_caps(monkeypatch):
    calls = _fake_runs(monkeypatch, {200: 0.05, 200 * LONGER: 0.3})
    evidence = verify_scripts("train.py", "fixed", budget=120)
    assert evidence.verdict.accepted and evidence.verdict.reason == "clear gain on one seed"
    assert calls[2:] == [("original-longer", 800, 20), ("rewritten-longer", 800, 20)]
    assert evidence.original.label == "original-longer"


@pytest.mark.parametrize("gains, seconds", [
    ({200: 0.3}, 5.0),  # a clear gain: no second pair
    ({200: -0.1}, 5.0),  # worse: no second pair
    ({200: 0.05}, 35.0),  # ambiguous, but neither 4 x 70 s nor 2 x 70 s fits in 120 s
])
def test_no_longer_pair_unless_ambiguous_and_within_budget(monkeypatch, gains, seconds):
    calls = _fake_runs(monkeypatch, gains, seconds)
    verify_scripts("train.py", "fixed", budget=120)
    assert [label for label, *_ in calls] == ["original", "rewritten"]


@pytest.mark.parametrize("second, accepted", [(0.05, True), (-0.01, False)])
def test_an_ambiguous_gain_without_time_for_longer_runs_is_rejudged_on_a_second_seed(monkeypatch, second, accepted):
    """4 x 40 s does not fit in 120 s, 2 x 40 s does: the same caps with seed 1, both seeds judged together."""
    calls = _fake_runs(monkeypatch, {(200, 0): 0.05, (200, 1): second}, seconds=20.0)
    evidence = verify_scripts("train.py", "fixed", budget=120)
    assert [label for label, *_ in calls] == ["original", "rewritten", "original-seed2", "rewritten-seed2"]
    assert len(evidence.verdict.after) == 2
    assert evidence.verdict.accepted is accepted
    assert evidence.verdict.reason == ("gain confirmed on 2 seeds" if accepted else "no better than the original")
