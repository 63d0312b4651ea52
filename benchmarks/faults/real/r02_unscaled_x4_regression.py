# Real-fault reproduction r02: fitting y = x**4 on raw inputs in [-100, 100] fails
# source: https://stackoverflow.com/questions/52800582/why-do-i-fail-to-predict-y-x4-with-keras-y-x3-works
# family: data
# report: inputs spanning [-100, 100] and targets up to 1e8 fed raw to a small MLP with sigmoid hidden units;
# report: the answer: first-layer pre-activations of ~10 saturate the sigmoid and the outputs are far from the scale
# report: the glorot-initialised last layer can produce; standardise inputs and scale targets.
# fix (oracle r02_unscaled_x4_regression.fixed.py): standardise x and scale y before training (the score is R^2, scale-free)
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
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
