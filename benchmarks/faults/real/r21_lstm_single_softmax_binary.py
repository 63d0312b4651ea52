# Real-fault reproduction r21: LSTM binary sequence classifier with a one-unit softmax output
# source: https://stackoverflow.com/questions/46620813 (mirror: stackguides.com/questions/46620813)
# family: head_loss
# report: "Keras LSTM model not learning binary sequence": Sequential LSTM(1, input_shape=(3, 1)) then
# report: Dense(1, activation="softmax"), binary_crossentropy, adagrad; accuracy constant at 0.4992 and the model
# report: predicts one constant for every input. A softmax over one unit is always 1; use a sigmoid.
# report: Here the LSTM has 16 units and Adam so that the oracle learns within a few epochs.
# fix (oracle r21_lstm_single_softmax_binary.fixed.py): Dense(1, activation="sigmoid")
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
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
    net.add(layers.Dense(1, activation="softmax"))
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
