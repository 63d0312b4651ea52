# Oracle (hand-fixed version) of real/r23_subclassed_sgd_lr_1e-5.py: SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
"""loss and accuracy stuck with SGD at learning rate 1e-5 (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=15, batch_size=32)
N_CLASSES = 3


def make_data():
    rng = np.random.default_rng(323)
    x = rng.normal(size=(1800, 5)).astype("float32")
    r = np.sqrt(x[:, 0] ** 2 + x[:, 1] ** 2)
    labels = np.digitize(r + 0.3 * np.sin(2 * x[:, 2]), [0.9, 1.5])
    y = keras.utils.to_categorical(labels, N_CLASSES)
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


class RingNet(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden1 = layers.Dense(64, activation="relu")
        self.hidden2 = layers.Dense(32, activation="relu")
        self.out = layers.Dense(N_CLASSES, activation="softmax")

    def call(self, inputs):
        return self.out(self.hidden2(self.hidden1(inputs)))


def build_model():
    model = RingNet()
    sgd = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    model.compile(loss="categorical_crossentropy", optimizer=sgd, metrics=["accuracy"])
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
