"""Tiny models and data for verification tests (seconds each on 2 CPU cores)."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")


@pytest.fixture(scope="session")
def binary_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(480, 8)).astype("float32")
    return x, (x[:, 0] + x[:, 1] > 0).astype("int64")


@pytest.fixture
def dense_model():
    """Factory: Dense(16, relu) -> Dense(units, activation), compiled."""
    return _dense_model


def _dense_model(units=1, activation="sigmoid", loss="binary_crossentropy", optimizer=None):
    optimizer = optimizer or keras.optimizers.Adam(learning_rate=0.005)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(units, activation=activation)])
    model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
    return model


@pytest.fixture
def slow_sgd():
    """Factory: a model no rule flags that does not learn in a few hundred steps (SGD at 2e-5)."""
    return _slow_sgd


def _slow_sgd():
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(2e-5), loss="binary_crossentropy", metrics=["accuracy"])
    return model
