"""Seed 004: "Strange results from a CNN in Keras" (binary LeNet).

The user's LeNet for a binary task ends in ``Dense(2, activation='softmax')``
trained on one-hot labels, and reports fn/fp/tn/tp/precision/recall next to
accuracy. Every epoch shows fp == fn, tp == tn and
precision == recall == accuracy: Keras's threshold metrics score *both*
mirrored one-hot columns, so each false positive in one column is a false
negative in the other. The metrics the user added say nothing.

Synthetic data: 28x28 single-channel "signal" images (noise; about 30% of them
carry a faint short horizontal trace), normalised by the maximum as the user
did, labels binarised and one-hot encoded as in the user's ``preprocess_data``.

Run: ``python examples/seed_004_binary_metrics/train.py`` (about 20 s).
"""

import os
import sys

import numpy as np

import keras
from keras.layers import Conv2D, Dense, Flatten, Input, MaxPooling2D
from keras.losses import categorical_crossentropy
from keras.models import Sequential
from keras.optimizers import Adam
from keras.utils import to_categorical

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _common  # noqa: E402  (examples/_common.py: symptom measuring helpers)

#: The literal keyword arguments of the ``fit()`` call in :func:`main`
#: (validation data is passed there too). ``steps_per_epoch`` is
#: ``X_train.shape[0]`` with ``batch_size=1``, as the user wrote it.
N_TRAIN, N_TEST = 800, 300
FIT_KWARGS = {"epochs": 3, "batch_size": 1, "steps_per_epoch": N_TRAIN, "validation_steps": N_TEST,
              "verbose": 0}


def make_raw_data(seed=0):
    """Raw images (counts 0..~255) and multi-valued labels, like the user's loader."""
    rng = np.random.default_rng(seed)
    n = N_TRAIN + N_TEST
    x = rng.gamma(2.0, 20.0, size=(n, 28, 28))
    label = rng.choice([0, 1, 2], size=n, p=[0.45, 0.30, 0.25])  # the user keeps x == 1 as positive
    for i in np.flatnonzero(label == 1):
        r, c = rng.integers(4, 24), rng.integers(2, 16)
        x[i, r, c:c + 10] += rng.uniform(80.0, 150.0)
    return x[:N_TRAIN], label[:N_TRAIN], x[N_TRAIN:], label[N_TRAIN:]


def preprocess_data(X_train, y_train, X_test, y_test):
    X_train = X_train.reshape(X_train.shape[0], X_train.shape[1], X_train.shape[2], 1)
    X_test = X_test.reshape(X_test.shape[0], X_test.shape[1], X_train.shape[2], 1)

    X_train = X_train.astype('float32')
    X_test = X_test.astype('float32')

    # normalisation
    max_signal_value = max(X_train.max(), X_test.max())
    X_train = X_train / max_signal_value
    X_test = X_test / max_signal_value

    # binarisation
    y_train = np.array(list(map(lambda x: int(x == 1), y_train)))
    y_test = np.array(list(map(lambda x: int(x == 1), y_test)))

    # one-hot encoding of the label
    y_train = to_categorical(y_train)
    y_test = to_categorical(y_test)

    return X_train, y_train, X_test, y_test


def make_data(seed=0):
    """(x_train, y_train, x_test, y_test): (n, 28, 28, 1) images, (n, 2) one-hot labels."""
    return preprocess_data(*make_raw_data(seed))


def build_model():
    """The user's LeNet, as written."""
    metrics = [
        keras.metrics.FalseNegatives(name="fn"),
        keras.metrics.FalsePositives(name="fp"),
        keras.metrics.TrueNegatives(name="tn"),
        keras.metrics.TruePositives(name="tp"),
        keras.metrics.Precision(name="precision"),
        keras.metrics.Recall(name="recall"),
        'accuracy'
    ]

    model = Sequential()
    model.add(Input(shape=(28, 28, 1)))
    model.add(Conv2D(filters=6, kernel_size=(5, 5), padding='same', activation='relu'))
    model.add(MaxPooling2D(pool_size=(2, 2)))
    model.add(Conv2D(filters=16, kernel_size=(5, 5), activation='relu'))
    model.add(MaxPooling2D(pool_size=(2, 2)))
    model.add(Flatten())
    model.add(Dense(20, activation='relu'))
    model.add(Dense(2, activation='softmax'))

    opt = Adam(learning_rate=0.001)
    model.compile(loss=categorical_crossentropy, optimizer=opt, metrics=metrics)
    return model


def symptom(model, data, history=None):
    """The user's symptom on the test set: fp == fn and precision == recall == accuracy.

    Also measures the real positive-class precision/recall from the
    predictions, which the reported metrics should have shown.
    """

    _, _, x_test, y_test = data
    y_eval = y_test if model.output_shape[-1] == 2 else _common.to_binary(y_test)
    m = model.evaluate(x_test, y_eval, batch_size=64, verbose=0, return_dict=True)
    pred = _common.predicted_classes(model, x_test)
    true = _common.class_indices(y_test)
    tp = int(np.sum((pred == 1) & (true == 1)))
    fp_true = int(np.sum((pred == 1) & (true == 0)))
    fn_true = int(np.sum((pred == 0) & (true == 1)))
    out = {
        "fp": int(m["fp"]), "fn": int(m["fn"]), "tp": int(m["tp"]), "tn": int(m["tn"]),
        "precision": float(m["precision"]), "recall": float(m["recall"]),
        "accuracy": float(m["accuracy"]),
        "true_precision": tp / max(tp + fp_true, 1), "true_recall": tp / max(tp + fn_true, 1),
        "true_accuracy": float(np.mean(pred == true)),
    }
    out["present"] = (out["fp"] == out["fn"] and abs(out["precision"] - out["recall"]) < 1e-6
                      and abs(out["precision"] - out["accuracy"]) < 1e-6)
    return out


def main():
    keras.utils.set_random_seed(0)
    X_train, y_train, X_test, y_test = data = make_data()
    LeNet_model = build_model()
    LeNet_model.summary()
    LeNet_model.fit(X_train, y_train, epochs=3, batch_size=1,
                    steps_per_epoch=X_train.shape[0], validation_data=(X_test, y_test),
                    validation_steps=X_test.shape[0], verbose=0)
    s = symptom(LeNet_model, data)
    print(f"test: fp={s['fp']} fn={s['fn']} tp={s['tp']} tn={s['tn']} precision={s['precision']:.4f} "
          f"recall={s['recall']:.4f} accuracy={s['accuracy']:.4f}")
    print(f"real positive-class precision {s['true_precision']:.3f}, recall {s['true_recall']:.3f}")
    print("symptom present (fp == fn, precision == recall == accuracy):", s["present"])
    return s


if __name__ == "__main__":
    main()
