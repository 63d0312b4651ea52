# Oracle (hand-fixed version) of real/r27_four_sigmoid_layers_sgd.py: ReLU hidden activations
"""four wide sigmoid hidden layers trained with SGD do not learn (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "regression"
FIT = dict(epochs=20, batch_size=32)
HIDDEN = "relu"


def make_data():
    rng = np.random.default_rng(327)
    x = rng.integers(0, 2, size=(2000, 16)).astype("float32")
    y = (2.0 * x[:, 0] * x[:, 1] - 1.5 * x[:, 2] + x[:, 3:8].sum(axis=1) * x[:, 8] - x[:, 9] * x[:, 10]).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([keras.Input(shape=(16,))]
                             + [layers.Dense(500, activation=HIDDEN) for _ in range(4)]
                             + [layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
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
