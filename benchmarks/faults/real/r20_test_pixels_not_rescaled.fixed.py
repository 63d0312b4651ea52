# Oracle (hand-fixed version) of real/r20_test_pixels_not_rescaled.py: divide the evaluation pixels by 255 like the training ones
"""training pixels divided by 255, evaluation pixels not (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=12, batch_size=32)
N_CLASSES = 4


def _raw_images(rng, n):
    """8x8 integer pictures (0-255) on a grey noisy background: a 3x3 blob, left or right, dim or bright (4 classes)."""
    labels = rng.integers(0, N_CLASSES, size=n)
    pics = rng.integers(100, 170, size=(n, 8, 8)).astype("float32")
    for i, c in enumerate(labels):
        r0 = 2 + rng.integers(-1, 2)
        c0 = 1 + 4 * (c // 2) + rng.integers(-1, 2)
        pics[i, max(r0, 0):r0 + 3, max(c0, 0):c0 + 3] += 35 if c % 2 == 0 else 75
    return np.clip(pics, 0, 255), labels


def load_train(rng):
    pics, labels = _raw_images(rng, 1500)
    return pics / 255.0, labels


def load_eval(rng):
    pics, labels = _raw_images(rng, 500)
    return pics / 255.0, labels


def make_data():
    rng = np.random.default_rng(320)
    return load_train(rng), load_eval(rng)


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(8, 8)),
        layers.Flatten(),
        layers.Dense(64, activation="tanh"),
        layers.Dense(32, activation="tanh"),
        layers.Dense(N_CLASSES, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
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
