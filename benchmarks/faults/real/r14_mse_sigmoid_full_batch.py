# Real-fault reproduction r14: a sigmoid MLP + softmax trained with MSE by full-batch SGD needs a learning rate > 1 to converge
# source: https://stackoverflow.com/questions/73462535/why-do-i-need-a-very-high-learning-rate-for-this-model-to-converge
# family: schedule
# report: 1000 MNIST images, Dense(128, sigmoid) -> Dense(10, softmax), SGD, loss='mean_squared_error',
# report: batch_size=1000 (one update per epoch); at lr 0.001 the loss barely moves; answer: the loss,
# report: the sigmoid and one update per epoch are the problem - use crossentropy, relu, Adam, smaller batches.
# fix (oracle r14_mse_sigmoid_full_batch.fixed.py): categorical_crossentropy, Adam, batch_size=32
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
"""a sigmoid MLP + softmax trained with MSE by full-batch SGD needs a learning rate > 1 to converge (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=10, batch_size=1000)


def make_data():
    rng = np.random.default_rng(214)
    centres = rng.normal(scale=1.0, size=(10, 49))
    labels = rng.integers(0, 10, size=1400)
    x = (centres[labels] + rng.normal(size=(1400, 49))).astype("float32")
    y = keras.utils.to_categorical(labels, 10).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(49,)),
        layers.Dense(128, activation="sigmoid"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.001), loss="mean_squared_error")
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
