"""Base b12: multi-label classification (4 labels), functional API with Dropout.

Protocol: make_data() / build_model() / train(model, data) / score(model, data); FIT holds the
fit() settings; the last line printed is SCORE=<score from predict on held-out rows>.
"""
import os

import numpy as np
import keras
from keras import layers

TASK = "multilabel"
FIT = dict(epochs=12, batch_size=32)


def make_data():
    rng = np.random.default_rng(112)
    x = rng.normal(size=(2000, 8)).astype("float32")
    y = np.stack([
        x[:, 0] + x[:, 1] > 0,
        x[:, 2] ** 2 + x[:, 3] ** 2 > 1.4,
        np.sin(2 * x[:, 4]) > 0,
        x[:, 5] * x[:, 6] > 0,
    ], axis=1).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    inputs = keras.Input(shape=(8,))
    h = layers.Dense(64, activation="relu")(inputs)
    h = layers.Dropout(0.1)(h)
    h = layers.Dense(64, activation="relu")(h)
    outputs = layers.Dense(4, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                  loss="binary_crossentropy", metrics=["binary_accuracy"])
    return model


def train(model, data):
    (x, y), _ = data
    model.fit(x, y, verbose=0, **FIT)
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
