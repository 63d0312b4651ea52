# Real-fault reproduction r18: a threshold on raw inputs up to 100000, accuracy stays at 0.5
# source: https://geeksmental.com/question/why-does-accuracy-remain-the-same (datascience.stackexchange mirror)
# family: data
# report: one feature drawn from [0, 100000), label 1 above a threshold of 50000; Sequential().add of
# report: Dense(3, relu), Dense(5, relu), Dense(1, relu), binary_crossentropy + adam, batch size 5 (here 16);
# report: accuracy stays about 0.5 for every epoch. Answer: the raw input scale (and the ReLU output).
# fix (oracle r18_raw_threshold_input_relu_head.fixed.py): scale the feature into [0, 1] and use a sigmoid output
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
"""threshold on raw inputs up to 100000 (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "binary"
FIT = dict(epochs=10, batch_size=16)
THRESHOLD = 50000


def make_data():
    rng = np.random.default_rng(318)
    rows = []
    for _ in range(1000):
        rows.append([rng.integers(0, THRESHOLD), 0])
        rows.append([rng.integers(THRESHOLD, 2 * THRESHOLD), 1])
    table = np.array(rows, dtype="float32")
    table = table[rng.permutation(len(table))]
    x = table[:, 0:1]
    y = table[:, 1]
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential()
    model.add(keras.Input(shape=(1,)))
    model.add(layers.Dense(3, activation="relu"))
    model.add(layers.Dense(5, activation="relu"))
    model.add(layers.Dense(1, activation="relu"))
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
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
