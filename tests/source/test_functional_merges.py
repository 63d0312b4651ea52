"""Keras's lowercase functional merges (``concatenate([a, b])``, ``layers.add([x, y])``, ...) in the source path.

Each builds a merge layer (Concatenate, Add, ...) fed by every tensor of its list. Before the source
extractor followed them, the merged tensor had no inbound layer, and AF101 read the layer after it as
"no nonlinearity before it" even when every branch had relu (benchmarks/user_corpus/README.md, a
two-branch LSTM ensemble). Scripts written for this suite, no corpus code.
"""

from __future__ import annotations

import pytest

from autofix.source.extract import extract_source
from helpers import run

_BARE = """
import numpy as np
from tensorflow.keras.models import Model
from tensorflow.keras.layers import Dense, Input, concatenate

a = Input(shape=(8,))
b = Input(shape=(4,))
x = Dense(16{act})(a)
x = Dense(8)(x)
y = Dense(16{act})(b)
y = Dense(8)(y)
merged = concatenate([x, y])
h = Dense(8, name="head")(merged)
out = Dense(1)(Dense(4, activation="relu")(h))
model = Model(inputs=[a, b], outputs=out)
model.compile(loss="mse", optimizer="adam")
"""

_ATTRIBUTE = """
from tensorflow import keras
from tensorflow.keras import layers

a = keras.Input(shape=(8,))
b = keras.Input(shape=(4,))
x = layers.Dense(8{act})(a)
y = layers.Dense(8{act})(b)
merged = layers.concatenate([x, y], axis=-1)
h = layers.Dense(16, name="head")(merged)
out = layers.Dense(1, activation="sigmoid")(h)
model = keras.Model([a, b], out)
model.compile(loss="binary_crossentropy", optimizer="adam")
"""

_RESIDUAL = """
import keras

inputs = keras.Input((32,))
x = keras.layers.Dense(32{act})(inputs)
shortcut = keras.layers.Dense(32{act})(inputs)
x = keras.layers.add([x, shortcut])
x = keras.layers.Dense(16, name="head")(x)
outputs = keras.layers.Dense(3, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(loss="categorical_crossentropy", optimizer="adam")
"""

_INLINE_LIST_NAME = """
from keras.layers import *
from keras.models import Model

a = Input((8,))
b = Input((8,))
branches = [Dense(8{act})(a), Dense(8{act})(b)]
out = Dense(1)(Dense(16, name="head")(concatenate(branches)))
model = Model([a, b], out)
model.compile(loss="mse", optimizer="adam")
"""

_BLOCK_FUNCTION = """
from tensorflow.keras import layers, models

def block(x, units):
    y = layers.Dense(units{act})(x)
    return layers.add([x, y])

inputs = layers.Input((16,))
x = layers.Dense(16{act})(inputs)
x = block(x, 16)
x = layers.Dense(8, name="head")(x)
outputs = layers.Dense(1)(x)
model = models.Model(inputs, outputs)
model.compile(loss="mse", optimizer="adam")
"""

SHAPES = {"bare": _BARE, "attribute": _ATTRIBUTE, "residual": _RESIDUAL, "inline_list_name": _INLINE_LIST_NAME,
          "block_function": _BLOCK_FUNCTION}


def _af101(code: str):
    return [f for f in run(code, select=["AF101"]).findings if f.code == "AF101"]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_relu_branches_merged_by_a_lowercase_merge_are_not_a_linear_stack(shape):
    assert _af101(SHAPES[shape].format(act=', activation="relu"')) == []


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_linear_branches_merged_by_a_lowercase_merge_still_collapse(shape):
    found = _af101(SHAPES[shape].format(act=""))
    assert found, shape
    assert any("'head'" in f.message for f in found)


def _layers(code: str):
    (spec,) = [s for s in extract_source(code) if s.layers]
    return {layer.name: layer for layer in spec.layers}


@pytest.mark.parametrize("function, class_name, kwargs", [
    ("concatenate", "Concatenate", ", axis=1"),
    ("add", "Add", ""),
    ("subtract", "Subtract", ""),
    ("multiply", "Multiply", ""),
    ("average", "Average", ""),
    ("maximum", "Maximum", ""),
    ("minimum", "Minimum", ""),
    ("dot", "Dot", ", axes=1"),
])
def test_each_merge_function_is_its_layer_with_every_input_inbound(function, class_name, kwargs):
    code = f"""
import keras
from keras import layers
a = keras.Input((4,))
b = keras.Input((4,))
x = layers.Dense(4, activation="relu")(a)
y = layers.Dense(4, activation="relu")(b)
m = layers.{function}([x, y]{kwargs}, name="merged")
out = layers.Dense(1)(m)
model = keras.Model([a, b], out)
"""
    found = _layers(code)
    merged = found["merged"]
    assert merged.class_name == class_name
    assert set(merged.inbound) == {"dense", "dense_1"}
    assert found["dense_2"].inbound == ("merged",)
    if kwargs:
        key, value = kwargs.strip(", ").split("=")
        assert merged.config == {key: int(value)}


def test_multiplied_linear_branches_are_not_a_linear_map():
    # The product of two linear maps is bilinear, not linear: the Dense after it is not reported.
    code = _ATTRIBUTE.format(act="").replace("layers.concatenate([x, y], axis=-1)", "layers.multiply([x, y])")
    assert _af101(code) == []


def test_a_script_function_named_like_a_merge_is_not_followed():
    code = """
import keras
from keras import layers

def concatenate(tensors):
    return tensors[0]

a = keras.Input((4,))
x = layers.Dense(4, activation="relu")(a)
m = concatenate([x, x])
out = layers.Dense(1)(m)
model = keras.Model(a, out)
"""
    names = [layer.class_name for spec in extract_source(code) for layer in spec.layers]
    assert "Concatenate" not in names
