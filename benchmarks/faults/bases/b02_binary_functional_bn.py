"""Base b02: binary classification, functional API with BatchNormalization and Dropout.

Protocol: make_data() / build_model() / train(model, data) / score(model, data); FIT holds the
fit() settings; the last line printed is SCORE=<accuracy from predict on held-out rows>.
"""
import os

import numpy as np
import keras
from keras import layers

TASK = "binary"
FIT = dict(epochs=10, batch_size=32)


def make_data():
    rng = np.random.default_rng(102)
    x = rng.normal(size=(2000, 12)).astype("float32")
    y = (x[:, 0] ** 2 + x[:, 1] ** 2 + 0.7 * x[:, 2] > 1.4).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    inputs = keras.Input(shape=(12,))
    h = layers.Dense(64, activation="relu")(inputs)
    h = layers.BatchNormalization()(h)
    h = layers.Dropout(0.1)(h)
    h = layers.Dense(32, activation="relu")(h)
    outputs = layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                  loss="binary_crossentropy", metrics=["accuracy"])
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
