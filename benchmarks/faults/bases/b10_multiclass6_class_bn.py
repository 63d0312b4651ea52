"""Base b10: 6-class classification, class-based wrapper holding self.model (functional, BatchNormalization, Dropout).

Protocol: make_data() / build_model() / train(model, data) / score(model, data); FIT holds the
fit() settings; the last line printed is SCORE=<score from predict on held-out rows>.
"""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=10, batch_size=32)


def make_data():
    rng = np.random.default_rng(110)
    centres = rng.normal(scale=1.5, size=(6, 12))
    y = rng.integers(0, 6, size=2000)
    x = (centres[y] + rng.normal(size=(2000, 12))).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


class Classifier:
    """Holds the Keras model as self.model, as many training scripts do."""

    def __init__(self, n_features=12, n_classes=6):
        inputs = keras.Input(shape=(n_features,))
        h = layers.Dense(48, activation="relu")(inputs)
        h = layers.BatchNormalization()(h)
        h = layers.Dropout(0.2)(h)
        h = layers.Dense(24, activation="relu")(h)
        outputs = layers.Dense(n_classes, activation="softmax")(h)
        self.model = keras.Model(inputs, outputs)
        self.model.compile(optimizer=keras.optimizers.Adam(learning_rate=2e-3),
                           loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    def fit(self, x, y):
        self.model.fit(x, y, verbose=0, **FIT)
        return self

    def predict(self, x, verbose=0):
        return self.model.predict(x, verbose=verbose)


def build_model():
    return Classifier()


def train(model, data):
    (x, y), _ = data
    model.fit(x, y)
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
