"""Base b08: 3-class sequence classification (sine frequency), functional Conv1D with BatchNormalization.

Protocol: make_data() / build_model() / train(model, data) / score(model, data); FIT holds the
fit() settings; the last line printed is SCORE=<score from predict on held-out rows>.
"""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=8, batch_size=32)


def make_data():
    rng = np.random.default_rng(108)
    n_rows, steps = 1800, 32
    y = rng.integers(0, 3, size=n_rows)
    t = np.arange(steps)[None, :]
    freq = np.array([1.0, 3.0, 6.0])[y][:, None]
    phase = rng.uniform(0, 2 * np.pi, size=(n_rows, 1))
    wave = np.sin(2 * np.pi * freq * t / steps + phase)
    x = np.stack([wave, rng.normal(size=wave.shape)], axis=-1)
    x[:, :, 0] += rng.normal(scale=0.4, size=wave.shape)
    x = x.astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    inputs = keras.Input(shape=(32, 2))
    h = layers.Conv1D(16, 5, activation="relu", padding="same")(inputs)
    h = layers.BatchNormalization()(h)
    h = layers.Conv1D(16, 5, activation="relu", padding="same")(h)
    h = layers.GlobalAveragePooling1D()(h)
    h = layers.Dense(16, activation="relu")(h)
    outputs = layers.Dense(3, activation="softmax")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
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
