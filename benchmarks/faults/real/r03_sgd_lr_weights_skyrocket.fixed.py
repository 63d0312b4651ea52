# Oracle (hand-fixed version) of real/r03_sgd_lr_weights_skyrocket.py: SGD(learning_rate=1e-5) on the same raw data
"""learning rate makes the weights skyrocket to nan (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "regression"
FIT = dict(epochs=20, batch_size=32)


def make_data():
    rng = np.random.default_rng(203)
    x = rng.uniform(0, 60, size=(2000, 4)).astype("float32")
    y = (x @ np.array([3.0, -2.0, 1.5, 0.5]) + 10.0 + rng.normal(scale=5.0, size=2000)).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(4,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-5), loss="mse")
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
