# Real-fault reproduction r19: a sigmoid output unit asked to fit targets that are all negative
# source: https://stackoverflow.com/questions/58887284 (mirror: codewithsundeep.com/discussion/solution/58887284)
# family: regression_head
# report: target f(x) = -1 / (exp(10 x) + 1), all values in (-1, 0); tf.keras model with a Dense(1, sigmoid)
# report: output, loss mse, Adam(0.01); "it does not learn the curve". Answer: a sigmoid only outputs values in
# report: (0, 1), so negative targets cannot be learned; normalise the targets into [0, 1].
# fix (oracle r19_sigmoid_head_negative_targets.fixed.py): shift the targets into (0, 1) (y + 1) before training and scoring
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
"""a sigmoid output unit asked to fit targets that are all negative (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "regression"
FIT = dict(epochs=30, batch_size=32)


def target(x):
    s = x[:, 0] + 0.5 * x[:, 1] * x[:, 2] - 0.4 * x[:, 3] ** 2
    return -1.0 / (np.exp(3.0 * s) + 1.0)


def make_data():
    rng = np.random.default_rng(319)
    x = rng.uniform(-1.5, 1.5, size=(1600, 4)).astype("float32")
    y = target(x).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    inputs = keras.Input(shape=(4,))
    h = layers.Dense(32, activation="relu")(inputs)
    h = layers.Dense(32, activation="relu")(h)
    outputs = layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mean_absolute_error"])
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
