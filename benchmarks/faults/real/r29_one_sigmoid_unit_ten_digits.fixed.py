# Oracle (hand-fixed version) of real/r29_one_sigmoid_unit_ten_digits.py: 10 softmax units and sparse_categorical_crossentropy (config dict entries)
"""ten digit classes trained on one sigmoid unit with binary_crossentropy (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=10, batch_size=32)
N_CLASSES = 10

# the model is described by a config dict, as in a hyper-parameter file
CONFIG = {
    "input_dim": 64,
    "hidden_units": [64],
    "hidden_activation": "relu",
    "output_units": N_CLASSES,
    "output_activation": "softmax",
    "loss": "sparse_categorical_crossentropy",
}


def make_data():
    """8x8 'digit' pictures in [0, 1]: a class template of strokes, jittered by noise; integer labels 0-9."""
    rng = np.random.default_rng(329)
    templates = (rng.random((N_CLASSES, 64)) < 0.3).astype("float32")
    y = rng.integers(0, N_CLASSES, size=2000)
    x = np.clip(templates[y] * rng.uniform(0.5, 1.0, size=(2000, 1)) + rng.normal(0.0, 0.35, size=(2000, 64)), 0, 1)
    n = int(0.75 * len(x))
    return (x[:n].astype("float32"), y[:n]), (x[n:].astype("float32"), y[n:])


def build_model(config=CONFIG):
    model = keras.Sequential([keras.Input(shape=(config["input_dim"],))])
    for units in config["hidden_units"]:
        model.add(layers.Dense(units, activation=config["hidden_activation"]))
    model.add(layers.Dense(config["output_units"], activation=config["output_activation"]))
    model.compile(optimizer="adam", loss=config["loss"], metrics=["accuracy"])
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
