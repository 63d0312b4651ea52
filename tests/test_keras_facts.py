"""Keras semantics helpers: loss spellings, from_logits, activations."""

from __future__ import annotations

import pytest

from autofix.keras_vocab import activation_name, loss_from_logits, loss_name
from autofix.report import skip_lines
from autofix.findings import Skip

FUNCTION_LOSS = {"module": "builtins", "class_name": "function", "config": "categorical_crossentropy",
                 "registered_name": "function"}
OBJECT_LOSS = {"module": "keras.losses", "class_name": "BinaryCrossentropy",
               "config": {"from_logits": True}}


@pytest.mark.parametrize(
    "loss, name, logits",
    [
        ("binary_crossentropy", "binary_crossentropy", False),
        ("BCE", "binary_crossentropy", False),
        (FUNCTION_LOSS, "categorical_crossentropy", False),
        (OBJECT_LOSS, "binary_crossentropy", True),
        (["mse"], "mean_squared_error", False),
    ],
)
def test_loss_name_and_from_logits(loss, name, logits):
    assert loss_name(loss) == name
    assert loss_from_logits(loss) is logits


def test_activation_names():
    assert activation_name(None) == "linear"
    assert activation_name("ReLU") == "relu"
    assert activation_name({"class_name": "function", "config": "Softmax"}) == "softmax"


def test_skips_are_grouped_by_reason():
    lines = skip_lines([Skip("AF401", "no data"), Skip("AF402", "no data"), Skip("AF601", "no probe")])
    assert lines == ["Skipped AF401, AF402: no data", "Skipped AF601: no probe"]
