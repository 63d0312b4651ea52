# Oracle (hand-fixed version) of real/r04_int_pixels_normalised_to_zero.py: x.astype('float32') / 255 instead of integer division
"""model does not learn: 'normalising' integer pixels to [0, 1] in an int array made every pixel 0 (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "binary"
FIT = dict(epochs=10, batch_size=32)


def make_data():
    rng = np.random.default_rng(204)
    n_rows = 1600
    labels = (rng.random(n_rows) < 0.5).astype("int64")
    pixels = rng.integers(0, 160, size=(n_rows, 8, 8))
    pixels[labels == 1, 2:6, 2:6] += 90  # the other player: a bright blob in the middle
    x = (pixels.astype("float32") / 255.0).reshape(n_rows, 64)
    y = keras.utils.to_categorical(labels, 2).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
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
