"""autofix-src --verify's runner: both scripts run with fit() capped and Histories compared."""

from __future__ import annotations

import pytest

from autofix.training._fit_hook import SCORE_KEY
from autofix.training.task_score import ON_SPLIT, ON_TRAINING
from autofix.verify.scripts import ScriptEvidence, ScriptRun, _compare, verify_scripts

pytestmark = pytest.mark.keras

SCRIPT = """
import numpy as np, keras
rng = np.random.default_rng(0)
x = rng.normal(size=(1000, 8)).astype("float32"); y = (x[:, 0] > 0).astype("int64")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="{act}")])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=50, validation_split=0.2, verbose=0)
"""


def test_rewritten_script_is_confirmed_and_fit_is_capped(tmp_path):
    original = tmp_path / "train.py"
    original.write_text(SCRIPT.format(act="softmax"))
    evidence = verify_scripts(original, SCRIPT.format(act="sigmoid"), steps=100, epochs=4, budget=200)
    assert evidence.original.returncode == 0, evidence.original.stderr_tail
    assert all(len(run.histories[0]["loss"]) <= 4 for run in (evidence.original, evidence.rewritten))
    assert evidence.metric == SCORE_KEY and evidence.verdict.accepted
    assert evidence.original.score()["rows"] == ON_SPLIT
    assert any("CONFIRMED" in line for line in evidence.summary_lines())


def _run(label, history, **score):
    return ScriptRun(label, 0, 1.0, [history], scores=[score])


def _score(value, metric="accuracy", labels="onehot", n=1024):
    return {"value": value, "metric": metric, "labels": labels, "rows": ON_TRAINING, "n": n}


def test_the_score_from_predict_wins_over_a_meaningless_compiled_accuracy():
    # sigmoid + categorical CE: the logged accuracy says nothing; the score from predict does
    before = _run("original", {"loss": [1.2], "accuracy": [0.95]}, **_score(0.48))
    after = _run("rewritten", {"loss": [0.3], "accuracy": [0.91]}, **_score(0.91))
    metric, verdict = _compare(before, after, 0.02)
    assert metric == SCORE_KEY and verdict.accepted and verdict.reason == "clear gain on one seed"
    evidence = ScriptEvidence(before, after, metric, verdict)
    assert "score from predict on the training rows (1024 rows, onehot labels): accuracy 0.48 -> 0.91" in \
        evidence.compared()
    assert _compare(before, _run("rewritten", {}, **_score(0.5)), 0.02)[1].accepted is False


def test_r2_scores_are_judged_on_an_absolute_margin():
    before = _run("original", {"loss": [3.0]}, **_score(-0.01, "r2", "continuous"))
    noise = _run("rewritten", {"loss": [2.9]}, **_score(0.02, "r2", "continuous"))
    metric, verdict = _compare(before, noise, 0.02)
    assert metric == SCORE_KEY and verdict.margin == 0.02 and not verdict.accepted
    cured = _run("rewritten", {"loss": [0.1]}, **_score(0.95, "r2", "continuous"))
    assert _compare(before, cured, 0.02)[1].accepted


def test_scores_of_different_kinds_or_missing_fall_back_to_the_history():
    before = _run("original", {"accuracy": [0.5]}, **_score(0.3, "r2", "continuous"))
    after = _run("rewritten", {"accuracy": [0.9]}, **_score(0.9, labels="multilabel"))
    metric, verdict = _compare(before, after, 0.02)
    assert metric == "accuracy" and verdict.accepted
    assert "original: r2 on the training rows" in ScriptEvidence(before, after, metric, verdict).compared()
    skipped = _run("rewritten", {"loss": [0.2]}, skipped="x or y is not an array")
    metric, verdict = _compare(before, skipped, 0.02)
    assert (metric, verdict) == (None, None)
    assert "rewritten: x or y is not an array" in ScriptEvidence(before, skipped, None, None).summary_lines()[-1]


REGRESSION = """
import numpy as np, keras
rng = np.random.default_rng(0)
x = rng.normal(size=(600, 4)).astype("float32"); y = (2 * x[:, 0] - x[:, 1] + 0.5).astype("float32")
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.01, epsilon={eps}), loss="mse")
model.fit(x, y, epochs=20, batch_size=16, verbose=0)
"""


@pytest.mark.slow
def test_a_regression_without_metrics_or_validation_is_confirmed_by_r2(tmp_path):
    # no validation data and no accuracy: the History alone gave "not confirmed" here
    original = tmp_path / "train.py"
    original.write_text(REGRESSION.format(eps=100.0))
    evidence = verify_scripts(original, REGRESSION.format(eps=1e-7), steps=60, epochs=3, budget=200)
    assert evidence.original.returncode == 0, evidence.original.stderr_tail
    assert evidence.metric == SCORE_KEY and evidence.original.score()["metric"] == "r2"
    assert evidence.verdict.accepted, evidence.summary_lines()
    assert evidence.rewritten.final(SCORE_KEY) > 0.8 > evidence.original.final(SCORE_KEY)
