"""Seed 002: "Why does a binary Keras CNN always predict 1?"

The user's Keras-1 script, ported to the Keras 3 API with nothing else
changed: a small Conv1D network on windows of 10 time steps x 4 price
channels whose output layer is ``Dense(1)`` followed by ``softmax``. A
softmax over a single unit is always exactly 1.0, so every input is
predicted as class 1 (the user's confusion matrix: ``[[0 362] [0 608]]``).

The data is synthetic: 4 price-like channels sitting around -1.06 and moving
only in the third decimal (as in the user's ``print(X_train[0])``); the label
says whether the window ends above where it started (about 63% ones, like
the user's 608 / 970).

Run: ``python examples/seed_002_single_unit_softmax/train.py`` (about 15 s).
"""

import os
import sys

import numpy as np

import keras
from keras.callbacks import ReduceLROnPlateau
from keras.layers import Activation, BatchNormalization, Conv1D, Dense, Dropout, Flatten, Input, LeakyReLU
from keras.models import Sequential

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _common  # noqa: E402  (examples/_common.py: symptom measuring helpers)

#: The literal keyword arguments of the ``fit()`` call in :func:`main`
#: (validation data and callbacks are passed there too).
FIT_KWARGS = {"epochs": 15, "batch_size": 128, "verbose": 0, "shuffle": True}


def make_data(seed=0):
    """(x_train, y_train, x_test, y_test): (n, 10, 4) windows and (n, 1) 0/1 labels."""
    rng = np.random.default_rng(seed)
    n_train, n_test = 3000, 970
    n = n_train + n_test
    # a random walk per window, shared by the 4 channels (open/high/low/close) plus jitter
    steps = rng.normal(0.0, 1.0, size=(n, 10))
    walk = np.cumsum(steps, axis=1)
    x = walk[:, :, None] + 0.3 * rng.normal(size=(n, 10, 4))
    # the user's inputs: values around -1.06 varying only in the third decimal
    x = (-1.06 + 0.0012 * x).astype("float32")
    move = x[:, -3:, :].mean(axis=(1, 2)) - x[:, :3, :].mean(axis=(1, 2))
    y = (move > np.quantile(move, 0.37)).astype("float32").reshape(-1, 1)
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


def build_model():
    """The user's model, as written (Keras-1 names mapped to Keras 3)."""
    model = Sequential()
    model.add(Input(shape=(10, 4)))
    model.add(Conv1D(filters=16, kernel_size=4, padding="same"))
    model.add(BatchNormalization())
    model.add(LeakyReLU())
    model.add(Dropout(0.2))
    model.add(Conv1D(filters=8, kernel_size=4, padding="same"))
    model.add(BatchNormalization())
    model.add(LeakyReLU())
    model.add(Dropout(0.2))
    model.add(Flatten())
    model.add(Dense(64))
    model.add(BatchNormalization())
    model.add(LeakyReLU())
    model.add(Dense(1))
    model.add(Activation("softmax"))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def symptom(model, data, history=None):
    """The user's symptom: every test input is predicted as one class (class 1 for the user).

    ``present`` is True when one class takes >= 99% of the test predictions.
    """

    _, _, x_test, y_test = data
    cls, share = _common.majority_share(model, x_test)
    pred = _common.predicted_classes(model, x_test)
    true = _common.class_indices(y_test)
    confusion = [[int(np.sum((true == t) & (pred == p))) for p in (0, 1)] for t in (0, 1)]
    return {
        "predicted_class": cls,
        "predicted_share": share,
        "test_accuracy": _common.accuracy(model, x_test, y_test),
        "share_of_ones_in_test": float(true.mean()),
        "confusion_matrix": confusion,
        "present": share >= 0.99,
    }


def main():
    keras.utils.set_random_seed(0)
    x_train, y_train, x_test, y_test = data = make_data()
    model = build_model()
    # The user monitored 'val_acc' (Keras 1's name); Keras 3 raises on it, so the
    # port uses its Keras 3 name 'val_accuracy' (see legacy_train.py for the original).
    reduce_lr = ReduceLROnPlateau(monitor="val_accuracy", factor=0.9, patience=30, min_lr=0.000001, verbose=0)
    model.fit(x_train, y_train,
              epochs=15,
              batch_size=128,
              verbose=0,
              validation_data=(x_test, y_test),
              callbacks=[reduce_lr],
              shuffle=True)
    found = symptom(model, data)
    print("confusion matrix [[tn fp] [fn tp]]:", found["confusion_matrix"])
    print(f"predicts class {found['predicted_class']} for {found['predicted_share']:.0%} of test inputs; "
          f"test accuracy {found['test_accuracy']:.3f} = share of ones {found['share_of_ones_in_test']:.3f}")
    print("symptom present:", found["present"])
    return found


if __name__ == "__main__":
    main()
