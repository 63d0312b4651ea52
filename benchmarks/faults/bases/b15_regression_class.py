"""Base b15: regression, class-based wrapper holding self.model (Sequential, RMSprop, mae metric).

Protocol: make_data() / build_model() / train(model, data) / score(model, data); FIT holds the
fit() settings; the last line printed is SCORE=<score from predict on held-out rows>.
"""
import os

import numpy as np
import keras
from keras import layers

TASK = "regression"
FIT = dict(epochs=12, batch_size=32)


def make_data():
    rng = np.random.default_rng(115)
    x = rng.normal(size=(2000, 5)).astype("float32")
    y = (x[:, 0] * 2.0 + np.cos(2 * x[:, 1]) * 2.0 - x[:, 2] * x[:, 3]).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


class Regressor:
    def __init__(self, n_features=5):
        self.model = keras.Sequential([
            keras.Input(shape=(n_features,)),
            layers.Dense(64, activation="relu"),
            layers.Dense(32, activation="relu"),
            layers.Dense(1),
        ])
        self.model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=2e-3),
                           loss="mse", metrics=["mae"])

    def fit(self, x, y):
        self.model.fit(x, y, verbose=0, **FIT)
        return self

    def predict(self, x, verbose=0):
        return self.model.predict(x, verbose=verbose)


def build_model():
    return Regressor()


def train(model, data):
    (x, y), _ = data
    model.fit(x, y)
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
