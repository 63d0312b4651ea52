"""The data facts the target, constant-input and validation-split rules read (numpy only)."""

from __future__ import annotations

import numpy as np

from autofix.data import data_facts, data_from_json, data_to_json, fit_facts
from autofix.values import UNKNOWN


def test_target_mean_std_and_row_sums():
    facts = data_facts(np.random.rand(40, 3), np.linspace(10000.0, 50000.0, 40))
    assert facts.y_mean == 30000.0 and abs(facts.y_std - 11839.38) < 0.01
    assert facts.y_row_sum_min is UNKNOWN  # one column: no rows to sum
    rows = data_facts(np.random.rand(30, 3), np.tile([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.0]], (10, 1)))
    assert (rows.y_row_sum_min, rows.y_row_sum_max) == (0.0, 2.0)
    onehot = data_facts(np.random.rand(30, 3), np.eye(3)[np.arange(30) % 3])
    assert onehot.y_row_sum_min == onehot.y_row_sum_max == 1.0


def test_constant_features_are_counted_per_position():
    x = np.zeros((40, 4, 2))
    x[:, 1, 0] = np.arange(40)
    assert data_facts(x).x_constant_features == 7
    assert data_facts(np.tile([0.2, 5.0, -1.0], (30, 1))).x_constant_features == 3
    assert data_facts(np.ones((1, 5))).x_constant_features is UNKNOWN  # one row shows nothing


def test_label_runs_only_for_grouped_labels():
    grouped = data_facts(np.zeros((80, 2)), np.repeat([0, 1, 2, 3], [25, 25, 20, 10]))
    assert grouped.label_runs == [[0, 25], [1, 25], [2, 20], [3, 10]]
    onehot = data_facts(np.zeros((40, 2)), np.eye(2)[np.repeat([1, 0], 20)])
    assert onehot.label_runs == [[1, 20], [0, 20]]
    assert data_facts(np.zeros((40, 2)), np.arange(40) % 2).label_runs is UNKNOWN


def test_new_facts_survive_json():
    facts = data_facts(np.zeros((40, 2)), np.repeat([0, 1], 20))
    back = data_from_json(data_to_json(facts))
    assert back.label_runs == [[0, 20], [1, 20]] and back.x_constant_features == 2 and back.y_mean == 0.5


def test_validation_is_the_split_fraction_or_true():
    assert fit_facts({"validation_split": 0.2}, have_data=True).validation == 0.2
    assert fit_facts({"validation_data": (1, 2), "validation_split": 0.2}, have_data=True).validation is True
    assert fit_facts({"epochs": 3}, have_data=True).validation is False
