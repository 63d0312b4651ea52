"""Rescaled targets scored by MSE stay comparable: the residual is taken in the user's unit."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from autofix.edits import ChangeData
from autofix.rules import select_rules
from autofix.training.arms import Data, score, with_data_edits
from autofix.verify.verified import verified_fix

RESCALE = ChangeData("rescale_targets", (0.0, 255.0))


def _masks(rows, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 8)).astype("float32")
    return x, ((x[:, :4] + x[:, 4:]) > 0).astype("float32") * 255.0  # 4 independent labels, 0/255


def _data():
    x, y = _masks(40)
    return Data(x[:30], y[:30], x[30:], y[30:], None)


def test_mse_of_rescaled_targets_is_in_the_users_unit():
    data = _data()
    view = with_data_edits(data, [RESCALE])
    assert view.classes_val is None and view.target_scale == 255.0
    assert view.y_val.max() == 1.0 and data.y_val.max() == 255.0  # the caller's arrays are untouched
    half = np.full(view.y_val.shape, 0.5)
    # predicting 0.5 for a 0/1 target misses by 0.5, i.e. by 127.5 in the user's 0/255 unit
    assert score(None, view, half) == pytest.approx(-127.5 ** 2)
    assert score(None, data, half * 255) == pytest.approx(score(None, view, half))
    assert score(None, view, view.y_val) == 0.0


def test_class_labels_keep_accuracy_in_the_new_unit():
    x, y = _masks(40)
    labels = y[:, 0]  # one 0/255 column: two classes
    data = Data(x[:30], labels[:30], x[30:], labels[30:], np.asarray(labels[30:], dtype=np.int64))
    view = with_data_edits(data, [RESCALE])
    assert view.target_scale == 1.0
    assert set(np.unique(view.classes_val)) <= {0, 1}


def test_multilabel_255_masks_are_rescaled_and_confirmed():
    x, y = _masks(480)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(4, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.005), loss="binary_crossentropy")
    repair = verified_fix(model, x, y, fit_kwargs={"epochs": 4, "batch_size": 32}, rules=select_rules(["AF407"]),
                          steps=48, probe=False, search=False)
    evidence = repair.evidence
    assert not any("not trained" in note for note in evidence.notes)
    assert repair.chosen is not None and repair.chosen.data_edits
    assert evidence.verdicts[0].accepted
