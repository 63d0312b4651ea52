"""Data facts are measured with numpy only: label kinds, scale, order."""

from __future__ import annotations

import numpy as np
import pytest

from autofix.data import data_facts, fit_facts


@pytest.mark.parametrize(
    "y, kind, n_classes",
    [
        (np.array([0, 1, 1, 0] * 10), "binary", 2),
        (np.array([[0], [2], [1], [2]] * 10), "integer", 3),
        (np.eye(3)[np.arange(40) % 3], "onehot", 3),
        (np.array([[1, 1], [0, 1]] * 20), "multilabel", 2),
        (np.linspace(0, 1, 40), "continuous", None),
        (np.arange(40) % 2 == 0, "binary", 2),
    ],
)
def test_label_kinds(y, kind, n_classes):
    facts = data_facts(np.zeros((40, 3)), y)
    assert facts.label_kind == kind
    if n_classes is not None:
        assert facts.n_classes == n_classes


def test_sorted_labels_and_counts():
    sorted_facts = data_facts(np.zeros((40, 2)), np.repeat([0, 1], 20))
    mixed = data_facts(np.zeros((40, 2)), np.arange(40) % 2)
    assert sorted_facts.label_sorted is True and mixed.label_sorted is False
    assert sorted_facts.class_counts == {0: 20, 1: 20}


def test_input_statistics():
    facts = data_facts(np.full((10, 4), 200.0) + np.arange(4), None)
    assert facts.x_min == 200 and facts.x_max == 203 and facts.n_samples == 10
    assert facts.x_shape == (4,)


def test_non_arrays_are_not_measured():
    assert data_facts(iter([1, 2, 3])) is None
    assert data_facts({"a": np.zeros(3)}) is None
    assert data_facts(np.array(["a", "b"])) is None


def test_fit_facts_fill_keras_defaults():
    fit = fit_facts({"epochs": 5}, have_data=True)
    assert (fit.epochs, fit.batch_size, fit.shuffle) == (5, 32, True)
    assert fit_facts(None, have_data=True).batch_size is not None
