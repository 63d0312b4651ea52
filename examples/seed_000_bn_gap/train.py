"""Seed 000: "Keras 1D CNN always predicts the same result even if accuracy is high on training set".

The user's 1D CNN (Conv1D + BatchNormalization blocks, Flatten -> Dense(200),
2-unit softmax) is trained with SGD, ``binary_crossentropy`` and
``fit(shuffle=False)`` on raw, unnormalised signals. Training accuracy climbs
to 0.95 while validation, and even ``evaluate()`` on the very same training
data, sit at 0.50: the model predicts the same class for every input.

Synthetic data: raw sensor-like segments (counts around 500, spread of about
40) of two classes that differ in their dominant frequency, stored sorted by
class (all class 0, then all class 1), as a dataset built class by class
often is. The signals are 1280 samples long instead of the user's 4096 to
keep the run short; the Flatten -> Dense(200) layer still holds 96.7% of the
parameters (1.02M of 1.06M; the user's summary: 98.9% of 3.3M).

Run: ``python examples/seed_000_bn_gap/train.py`` (about 30-40 s).
"""

import os
import sys

import numpy as np

import keras
from keras import Input
from keras.layers import Activation, BatchNormalization, Conv1D, Dense, Dropout, Flatten, MaxPooling1D
from keras.models import Sequential
from keras.optimizers import SGD

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _common  # noqa: E402  (examples/_common.py: symptom measuring helpers)

LENGTH = 1280
#: The literal keyword arguments of the ``fit()`` call in :func:`main`
#: (validation data is passed there too).
FIT_KWARGS = {"epochs": 5, "shuffle": False, "verbose": 0}


def make_data(seed=0):
    """(X_train, Y_train, X_test, Y_test): (n, 1280, 1) raw signals, (n, 2) one-hot labels.

    The training set is sorted by class; the test set is interleaved.
    """
    rng = np.random.default_rng(seed)
    n_train, n_test = 800, 400

    def segments(n, label):
        t = np.arange(LENGTH)[None, :]
        freq = np.where(label == 0, 0.020, 0.030)[:, None] * rng.uniform(0.9, 1.1, size=(n, 1))
        phase = rng.uniform(0, 2 * np.pi, size=(n, 1))
        wave = np.sin(2 * np.pi * freq * t + phase)
        noise = rng.normal(size=(n, LENGTH))
        return (500.0 + 40.0 * (0.6 * wave + noise))[:, :, None].astype("float32")

    y_train = np.repeat([0, 1], n_train // 2)  # sorted: all class 0, then all class 1
    y_test = rng.permutation(np.repeat([0, 1], n_test // 2))
    X_train, X_test = segments(n_train, y_train), segments(n_test, y_test)
    Y_train = keras.utils.to_categorical(y_train, 2)
    Y_test = keras.utils.to_categorical(y_test, 2)
    return X_train, Y_train, X_test, Y_test


def build_model():
    """The user's model and compile call, as written."""
    model = Sequential()

    model.add(Input(shape=(LENGTH, 1)))

    model.add(Conv1D(16, 61, strides=1, padding="same"))
    model.add(BatchNormalization())
    model.add(Activation('relu'))
    model.add(MaxPooling1D(2, strides=2, padding="valid"))

    model.add(Conv1D(32, 3, strides=1, padding="same"))
    model.add(BatchNormalization())
    model.add(Activation('relu'))
    model.add(MaxPooling1D(2, strides=2, padding="valid"))

    model.add(Conv1D(64, 3, strides=1, padding="same"))
    model.add(BatchNormalization())
    model.add(Activation('relu'))
    model.add(MaxPooling1D(2, strides=2, padding="valid"))

    model.add(Conv1D(64, 3, strides=1, padding="same"))
    model.add(BatchNormalization())
    model.add(Activation('relu'))
    model.add(MaxPooling1D(2, strides=2, padding="valid"))

    model.add(Conv1D(64, 3, strides=1, padding="same"))
    model.add(BatchNormalization())
    model.add(Activation('relu'))
    model.add(Flatten())
    model.add(Dropout(0.5))

    model.add(Dense(200))
    model.add(Activation('relu'))

    model.add(Dense(2))
    model.add(Activation('softmax'))

    opt = SGD(learning_rate=0.01)

    model.compile(loss='binary_crossentropy', optimizer=opt, metrics=['accuracy'])
    return model


def symptom(model, data, history=None):
    """The user's symptom: fit() accuracy high, evaluate() on the same data at chance.

    ``fit_accuracy`` is the last epoch's training accuracy as fit() reported it
    (pass the History), ``evaluate_train_accuracy`` the real (argmax)
    accuracy of the trained model on the same training data.
    """

    X_train, Y_train, X_test, Y_test = data
    out = {
        "fit_accuracy": float(history.history["accuracy"][-1]) if history is not None else float("nan"),
        "evaluate_train_accuracy": _common.accuracy(model, X_train, Y_train),
        "test_accuracy": _common.accuracy(model, X_test, Y_test),
    }
    cls, share = _common.majority_share(model, X_test)
    out["predicted_class"], out["predicted_share"] = cls, share
    out["present"] = out["evaluate_train_accuracy"] < 0.6 and out["test_accuracy"] < 0.6 and (
        history is None or out["fit_accuracy"] - out["evaluate_train_accuracy"] > 0.25)
    return out


def main():
    keras.utils.set_random_seed(0)
    X_train, Y_train, X_test, Y_test = data = make_data()
    model = build_model()
    model.summary()
    history = model.fit(X_train, Y_train, epochs=5, shuffle=False, verbose=0, validation_data=(X_test, Y_test))
    for epoch, (acc, val_acc) in enumerate(zip(history.history["accuracy"], history.history["val_accuracy"]), 1):
        print(f"epoch {epoch}: accuracy {acc:.4f} - val_accuracy {val_acc:.4f}")
    model.evaluate(X_train, Y_train, verbose=0)
    s = symptom(model, data, history)
    print(f"fit accuracy {s['fit_accuracy']:.2f} vs evaluate on the same data {s['evaluate_train_accuracy']:.2f}; "
          f"test accuracy {s['test_accuracy']:.2f}; predicts class {s['predicted_class']} for "
          f"{s['predicted_share']:.0%} of test inputs")
    print("symptom present:", s["present"])
    return s


if __name__ == "__main__":
    main()
