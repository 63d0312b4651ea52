# Oracle (hand-fixed version) of real/r22_early_stopping_patience0.py: patience=10 (min_delta=0)
"""EarlyStopping(patience=0) ends training at the first noisy validation epoch (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=80, batch_size=32)


def make_data():
    rng = np.random.default_rng(322)
    x = rng.normal(size=(2000, 8)).astype("float32")
    score_a = x[:, 0] * x[:, 1] + 0.5 * x[:, 2]
    score_b = np.sin(2 * x[:, 3]) + x[:, 4]
    y = (score_a > 0).astype(int) * 2 + (score_b > 0).astype(int)
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


class Classifier:
    def __init__(self, n_features=8, n_classes=4):
        self.model = keras.Sequential([
            keras.Input(shape=(n_features,)),
            layers.Dense(64, activation="relu"),
            layers.Dense(64, activation="relu"),
            layers.Dense(n_classes, activation="softmax"),
        ])
        self.model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.02),
                           loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        self.stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10)

    def fit(self, x, y):
        cut = int(0.85 * len(x))
        self.model.fit(x[:cut], y[:cut], validation_data=(x[cut:], y[cut:]),
                       callbacks=[self.stopper], verbose=0, **FIT)
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
