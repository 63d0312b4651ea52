"""verify=True end to end on tiny models: confirmed, not confirmed, deterministic, relabelled."""

from __future__ import annotations

import numpy as np
import pytest

import autofix
from autofix.verify.plan import STEP_GRID

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.keras

FAST = {"steps": 64, "probe": False}


def _fix(model, x, y, **kwargs):
    return autofix.fix(model, x, y, fit_kwargs={"batch_size": 32}, verify=True, **{**FAST, **kwargs})


def test_single_unit_softmax_repair_is_confirmed(binary_data, dense_model):
    x, y = binary_data
    model = dense_model(activation="softmax")
    result = _fix(model, x, y)
    evidence = result.verification
    assert result.changed and evidence.confirmed
    assert [f.code for f, _ in result.applied] == ["AF201"]
    verdict = next(v for v in evidence.verdicts if v.accepted)
    assert verdict.before[0] == pytest.approx(0.5, abs=0.15)  # one class predicted for all rows
    assert verdict.gain > verdict.margin
    assert result.model.layers[-1].get_config()["activation"] == "sigmoid"
    assert model.layers[-1].get_config()["activation"] == "softmax", "input model must not change"
    assert any("CONFIRMED" in line for line in result.summary_lines())


def test_fix_that_does_not_help_is_not_confirmed(binary_data, dense_model):
    x, y = binary_data
    model = dense_model(optimizer=keras.optimizers.Adam(learning_rate=0.02))
    result = _fix(model, x, y)
    assert {f.code for f in result.findings} == {"AF302"}
    assert result.verification.verdicts, "the learning-rate candidates must have been trained"
    assert not result.verification.confirmed
    assert result.model is model and not result.changed and result.applied == []
    assert any("confirmed no fix" in note for note in result.notes)


def test_model_without_findings_returns_original(binary_data, dense_model):
    x, y = binary_data
    model = dense_model()
    result = _fix(model, x, y)
    assert result.model is model
    assert "nothing to verify" in " ".join(result.verification.notes)


def test_same_seed_same_verdict(binary_data, dense_model):
    x, y = binary_data
    runs = [_fix(dense_model(activation="softmax"), x, y, seed=3, steps=32) for _ in range(2)]
    scores = [{n: [a.score for a in arms] for n, arms in r.verification.arms.items()} for r in runs]
    assert scores[0] == scores[1]
    assert [(v.accepted, v.reason) for v in runs[0].verification.verdicts] == \
        [(v.accepted, v.reason) for v in runs[1].verification.verdicts]


def test_sigmoid_alternative_converts_one_hot_labels(binary_data, dense_model):
    x, y = binary_data
    onehot = np.eye(2, dtype="float32")[y]
    model = dense_model(units=2, activation="softmax")
    model.compile(optimizer=keras.optimizers.Adam(0.005), loss="binary_crossentropy",
                  metrics=[keras.metrics.Precision(name="precision")])
    result = _fix(model, x, onehot, steps=32)
    arms = result.verification.arms
    relabelled = [name for name, runs in arms.items() if any(a.label_note for a in runs)]
    assert any("sigmoid" in name for name in relabelled) and "original" not in relabelled
    assert all(a.error is None for runs in arms.values() for a in runs)


def test_budget_in_seconds_plans_steps(binary_data, dense_model):
    x, y = binary_data
    result = autofix.fix(dense_model(activation="softmax"), x, y, verify=True, budget=15, probe=False)
    evidence = result.verification
    assert evidence.steps >= 8 and evidence.confirmed
    assert evidence.steps in STEP_GRID and evidence.budget == 15  # wall time is measured in benchmarks/


def test_plot_writes_png(binary_data, dense_model, tmp_path):
    pytest.importorskip("matplotlib")
    x, y = binary_data
    result = _fix(dense_model(activation="softmax"), x, y, steps=16)
    result.plot(tmp_path / "fix.png")
    assert (tmp_path / "fix.png").stat().st_size > 1000
    assert result.to_dict()["verification"]["confirmed"] == result.verification.confirmed
