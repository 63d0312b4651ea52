# Oracle (hand-fixed version) of real/r24_ones_init_loop_builder.py: the default random (Glorot) kernels and zero biases
"""every weight and bias initialised to 1, the hidden units stay identical (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "binary"
FIT = dict(epochs=20, batch_size=32)
INIT = dict()


def make_data():
    rng = np.random.default_rng(324)
    x = rng.normal(size=(2000, 6)).astype("float32")
    y = (x[:, 0] * x[:, 1] + np.sin(2 * x[:, 2]) - 0.5 * x[:, 3] > 0).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model(sizes=(32, 32)):
    model = keras.Sequential([keras.Input(shape=(6,))])
    for units in sizes:
        model.add(layers.Dense(units, activation="sigmoid", **INIT))
    model.add(layers.Dense(1, activation="sigmoid", **INIT))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


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
