# Oracle (hand-fixed version) of real/r01_single_unit_softmax_bits.py: Dense(1, activation='sigmoid')
"""softmax on one output unit always predicts 1 (bit-string counting task) (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "binary"
FIT = dict(epochs=20, batch_size=32)


def make_data():
    rng = np.random.default_rng(201)
    x = (rng.random((2000, 3)) < 0.45).astype("float32")
    x = np.concatenate([x, (rng.random((2000, 5)) < 0.5).astype("float32")], axis=1)
    y = (x[:, :3].sum(axis=1) > 1).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        layers.Dense(10, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
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
