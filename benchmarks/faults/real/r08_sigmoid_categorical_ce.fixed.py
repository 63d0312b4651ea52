# Oracle (hand-fixed version) of real/r08_sigmoid_categorical_ce.py: loss=binary_crossentropy
"""too low accuracy: one sigmoid unit trained with categorical_crossentropy (breast-cancer style data) (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "binary"
FIT = dict(epochs=30, batch_size=100)


def make_data():
    rng = np.random.default_rng(208)
    x = rng.normal(size=(1200, 30)).astype("float32")
    w = rng.normal(size=30)
    y = (x @ w + 0.5 * x[:, 0] * x[:, 1] > 0.8).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(30,)),
        layers.Dense(16, activation="relu", kernel_initializer="uniform"),
        layers.Dropout(0.1),
        layers.Dense(16, activation="relu", kernel_initializer="uniform"),
        layers.Dropout(0.1),
        layers.Dense(1, activation="sigmoid", kernel_initializer="uniform"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.binary_crossentropy,
                  metrics=["accuracy"])
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
