"""A fix that changes an initializer must re-initialise the layer, not copy the old weights back."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import autofix  # noqa: E402

pytestmark = pytest.mark.keras


def test_constant_kernel_fix_starts_the_kernel_afresh():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6,)),
                              keras.layers.Dense(16, activation="relu", kernel_initializer="ones", name="hidden"),
                              keras.layers.Dense(3, activation="softmax", name="out")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    out_kernel = model.get_layer("out").get_weights()[0]
    result = autofix.fix(model, select=["AF105"])
    assert [f.code for f, _ in result.applied] == ["AF105"]
    kernel = result.model.get_layer("hidden").get_weights()[0]
    assert np.unique(kernel).size > 1, "the constant kernel was copied back"
    assert "hidden" in result.reinitialised_layers
    np.testing.assert_array_equal(result.model.get_layer("out").get_weights()[0], out_kernel)  # kept
    assert np.all(model.get_layer("hidden").get_weights()[0] == 1.0)  # the input model is untouched
