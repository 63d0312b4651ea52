# Oracle (hand-fixed version) of real/r21_lstm_single_softmax_binary.py: Dense(1, activation="sigmoid")
"""LSTM binary sequence classifier with a one-unit softmax output (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "binary"
FIT = dict(epochs=15, batch_size=32)
STEPS = 6


def make_data():
    rng = np.random.default_rng(321)
    bits = rng.integers(0, 2, size=(2000, STEPS)).astype("float32")
    y = ((bits[:, -3:].sum(axis=1) >= 2) ^ (bits[:, 0] > 0)).astype("float32")
    x = bits[..., None]
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    net = keras.Sequential()
    net.add(keras.Input(shape=(STEPS, 1)))
    net.add(layers.LSTM(16))
    net.add(layers.Dense(1, activation="sigmoid"))
    net.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return net


def train(model, data):
    (x, y), _ = data
    model.fit(x, y, verbose=0, **FIT)
    return model


def score(model, data):
    """Accuracy of predict on held-out rows (argmax, or a 0.5 threshold for one unit)."""
    _, (x, y) = data
    p = np.asarray(model.predict(x, verbose=0)).reshape(len(y), -1)
    pred = p.argmax(-1) if p.shape[1] > 1 else (p[:, 0] > 0.5).astype(int)
    truth = np.asarray(y).reshape(len(y), -1)
    truth = truth.argmax(-1) if truth.shape[1] > 1 else truth[:, 0].astype(int)
    return float(np.mean(pred == truth))


def main():
    keras.utils.set_random_seed(int(os.environ.get("SEED", "0")))
    data = make_data()
    model = build_model()
    train(model, data)
    print(f"SCORE={score(model, data):.4f}")


if __name__ == "__main__":
    main()
