# Real-fault reproduction r07: a ReLU-type output meant to turn negative inputs positive keeps outputting 0
# source: https://manongdao.com/article-1111310.html (mirror of a StackOverflow question: 'convert a negative value into a positive value using a ReLU')
# family: activation
# report: Dense(1, kernel_initializer='normal') followed by LeakyReLU(alpha=0.001) as output, inputs negative,
# report: target abs(x); the model output stayed 0.0; it only learned after many more epochs, because the
# report: output unit sits in the flat part of the (leaky) ReLU; a linear output / hidden layers learn at once.
# report: (reproduced with the plain ReLU the question's title describes, a kernel starting small and positive,
# report: RandomUniform(0, 0.05), so the unit is dead from the first step: with Adam, the LeakyReLU(0.001) of the
# report: report's code recovers on this data; the report's other fixes: negative initial weights, more epochs)
# fix (oracle r07_relu_output_stuck_at_zero.fixed.py): hidden ReLU layer and a linear output
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
"""a ReLU-type output meant to turn negative inputs positive keeps outputting 0 (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "regression"
FIT = dict(epochs=10, batch_size=10)


def make_data():
    rng = np.random.default_rng(207)
    x = -rng.uniform(0.1, 2.0, size=(2000, 2)).astype("float32")
    y = np.abs(x).sum(axis=1).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(1, activation="relu", kernel_initializer=keras.initializers.RandomUniform(0.0, 0.05)),
    ])
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
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
