"""Data fixes applied to arrays (autofix.data_prep) and carried by a live repair (FixResult.prepare)."""

import numpy as np
import pytest

from autofix.data_prep import applies_to_arrays, describe, prepare_arrays
from autofix.edits import ChangeData


def test_shuffle_keeps_each_row_with_its_label_and_leaves_the_inputs_alone():
    x = np.arange(20, dtype="float32").reshape(10, 2)
    y = np.arange(10)
    xs, ys = prepare_arrays([ChangeData("shuffle_rows", 0)], x, y)
    assert not np.array_equal(ys, y) and sorted(ys) == list(y)
    assert np.array_equal(xs[:, 0], 2 * ys)  # row i of x is (2i, 2i + 1)
    assert np.array_equal(y, np.arange(10))
    again = prepare_arrays([ChangeData("shuffle_rows", 0)], x, y)[1]
    assert np.array_equal(again, ys)  # seeded


def test_rescale_maps_the_observed_range_onto_unit_interval():
    y = np.array([-1.0, 0.0, 3.0])
    _, ys = prepare_arrays([ChangeData("rescale_targets", (-1.0, 3.0))], None, y)
    assert np.allclose(ys, [0.0, 0.25, 1.0])
    with pytest.raises(ValueError, match="cannot be mapped"):
        prepare_arrays([ChangeData("rescale_targets", (2.0, 2.0))], None, y)


def test_fixes_of_the_data_code_are_not_array_fixes():
    edit = ChangeData("true_division")
    assert not applies_to_arrays(edit) and applies_to_arrays(ChangeData("shuffle_rows", 0))
    with pytest.raises(ValueError, match="change the code"):
        prepare_arrays([edit], np.zeros(3), np.zeros(3))


def test_shuffle_refuses_rows_that_do_not_pair():
    with pytest.raises(ValueError, match="different numbers of rows"):
        prepare_arrays([ChangeData("shuffle_rows", 0)], np.zeros(3), np.zeros(4))


def test_describe_says_what_happens_in_order():
    text = describe([ChangeData("shuffle_rows", 7), ChangeData("rescale_targets", (0.0, 255.0))])
    assert text == "shuffle the rows of x and y together (seed 7), then rescale the targets from 0..255 onto [0, 1]"


def _sorted_split_model():
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [130, 120, 50])  # class by class: validation_split's tail holds all of class 2
    x = (rng.normal(size=(300, 4)) + 4.0 * np.eye(3, 4)[y]).astype("float32")
    return model, x, y


@pytest.mark.keras
def test_live_fix_shuffles_rows_for_a_split_of_sorted_labels():
    import autofix

    model, x, y = _sorted_split_model()
    result = autofix.fix(model, x, y, fit_kwargs={"validation_split": 0.2, "epochs": 3}, select=["AF404"])
    assert [f.code for f, _ in result.applied] == ["AF404"]
    assert [e.op for e in result.data_edits] == ["shuffle_rows"]
    xs, ys = result.prepare(x, y)
    assert set(ys[-60:]) == {0, 1, 2}  # the held-out tail now holds every class
    assert np.array_equal(y, np.repeat([0, 1, 2], [130, 120, 50]))  # the caller's arrays are untouched
    assert result.to_dict()["data_edits"] == [{"type": "ChangeData", "op": "shuffle_rows", "value": 0}]


@pytest.mark.keras
def test_verified_fix_trains_the_shuffle_on_shuffled_rows_and_confirms_it():
    import autofix

    model, x, y = _sorted_split_model()
    result = autofix.fix(model, x, y, fit_kwargs={"validation_split": 0.2, "batch_size": 16}, verify=True,
                         steps=240, search=False, probe=False)
    assert [f.code for f, _ in result.applied] == ["AF404"], result.summary_lines()
    assert [e.op for e in result.data_edits] == ["shuffle_rows"]
    verdict = next(v for v in result.verification.verdicts if v.accepted)
    assert verdict.gain > 0.05  # class 2 never reached the original's training rows
