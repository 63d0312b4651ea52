"""Base b18: sequence regression (signed amplitude of a noisy sine), Sequential Conv1D.

Protocol: make_data() / build_model() / train(model, data) / score(model, data); FIT holds the
fit() settings; the last line printed is SCORE=<score from predict on held-out rows>.
"""
import os

import numpy as np
import keras
from keras import layers

TASK = "regression"
FIT = dict(epochs=10, batch_size=32)


def make_data():
    rng = np.random.default_rng(118)
    n_rows, steps = 1800, 32
    amp = rng.uniform(0.2, 3.0, size=(n_rows, 1))
    t = np.arange(steps)[None, :]
    wave = amp * np.sin(2 * np.pi * 2 * t / steps + rng.uniform(0, 2 * np.pi, size=(n_rows, 1)))
    x = (wave + rng.normal(scale=0.3, size=wave.shape))[..., None].astype("float32")
    y = (2.0 * (amp[:, 0] - 1.6)).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(32, 1)),
        layers.Conv1D(16, 5, activation="relu", padding="same"),
        layers.Conv1D(16, 5, activation="relu", padding="same"),
        layers.GlobalMaxPooling1D(),
        layers.Dense(16, activation="relu"),
        layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3), loss="mse")
    return model


def train(model, data):
    (x, y), _ = data
    model.fit(x, y, verbose=0, **FIT)
    return model


def score(model, data):
    """R^2 of predict on held-out rows (clipped at -1; non-finite predictions score -1)."""
    _, (x, y) = data
    p = np.asarray(model.predict(x, verbose=0), dtype="float64").reshape(y.shape)
    if not np.all(np.isfinite(p)):
        return -1.0
    r2 = 1.0 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2)
    return float(max(r2, -1.0))


def main():
    keras.utils.set_random_seed(int(os.environ.get("SEED", "0")))
    data = make_data()
    model = build_model()
    train(model, data)
    print(f"SCORE={score(model, data):.4f}")


if __name__ == "__main__":
    main()
