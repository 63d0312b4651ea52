"""Base b07: 4-class classification (xor quadrants), model made by a builder function with a loop, RMSprop.

Protocol: make_data() / build_model() / train(model, data) / score(model, data); FIT holds the
fit() settings; the last line printed is SCORE=<score from predict on held-out rows>.
"""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=12, batch_size=32)


def make_data():
    rng = np.random.default_rng(107)
    x = rng.normal(size=(2000, 8)).astype("float32")
    y = (2 * (x[:, 0] > 0) + (x[:, 1] * x[:, 2] > 0)).astype("int64")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def make_mlp(n_features, n_classes, hidden=(64, 32), activation="relu"):
    model = keras.Sequential()
    model.add(keras.Input(shape=(n_features,)))
    for units in hidden:
        model.add(layers.Dense(units, activation=activation))
    model.add(layers.Dense(n_classes, activation="softmax"))
    return model


def build_model():
    model = make_mlp(8, 4)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
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
