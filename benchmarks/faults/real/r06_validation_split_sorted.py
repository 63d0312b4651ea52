# Real-fault reproduction r06: validation_split takes the last rows before shuffling: a class-sorted set loses a class
# source: https://rocuku.github.io/keras-validation-split-shuffle/ (blog: 'Keras validation_split and shuffle')
# family: data
# report: fit(validation_split=...) holds out the LAST fraction of x/y, taken before shuffle applies;
# report: the author's data was not shuffled beforehand, so the validation rows were all negatives;
# report: advice: shuffle the arrays yourself before using validation_split.
# fix (oracle r06_validation_split_sorted.fixed.py): shuffle the training rows before fit(validation_split=...)
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
"""validation_split takes the last rows before shuffling: a class-sorted set loses a class (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=10, batch_size=32, validation_split=0.2)


def make_data():
    rng = np.random.default_rng(206)
    centres = rng.normal(scale=2.0, size=(4, 6))
    labels = np.sort(rng.choice(4, size=2400, p=[0.3, 0.3, 0.25, 0.15]))  # rows stored class by class
    x = (centres[labels] + rng.normal(size=(2400, 6))).astype("float32")
    y = labels
    test = rng.permutation(len(x))[:600]
    train = np.setdiff1d(np.arange(len(x)), test)
    return (x[train], y[train]), (x[test], y[test])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(6,)),
        layers.Dense(32, activation="relu"),
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
