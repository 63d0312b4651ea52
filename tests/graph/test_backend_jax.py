"""The live path uses only public Keras 3 API, so it runs on the JAX backend too."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("jax")
pytestmark = pytest.mark.keras

SCRIPT = textwrap.dedent(
    """
    import keras, numpy as np
    from keras import layers
    import autofix
    assert keras.backend.backend() == "jax"
    model = keras.Sequential([keras.Input((6,)), layers.Dense(4), layers.Dense(4, activation="relu"),
                              layers.Dense(2), layers.Activation("softmax")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    result = autofix.fix(model, np.random.rand(32, 6) * 100, np.eye(2)[np.arange(32) % 2],
                         fit_kwargs={"shuffle": False})
    codes = sorted(f.code for f, _ in result.applied)
    result.model.fit(np.random.rand(32, 6) * 100, np.eye(2)[np.arange(32) % 2], epochs=1, verbose=0)
    print("APPLIED", ",".join(codes))
    """
)


def test_fix_runs_under_jax_backend():
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "APPLIED AF101,AF202,AF402" in proc.stdout
