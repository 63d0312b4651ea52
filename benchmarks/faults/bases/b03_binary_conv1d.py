"""Base b03: binary sequence classification (is there a bump in the signal?), Sequential Conv1D.

Protocol: make_data() / build_model() / train(model, data) / score(model, data); FIT holds the
fit() settings; the last line printed is SCORE=<accuracy from predict on held-out rows>.
"""
import os

import numpy as np
import keras
from keras import layers

TASK = "binary"
FIT = dict(epochs=8, batch_size=32)


def make_data():
    rng = np.random.default_rng(103)
    n_rows, steps = 2000, 40
    x = rng.normal(scale=0.6, size=(n_rows, steps, 1)).astype("float32")
    y = (rng.random(n_rows) < 0.5).astype("float32")
    t = np.arange(steps)
    for i in np.flatnonzero(y):
        centre = rng.integers(4, steps - 4)
        x[i, :, 0] += 2.0 * np.exp(-0.5 * ((t - centre) / 1.5) ** 2)
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(40, 1)),
        layers.Conv1D(16, 5, activation="relu", padding="same"),
        layers.Conv1D(16, 5, activation="relu", padding="same"),
        layers.GlobalMaxPooling1D(),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
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
