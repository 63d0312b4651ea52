"""Seed 001: "Why doesn't my binary classification model learn, not even overfit?"

The user's CNN on 25x25x4 inputs: three ``Conv2D`` layers written without an
``activation`` (Keras's default is linear) with ``MaxPooling2D`` between them,
then ``Dense(64, relu)`` and a sigmoid unit, trained with plain SGD. It sits
at loss 0.693 / accuracy 0.50 for every epoch.

Synthetic data shaped like the user's sample (``display(trainX[0])``): 4
smooth, spatially correlated channels sitting around -0.82 that vary only in
the second decimal. Half of the images carry a small local texture (a 4x4
patch where the channels flip sign against each other, like a checkerboard)
at a random place; the label says whether it is there. Detecting a texture of
either sign at any position needs a non-linearity.

Run: ``python examples/seed_001_linear_conv/train.py`` (about 20 s).
"""

import os
import sys

import numpy as np

import keras
from keras.layers import Conv2D, Dense, Flatten, Input, MaxPooling2D

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _common  # noqa: E402  (examples/_common.py: symptom measuring helpers)

#: The literal keyword arguments of the ``fit()`` call in :func:`main`.
FIT_KWARGS = {"validation_split": 0.2, "epochs": 10, "batch_size": 50, "verbose": 0}


def _smooth(field, passes=3):
    for _ in range(passes):
        field = (field + np.roll(field, 1, axis=1) + np.roll(field, -1, axis=1)
                 + np.roll(field, 1, axis=2) + np.roll(field, -1, axis=2)) / 5.0
    return field


def make_data(seed=0):
    """(x_train, y_train, x_test, y_test): (n, 25, 25, 4) images around -0.82, 0/1 labels."""
    rng = np.random.default_rng(seed)
    n_train, n_test = 2500, 1000
    n = n_train + n_test
    base = _smooth(rng.normal(size=(n, 25, 25, 1)))
    x = base + 0.3 * _smooth(rng.normal(size=(n, 25, 25, 4)), passes=1)
    y = (rng.random(n) < 0.5).astype("float32")
    checker = np.indices((4, 4)).sum(axis=0) % 2 * 2.0 - 1.0
    channel_signs = np.array([1.0, -1.0, 1.0, -1.0])
    for i in np.flatnonzero(y):
        r, c = rng.integers(0, 22, size=2)
        sign = rng.choice([-1.0, 1.0])
        x[i, r:r + 4, c:c + 4, :] += 0.8 * sign * checker[:, :, None] * channel_signs
    # the user's scale: around -0.82, varying only in the second decimal
    x = (-0.82 + 0.01 * x).astype("float32")
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


def get_model(input_shape):
    model = keras.Sequential()
    model.add(Input(shape=input_shape))

    model.add(Conv2D(32, kernel_size=(3, 3)))
    model.add(MaxPooling2D(pool_size=(2, 2)))

    model.add(Conv2D(64, kernel_size=(3, 3)))
    model.add(MaxPooling2D(pool_size=(2, 2)))

    model.add(Conv2D(64, kernel_size=(3, 3)))
    model.add(MaxPooling2D(pool_size=(2, 2)))

    model.add(Flatten())

    model.add(Dense(64, activation='relu'))
    model.add(Dense(1, activation='sigmoid'))

    return model


def build_model():
    """The user's model and compile call, as written."""
    model = get_model((25, 25, 4))
    model.compile(optimizer='sgd', metrics=['accuracy'], loss='binary_crossentropy')
    return model


def symptom(model, data, history=None):
    """The user's symptom: loss stays at ~0.693 and accuracy at ~0.50."""

    x_train, y_train, x_test, y_test = data
    loss = float(model.evaluate(x_train, y_train, batch_size=250, verbose=0)[0])
    out = {
        "train_loss": loss,
        "train_accuracy": _common.accuracy(model, x_train, y_train),
        "test_accuracy": _common.accuracy(model, x_test, y_test),
    }
    out["present"] = out["test_accuracy"] < 0.6 and out["train_accuracy"] < 0.6
    return out


def main():
    keras.utils.set_random_seed(0)
    trainX, trainY, testX, testY = data = make_data()
    model = build_model()
    history = model.fit(trainX, trainY, validation_split=0.2, epochs=10, batch_size=50, verbose=0)
    for epoch, (loss, acc, val_acc) in enumerate(zip(history.history["loss"], history.history["accuracy"],
                                                     history.history["val_accuracy"]), 1):
        print(f"epoch {epoch:2d}: loss {loss:.4f} - accuracy {acc:.4f} - val_accuracy {val_acc:.4f}")
    s = symptom(model, data)
    print(f"after training: loss {s['train_loss']:.4f}, train accuracy {s['train_accuracy']:.3f}, "
          f"test accuracy {s['test_accuracy']:.3f}")
    print("symptom present (stuck at chance):", s["present"])
    return s


if __name__ == "__main__":
    main()
