"""Base b19: sequence regression (mean of one channel plus the last value of another), GRU model from a builder function.

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
    rng = np.random.default_rng(119)
    x = rng.normal(size=(1500, 12, 2)).astype("float32")
    y = (4.0 * x[:, :, 0].mean(axis=1) + 1.5 * x[:, -1, 1]).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def make_recurrent(steps, channels, units=16):
    inputs = keras.Input(shape=(steps, channels))
    h = layers.GRU(units)(inputs)
    h = layers.Dense(16, activation="relu")(h)
    outputs = layers.Dense(1)(h)
    return keras.Model(inputs, outputs)


def build_model():
    model = make_recurrent(12, 2)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=5e-3), loss="mse")
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
