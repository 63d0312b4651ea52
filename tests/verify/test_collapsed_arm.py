"""An arm that answers one class for every held-out row has not started learning."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("keras")

from autofix.training.arms import Data, collapsed


def _data(classes):
    classes = np.asarray(classes)
    return Data(x=np.zeros((4, 1)), y=np.zeros(4), x_val=np.zeros((len(classes), 1)), y_val=classes,
                classes_val=classes)


def test_one_class_for_mixed_labels_is_collapsed():
    data = _data([0, 1] * 50)
    assert collapsed(None, data, np.full((100, 1), 0.2))
    assert not collapsed(None, data, np.linspace(0, 1, 100).reshape(-1, 1))


def test_one_class_for_one_class_labels_is_not_collapsed():
    assert not collapsed(None, _data([1] * 100), np.full((100, 1), 0.9))


def test_regression_is_never_collapsed():
    data = Data(x=np.zeros((4, 1)), y=np.zeros(4), x_val=np.zeros((3, 1)), y_val=np.zeros(3), classes_val=None)
    assert not collapsed(None, data, np.zeros((3, 1)))
