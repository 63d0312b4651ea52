"""AF105's fix on a functional model re-initialises the kernels whose initializer it changed (fault suite b12)."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import autofix  # noqa: E402

pytestmark = pytest.mark.keras


def test_functional_constant_kernels_start_afresh():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((6,))
    x = keras.layers.Dense(16, activation="relu", kernel_initializer=keras.initializers.Constant(0.05),
                           name="h1")(inputs)
    x = keras.layers.Dense(16, activation="relu", kernel_initializer=keras.initializers.Constant(0.05),
                           name="h2")(x)
    model = keras.Model(inputs, keras.layers.Dense(4, activation="sigmoid", name="out")(x))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x_train = np.random.default_rng(0).normal(size=(64, 6)).astype("float32")
    y_train = (np.random.default_rng(1).random((64, 4)) > 0.5).astype("float32")
    result = autofix.fix(model, x_train, y_train, fit_kwargs={"epochs": 2, "batch_size": 16}, select=["AF105"])
    assert {"h1", "h2"} <= set(result.reinitialised_layers)
    for name in ("h1", "h2"):
        assert np.unique(result.model.get_layer(name).get_weights()[0]).size > 1, name
    assert np.all(model.get_layer("h1").get_weights()[0] == np.float32(0.05))  # the input model is untouched
