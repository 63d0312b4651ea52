# Real-fault reproduction r16: digit classifier with hidden layers of 3 and 4 units stays near chance
# source: https://github.com/kdexd/digit-classifier/issues/5
# family: capacity
# report: network layers [784, 3, 4, 10] on MNIST: test accuracy 14.6% after 10 epochs; the reporter
# report: points out the hidden layers are too small (examples with [784, 256, 256, 10] reach ~90%).
# fix (oracle r16_tiny_hidden_layers_digits.fixed.py): hidden layers of 64 and 64 units
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
"""digit classifier with hidden layers of 3 and 4 units stays near chance (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=10, batch_size=32)


def make_data():
    rng = np.random.default_rng(216)
    centres = rng.normal(scale=1.0, size=(10, 64))
    y = rng.integers(0, 10, size=2400)
    x = (centres[y] + rng.normal(size=(2400, 64))).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        layers.Dense(3, activation="sigmoid"),
        layers.Dense(4, activation="sigmoid"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model, data):
    (x, y), _ = data
    model.fit(x, y, verbose=0, **FIT)
    return model


def score(model, data):
    _, (x, y) = data
    p = np.asarray(model.predict(x, verbose=0)).reshape(len(x), -1)
    pred = p.argmax(-1) if p.shape[1] > 1 else np.rint(p[:, 0])
    truth = y.argmax(-1) if y.ndim > 1 else y.astype(int)
    return float(np.mean(pred == truth))


def main():
    keras.utils.set_random_seed(int(os.environ.get("SEED", "0")))
    data = make_data()
    model = build_model()
    train(model, data)
    print(f"SCORE={score(model, data):.4f}")


if __name__ == "__main__":
    main()
