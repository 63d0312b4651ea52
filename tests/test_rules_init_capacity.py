"""AF105-AF110: the initializer and regularizer value readers they share (``rules/_init.py``).

Each example's message, line and rewrite are checked by the generated example tests."""

from __future__ import annotations

import pytest

from autofix.rules._init import initializer, regularizer
from autofix.values import Opaque

@pytest.mark.parametrize("value, name, constant", [
    ("zeros", "Zeros", 0.0),
    ("Ones", "Ones", 1.0),
    ({"module": "keras.initializers", "class_name": "Constant", "config": {"value": -2.0},
      "registered_name": None}, "Constant", -2.0),
    (Opaque("keras.initializers.Constant(0.5)"), "Constant", 0.5),
    (Opaque("initializers.RandomNormal(mean=0.3, stddev=0)"), "RandomNormal", 0.3),
    (Opaque("tf.zeros_initializer()"), "Zeros", 0.0),
])
def test_constant_initializers(value, name, constant):
    init = initializer(value)
    assert init is not None and init.name == name and init.constant == constant


@pytest.mark.parametrize("value", [
    "he_normal", Opaque("init"), Opaque("my_module.Zeros()"), Opaque("keras.initializers.Constant(c)"),
    {"module": "my_pkg", "class_name": "Zeros", "config": {}, "registered_name": "my_pkg>Zeros"},
])
def test_unreadable_or_random_initializers_are_not_constant(value):
    init = initializer(value)
    assert init is None or init.constant is None or init.constant.__class__.__name__ == "_Unknown"


def test_random_initializer_spread():
    assert initializer(Opaque("keras.initializers.RandomNormal(0.0, 2.0)")).std == 2.0
    assert abs(initializer(Opaque("RandomUniform(-1.0, 1.0)")).std - 0.5774) < 1e-3
    assert initializer("random_normal").std == 0.05
    # TF's own initializers changed their defaults between TF1 and TF2: not guessed.
    assert not isinstance(initializer(Opaque("tf.random_normal_initializer()")).std, float)


def test_regularizer_rewrites_keep_the_written_form():
    reg = regularizer(Opaque("keras.regularizers.L1L2(l1=1.0, l2=0.01)"))
    assert reg.large(0.1) == {"l1": 1.0}
    assert reg.with_factors({"l1": 1e-4}) == Opaque("keras.regularizers.L1L2(l1=0.0001, l2=0.01)")
    assert regularizer(Opaque("l2(l=0.5)")).with_factors({"l2": 1e-4}) == Opaque("l2(l=0.0001)")
    live = {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.5}, "registered_name": None}
    assert regularizer(live).with_factors({"l2": 1e-4})["config"] == {"l2": 1e-4}
    assert regularizer("l2").large(0.1) == {}
    assert regularizer(Opaque("keras.regularizers.l2(factor)")).large(0.1) == {}
