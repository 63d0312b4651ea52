# Oracle (hand-fixed version) of real/r02_unscaled_x4_regression.py: standardise x and scale y before training (the score is R^2, scale-free)
"""fitting y = x**4 on raw inputs in [-100, 100] fails (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "regression"
FIT = dict(epochs=30, batch_size=32)


def make_data():
    rng = np.random.default_rng(202)
    x = rng.uniform(-100, 100, size=(2000, 1)).astype("float32")
    y = (x[:, 0] ** 4).astype("float32")
    x = x / 57.7
    y = (y - 2e7) / 3e7
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(1,)),
        layers.Dense(32, activation="sigmoid"),
        layers.Dense(32, activation="elu"),
        layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse")
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
