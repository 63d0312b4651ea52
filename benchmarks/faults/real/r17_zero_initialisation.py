# Real-fault reproduction r17: all-zero initial weights: every hidden unit stays identical
# source: https://datascience.stackexchange.com/questions/19170/what-is-the-purpose-of-setting-an-initial-weight-on-deep-learning-model
# family: init
# report: a Keras beginner asks why not initialise every weight to zero (kernel_initializer='zero');
# report: accepted answer (CS231n): with all-zero weights every neuron computes the same output and gradient,
# report: so there is no asymmetry and the layer cannot learn distinct features.
# fix (oracle r17_zero_initialisation.fixed.py): default glorot_uniform kernels
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
"""all-zero initial weights: every hidden unit stays identical (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "binary"
FIT = dict(epochs=15, batch_size=32)


def make_data():
    rng = np.random.default_rng(217)
    x = rng.normal(size=(2000, 8)).astype("float32")
    y = (x[:, 0] ** 2 + x[:, 1] ** 2 > 1.4).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        layers.Dense(12, activation="relu", kernel_initializer="zeros"),
        layers.Dense(8, activation="relu", kernel_initializer="zeros"),
        layers.Dense(1, activation="sigmoid", kernel_initializer="zeros"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def train(model, data):
    (x, y), _ = data
    model.fit(x, y, verbose=0, **FIT)
    return model


def score(model, data):
    _, (x, y) = data
    p = np.asarray(model.predict(x, verbose=0)).reshape(len(x), -1)
    pred = p.argmax(-1) if p.shape[1] > 1 else p[:, 0] > 0.5
    truth = np.asarray(y).reshape(len(y), -1)[:, -1] > 0.5
    return float(np.mean(pred == truth))


def main():
    keras.utils.set_random_seed(int(os.environ.get("SEED", "0")))
    data = make_data()
    model = build_model()
    train(model, data)
    print(f"SCORE={score(model, data):.4f}")


if __name__ == "__main__":
    main()
