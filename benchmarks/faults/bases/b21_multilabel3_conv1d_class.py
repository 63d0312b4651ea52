"""Base b21: multi-label sequence tagging (which of 3 motifs occur), class-based wrapper around a Conv1D model.

Protocol: make_data() / build_model() / train(model, data) / score(model, data); FIT holds the
fit() settings; the last line printed is SCORE=<score from predict on held-out rows>.
"""
import os

import numpy as np
import keras
from keras import layers

TASK = "multilabel"
FIT = dict(epochs=8, batch_size=32)


def make_data():
    rng = np.random.default_rng(121)
    n_rows, steps = 1800, 40
    x = rng.normal(scale=0.5, size=(n_rows, steps, 1))
    y = (rng.random((n_rows, 3)) < 0.5).astype("float32")
    motifs = [np.array([2.0, 2.0, 2.0]), np.array([-2.0, -2.0, -2.0]), np.array([2.0, -2.0, 2.0])]
    for i in range(n_rows):
        for k in np.flatnonzero(y[i]):
            s = rng.integers(0, steps - 3)
            x[i, s:s + 3, 0] += motifs[k]
    x = x.astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


class MotifTagger:
    def __init__(self):
        self.model = keras.Sequential([
            keras.Input(shape=(40, 1)),
            layers.Conv1D(16, 3, activation="relu", padding="same"),
            layers.Conv1D(16, 3, activation="relu", padding="same"),
            layers.GlobalMaxPooling1D(),
            layers.Dense(16, activation="relu"),
            layers.Dense(3, activation="sigmoid"),
        ])
        self.model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                           loss="binary_crossentropy", metrics=["binary_accuracy"])

    def fit(self, x, y):
        self.model.fit(x, y, verbose=0, **FIT)
        return self

    def predict(self, x, verbose=0):
        return self.model.predict(x, verbose=verbose)


def build_model():
    return MotifTagger()


def train(model, data):
    (x, y), _ = data
    model.fit(x, y)
    return model


def score(model, data):
    _, (x, y) = data
    p = np.asarray(model.predict(x, verbose=0)).reshape(y.shape)
    return float(np.mean((p > 0.5) == (y > 0.5)))


def main():
    keras.utils.set_random_seed(int(os.environ.get("SEED", "0")))
    data = make_data()
    model = build_model()
    train(model, data)
    print(f"SCORE={score(model, data):.4f}")


if __name__ == "__main__":
    main()
