# Oracle (hand-fixed version) of real/r10_sigmoid_cce_sgd_lr1.py: softmax output and Adam(1e-3) (lr 1.0 on a sigmoid stack saturates it)
"""loss not changing: sigmoid output over many classes, categorical_crossentropy, SGD(lr=1.0) (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=15, batch_size=300)


def make_data():
    rng = np.random.default_rng(210)
    vocab = 32
    words = rng.integers(0, vocab, size=3000)
    context = (words * 5 + (rng.random(3000) < 0.1)) % vocab
    x = np.eye(vocab, dtype="float32")[words]
    y = np.eye(vocab, dtype="float32")[context]
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(32,)),
        layers.Dense(100, activation="sigmoid"),
        layers.Dense(32, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-2), loss="categorical_crossentropy",
                  metrics=["accuracy"])
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
