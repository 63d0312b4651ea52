"""The start-up hook of script runs, tested in-process (the child process runs the same code)."""

from __future__ import annotations

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from autofix.training import _fit_hook  # noqa: E402
from autofix.training.task_score import (  # noqa: E402
    MAX_ROWS, ON_SPLIT, ON_TRAINING, ON_VALIDATION, R2_FLOOR, chance_level, comparable, score_fit, scoring_rows,
    task_score)

pytestmark = pytest.mark.keras


@pytest.fixture
def hooked(tmp_path, monkeypatch):
    monkeypatch.setattr(keras.Model, "fit", keras.Model.fit)  # restored after the test
    env = {"AUTOFIX_SEED": "0", "AUTOFIX_MAX_STEPS": "3", "AUTOFIX_MAX_EPOCHS": "1",
           "AUTOFIX_HISTORY": str(tmp_path / "h.jsonl"), "AUTOFIX_FACTS": str(tmp_path / "f.jsonl")}
    _fit_hook.install(env)
    return tmp_path


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def test_fit_is_capped_and_every_call_recorded(hooked):
    x, y = np.random.default_rng(0).normal(size=(64, 4)).astype("float32"), np.arange(64) % 2
    model = _model()
    first = model.fit(x, y, epochs=5, batch_size=4, verbose=0)
    model.fit(x, y, epochs=2, verbose=0)
    assert len(first.history["loss"]) == 1  # epochs capped to AUTOFIX_MAX_EPOCHS
    histories = [json.loads(line) for line in (hooked / "h.jsonl").read_text().splitlines()]
    assert len(histories) == 2 and list(histories[0]) == ["loss", _fit_hook.SCORE_KEY]
    score = histories[0][_fit_hook.SCORE_KEY]
    assert (score["metric"], score["labels"], score["rows"], score["n"]) == ("accuracy", "binary", ON_TRAINING, 64)
    assert 0.0 <= score["value"] <= 1.0 and score["chance"] == 0.5
    (facts,) = [json.loads(line) for line in (hooked / "f.jsonl").read_text().splitlines()]
    assert facts["layers"] == ["Dense"] and facts["fit"] == {"epochs": 5, "batch_size": 4, "shuffle": True,
                                                      "validation": False}
    assert facts["data"]["n_samples"] == 64


def test_step_cap_stops_training(hooked):
    seen = []

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    x, y = np.zeros((64, 4), "float32"), np.zeros(64, "int64")
    _model().fit(x, y, epochs=1, batch_size=4, callbacks=[Count()], verbose=0)
    assert len(seen) == 3  # AUTOFIX_MAX_STEPS of the 16 batches


def test_short_epochs_run_until_the_step_cap(hooked):
    x, y = np.zeros((8, 4), "float32"), np.zeros(8, "int64")
    history = _model().fit(x, y, epochs=5, batch_size=4, verbose=0)  # 2 batches an epoch, cap 3 steps
    assert len(history.history["loss"]) == 2  # not AUTOFIX_MAX_EPOCHS=1: the run reaches 3 updates


@pytest.mark.parametrize("arguments, cap", [
    ({"epochs": 30, "batch_size": 100}, 3),  # 9 batches an epoch: 20 steps take 3 epochs
    ({"epochs": 30, "batch_size": 900}, 20),  # full batch: one update an epoch
    ({"epochs": 2, "batch_size": 900}, 2),  # never more than asked
    ({"epochs": 30, "batch_size": 10}, 1),  # long epochs: the epoch cap
    ({"epochs": 30, "batch_size": 450, "validation_split": 0.5}, 20),  # the split rows do not train
    ({"epochs": 30, "steps_per_epoch": 2}, 10),
])
def test_epoch_cap_follows_the_batches_an_epoch_makes(arguments, cap):
    x = np.zeros((900, 4), "float32")
    assert _fit_hook.epoch_cap({"x": x, **arguments}, {"batch_size": None}, 20, 1) == cap
    assert _fit_hook.epoch_cap({"x": iter([x]), "epochs": 30}, {}, 20, 1) == 1  # unknown length: the epoch cap


def test_datasets_and_generators_are_never_read():
    x, y = np.zeros((64, 4), "float32"), np.zeros(64, "int64")
    entry = _fit_hook.first_call_entry(_model(), {"x": iter([x]), "y": y}, {"shuffle": True})
    assert entry["data"] is None and "not an array" in entry["skipped"]
    assert entry["fit"] == {"shuffle": True, "validation": False}


def test_validation_is_recorded_as_the_source_path_reads_it():
    x, y = np.zeros((64, 4), "float32"), np.zeros(64, "int64")
    split = _fit_hook.first_call_entry(_model(), {"x": x, "y": y, "validation_split": 0.2}, {})
    given = _fit_hook.first_call_entry(_model(), {"x": x, "y": y, "validation_data": (x, y)}, {})
    assert split["fit"]["validation"] == 0.2 and given["fit"]["validation"] is True


def test_sitecustomize_only_installs_the_module():
    assert "install()" in _fit_hook.SITECUSTOMIZE and "keras" not in _fit_hook.SITECUSTOMIZE


# -- the task score from predict ---------------------------------------------------------------
@pytest.mark.parametrize("pred, y, kind, expected", [
    ([[0.9], [0.2], [0.6], [0.4]], [1, 0, 0, 0], "binary", 0.75),  # threshold 0.5 on one unit
    ([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]], [1, 0, 0, 0], "binary", 0.75),  # argmax on 2 units
    ([[0.1, 0.2, 0.7], [0.8, 0.1, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], [2, 0, 1, 0], "integer", 0.75),
    ([[0.1, 0.2, 0.7], [0.8, 0.1, 0.1]], [[0, 0, 1], [0, 1, 0]], "onehot", 0.5),
    ([[0.9, 0.1], [0.6, 0.7], [0.2, 0.8]], [[1, 0], [0, 0], [0, 1]], "multilabel", 4 / 6),  # element-wise
])
def test_accuracy_by_label_kind(pred, y, kind, expected):
    assert task_score(np.asarray(pred), np.asarray(y), kind) == (pytest.approx(expected), "accuracy")


def test_comparable_r2_is_monotone_and_equal_near_zero():
    values = [R2_FLOOR, -1e3, -3.0, -0.5, -1e-6, 0.0, 0.7]
    mapped = [comparable(v, "r2") for v in values]
    assert mapped == sorted(mapped) and len(set(mapped)) == len(values)
    assert comparable(-1e-6, "r2") == pytest.approx(-1e-6) and comparable(0.7, "r2") == 0.7
    assert mapped[0] > -14 and comparable(-3.0, "accuracy") == -3.0


def test_r2_for_continuous_targets_is_floored_and_non_finite_scores_the_floor():
    y = np.array([0.0, 1.0, 2.0, 3.0])
    assert task_score(y[:, None] + 0.1, y, "continuous") == (pytest.approx(1 - 0.04 / 5), "r2")
    far = task_score(np.full((4, 1), 100.0), y, "continuous")[0]
    near = task_score(np.full((4, 1), 3.0), y, "continuous")[0]
    assert R2_FLOOR < far < near < -1.0  # no longer both clipped to -1: a verdict can tell them apart
    assert task_score(np.array([[0.0], [np.nan], [1.0], [2.0]]), y, "continuous") == (R2_FLOOR, "r2")
    assert task_score(np.zeros((4, 2)), y, "continuous") is None  # shapes differ: no score
    assert task_score(np.array([[np.nan], [1.0]]), np.array([1, 1]), "binary")[0] == 0.5  # non-finite is wrong


def test_chance_is_the_majority_share():
    assert chance_level(np.array([0, 0, 0, 1]), "binary") == 0.75
    assert chance_level(np.eye(3)[[0, 1, 1, 2]], "onehot") == 0.5
    assert chance_level(np.array([[1, 0], [1, 1], [1, 0], [0, 0]]), "multilabel") == 0.75
    assert chance_level(np.array([0.5, 2.0]), "continuous") == 0.0


def test_logits_are_thresholded_at_zero():
    assert task_score(np.array([[0.3], [-0.2]]), np.array([1, 0]), "binary", threshold=0.0)[0] == 1.0
    assert task_score(np.array([[0.3], [-0.2]]), np.array([1, 0]), "binary")[0] == 0.5


def test_validation_data_is_preferred_then_the_split_tail_then_capped_training_rows():
    x, y = np.arange(3000.0)[:, None], np.arange(3000) % 2
    xv, yv = np.zeros((10, 1)), np.ones(10)
    rows = scoring_rows({"x": x, "y": y, "validation_data": (xv, yv), "validation_split": 0.5})
    assert rows[2] == ON_VALIDATION and len(rows[0]) == 10
    xs, ys, where = scoring_rows({"x": x, "y": y, "validation_split": 0.1})
    assert where == ON_SPLIT and xs[0, 0] == 2700 and len(xs) == 300  # Keras holds out the tail
    xs, _, where = scoring_rows({"x": x, "y": y}, seed=3)
    assert where == ON_TRAINING and len(xs) == MAX_ROWS and np.all(np.diff(xs[:, 0]) > 0)
    assert np.array_equal(xs, scoring_rows({"x": x, "y": y}, seed=3)[0])  # the same rows in both runs


def test_non_array_inputs_get_no_score():
    x, y = np.zeros((8, 4), "float32"), np.zeros(8, "int64")
    assert "not an array" in scoring_rows({"x": iter([x]), "y": None})
    assert "not an array" in scoring_rows({"x": {"a": x}, "y": y})
    assert "not a tuple of arrays" in scoring_rows({"x": x, "y": y, "validation_data": iter([(x, y)])})
    assert "skipped" in score_fit(_model(), {"x": [x, x], "y": y})


def test_hooked_fit_scores_the_validation_data(hooked):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 4)).astype("float32"), np.arange(64) % 2
    xv, yv = rng.normal(size=(20, 4)).astype("float32"), np.arange(20) % 2
    _model().fit(x, y, validation_data=(xv, yv), verbose=0)
    (record,) = [json.loads(line) for line in (hooked / "h.jsonl").read_text().splitlines()]
    assert record[_fit_hook.SCORE_KEY]["rows"] == ON_VALIDATION and record[_fit_hook.SCORE_KEY]["n"] == 20


def test_a_given_label_kind_scores_labels_the_way_a_rewrite_reads_them():
    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="sigmoid")])
    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    y = (np.random.default_rng(1).random((32, 3)) > 0.5) * 255.0
    assert score_fit(model, {"x": x, "y": y})["metric"] == "r2"  # 0/255 targets read as continuous
    as_rewritten = score_fit(model, {"x": x, "y": y}, kind="multilabel")
    assert as_rewritten["metric"] == "accuracy" and as_rewritten["labels"] == "multilabel"


def test_the_original_is_rescored_only_when_the_rewrite_reads_the_same_rows_as_another_kind():
    from autofix.verify.scripts import ScriptRun, _other_label_kind

    def run(labels, rows=ON_TRAINING, n=64):
        return ScriptRun("r", 0, 1.0, [{}], scores=[{"value": 0.5, "metric": "accuracy", "labels": labels,
                                                     "rows": rows, "n": n, "chance": 0.5}])

    assert _other_label_kind(run("continuous"), run("multilabel")) == "multilabel"
    assert _other_label_kind(run("binary"), run("binary")) is None
    assert _other_label_kind(run("continuous"), run("multilabel", n=32)) is None
    assert _other_label_kind(ScriptRun("r", 1, 1.0), run("multilabel")) is None
