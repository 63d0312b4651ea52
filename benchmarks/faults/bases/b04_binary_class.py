"""Base b04: binary classification, class-based wrapper holding ``self.model`` (SGD + momentum).

Protocol: make_data() / build_model() / train(model, data) / score(model, data); FIT holds the
fit() settings; the last line printed is SCORE=<accuracy from predict on held-out rows>.
build_model() returns the wrapper; the Keras model is its ``.model``.
"""
import os

import numpy as np
import keras
from keras import layers

TASK = "binary"
FIT = dict(epochs=15, batch_size=32)


def make_data():
    rng = np.random.default_rng(104)
    x = rng.normal(size=(2000, 6)).astype("float32")
    y = (np.tanh(x[:, 0] + x[:, 1]) - 0.6 * x[:, 2] * x[:, 3] + 0.3 * x[:, 4] > 0).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


class BinaryClassifier:
    def __init__(self, n_features=6):
        self.model = keras.Sequential()
        self.model.add(keras.Input(shape=(n_features,)))
        self.model.add(layers.Dense(48, activation="relu"))
        self.model.add(layers.Dense(24, activation="relu"))
        self.model.add(layers.Dense(1, activation="sigmoid"))
        self.model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
                           loss="binary_crossentropy", metrics=["accuracy"])

    def fit(self, x, y):
        self.model.fit(x, y, verbose=0, **FIT)
        return self

    def predict(self, x):
        return self.model.predict(x, verbose=0)


def build_model():
    return BinaryClassifier()


def train(model, data):
    (x, y), _ = data
    model.fit(x, y)
    return model


def score(model, data):
    _, (x, y) = data
    p = np.asarray(model.predict(x)).reshape(len(x), -1)
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
