"""Seed 003: "Training accuracy stuck in Keras" (3-class CNN at 33.3%).

The user's 3-class image CNN, ``[Conv -> ReLU -> Conv -> ReLU -> MaxPool] x 3
-> Flatten -> Dense(128) -> Dense(64) -> Dense(3, softmax)``, trained with
Adam at ``learning_rate=0.01``: training accuracy sits at 33.3% and the model
outputs one class. The accepted answer: the rate overshoots; 1e-4 trains.

Synthetic data: 40x40 RGB images (the user's were 256x256) of three classes,
horizontal stripes, vertical stripes and blobs, with random phase, colour and
noise, rescaled to 0..1 as ``ImageDataGenerator(rescale=1./255)`` does, with
one-hot labels as ``flow_from_directory`` yields them.

Run: ``python examples/seed_003_learning_rate/train.py`` (about 30 s).
"""

import os
import sys

import numpy as np

import keras
from keras.layers import Conv2D, Dense, Flatten, Input, MaxPooling2D
from keras.models import Sequential
from keras.optimizers import Adam

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _common  # noqa: E402  (examples/_common.py: symptom measuring helpers)

SIZE = 40
#: The literal keyword arguments of the ``fit()`` call in :func:`main`
#: (validation data is passed there too).
FIT_KWARGS = {"epochs": 6, "batch_size": 32, "verbose": 0}


def make_data(seed=0):
    """(x_train, y_train, x_val, y_val): (n, 40, 40, 3) images in 0..1, (n, 3) one-hot labels."""
    rng = np.random.default_rng(seed)
    n_train, n_val = 900, 300
    n = n_train + n_val
    y = np.arange(n) % 3
    rng.shuffle(y)
    rows, cols = np.mgrid[0:SIZE, 0:SIZE]
    x = np.empty((n, SIZE, SIZE, 3), dtype="float32")
    for i, label in enumerate(y):
        period = rng.uniform(6, 12)
        phase = rng.uniform(0, 2 * np.pi)
        if label == 0:
            pattern = np.sin(2 * np.pi * rows / period + phase)
        elif label == 1:
            pattern = np.sin(2 * np.pi * cols / period + phase)
        else:
            centres = rng.uniform(0, SIZE, size=(3, 2))
            pattern = sum(np.exp(-((rows - r) ** 2 + (cols - c) ** 2) / 40.0) for r, c in centres) * 2 - 1
        colour = rng.uniform(0.3, 1.0, size=3)
        image = 127 + 60 * pattern[:, :, None] * colour + rng.normal(0, 25, size=(SIZE, SIZE, 3))
        x[i] = np.clip(image, 0, 255) / 255.0
    y = keras.utils.to_categorical(y, 3)
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


def build_model():
    """The user's classifier, as written."""
    classifier = Sequential()
    classifier.add(Input(shape=(SIZE, SIZE, 3)))
    classifier.add(Conv2D(32, (3, 3), activation='relu'))
    classifier.add(Conv2D(32, (3, 3), activation='relu'))
    classifier.add(MaxPooling2D(pool_size=(2, 2)))
    classifier.add(Conv2D(32, (3, 3), activation='relu'))
    classifier.add(Conv2D(32, (3, 3), activation='relu'))
    classifier.add(MaxPooling2D(pool_size=(2, 2)))
    classifier.add(Conv2D(32, (3, 3), activation='relu'))
    classifier.add(Conv2D(32, (3, 3), activation='relu'))
    classifier.add(MaxPooling2D(pool_size=(2, 2)))
    classifier.add(Flatten())
    classifier.add(Dense(128, activation='relu'))
    classifier.add(Dense(64, activation='relu'))
    classifier.add(Dense(3, activation='softmax'))
    classifier.compile(optimizer=Adam(learning_rate=0.01), loss='categorical_crossentropy',
                       metrics=['accuracy'])
    return classifier


def symptom(model, data, history=None):
    """The user's symptom: accuracy stuck at ~33% with one class predicted."""

    x_train, y_train, x_val, y_val = data
    cls, share = _common.majority_share(model, x_val)
    out = {
        "train_accuracy": _common.accuracy(model, x_train, y_train),
        "val_accuracy": _common.accuracy(model, x_val, y_val),
        "predicted_class": cls,
        "predicted_share": share,
    }
    out["present"] = out["val_accuracy"] < 0.45 and share > 0.9
    return out


def main():
    keras.utils.set_random_seed(0)
    x_train, y_train, x_val, y_val = data = make_data()
    classifier = build_model()
    history = classifier.fit(x_train, y_train, epochs=6, batch_size=32, verbose=0,
                             validation_data=(x_val, y_val))
    for epoch, (acc, val_acc) in enumerate(zip(history.history["accuracy"], history.history["val_accuracy"]), 1):
        print(f"epoch {epoch}: accuracy {acc:.4f} - val_accuracy {val_acc:.4f}")
    s = symptom(classifier, data)
    print(f"train accuracy {s['train_accuracy']:.3f}, val accuracy {s['val_accuracy']:.3f}; predicts class "
          f"{s['predicted_class']} for {s['predicted_share']:.0%} of validation images")
    print("symptom present (stuck at 1/3, one class):", s["present"])
    return s


if __name__ == "__main__":
    main()
