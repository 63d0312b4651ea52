"""Base b11: multi-label classification (5 independent labels), Sequential MLP, sigmoid + binary_crossentropy.

Protocol: make_data() / build_model() / train(model, data) / score(model, data); FIT holds the
fit() settings; the last line printed is SCORE=<score from predict on held-out rows>.
"""
import os

import numpy as np
import keras
from keras import layers

TASK = "multilabel"
FIT = dict(epochs=12, batch_size=32)


def make_data():
    rng = np.random.default_rng(111)
    x = rng.normal(size=(2000, 10)).astype("float32")
    w = rng.normal(size=(10, 5))
    logits = x @ w + 1.5 * np.stack([x[:, k] * x[:, k + 1] for k in range(5)], axis=1)
    y = (logits > 0).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(10,)),
        layers.Dense(64, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(5, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=2e-3),
                  loss="binary_crossentropy", metrics=["binary_accuracy"])
    return model


def train(model, data):
    (x, y), _ = data
    model.fit(x, y, verbose=0, **FIT)
    return model


def score(model, data):
    _, (x, y) = data
    p = np.asarray(model.predict(x, verbose=0)).reshape(y.shape)
    return float(np.mean((p > 0.5) == (y > 0.5)))


def main():
    keras.utils.set_random_seed(int(os.environ.get("SEED", "0")))
    data = make_data()
    model = build_model()
    train(model, data)
    print(f"SCORE={score(model, data):.4f}")


if __name__ == "__main__":
    main()
