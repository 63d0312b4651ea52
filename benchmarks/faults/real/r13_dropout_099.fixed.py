# Oracle (hand-fixed version) of real/r13_dropout_099.py: Dropout(0.2)
"""Dropout with rate 0.99 (all but 1% dropped): no training takes place (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=8, batch_size=64)


def make_data():
    rng = np.random.default_rng(213)
    centres = rng.normal(scale=1.2, size=(10, 32))
    y = rng.integers(0, 10, size=2400)
    x = (centres[y] + rng.normal(size=(2400, 32))).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(32,)),
        layers.Dense(128, activation="relu", use_bias=False),
        layers.Dropout(0.2),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.RMSprop(), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
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
