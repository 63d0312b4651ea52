# Oracle (hand-fixed version) of real/r11_batchnorm_batch_size_1.py: batch_size=32
"""BatchNormalization trained with batch size 1 does not work (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=10, batch_size=32)


def make_data():
    rng = np.random.default_rng(211)
    centres = rng.normal(scale=1.5, size=(4, 10))
    y = rng.integers(0, 4, size=1600)
    x = (centres[y] + rng.normal(size=(1600, 10))).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(10,)),
        layers.Dense(32),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.Dense(4, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
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
