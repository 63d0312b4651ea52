# Real-fault reproduction r28: ActivityRegularization(l1=1000) after an LSTM
# source: https://github.com/keras-team/keras/issues/2745
# family: regularisation
# report: Embedding(mask_zero=True) -> LSTM(50) -> ActivityRegularization(l1=1000) -> Dense(1, sigmoid),
# report: binary_crossentropy; in Keras 1.0.3 the penalty was silently dropped (model.regularizers == []), fixed
# report: in 1.1.0. Keras 3 applies it: an L1 penalty of 1000 on the LSTM outputs drives them to zero.
# fix (oracle r28_activity_regularization_l1_1000.fixed.py): a small penalty, l1=1e-5
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
"""an L1 activity penalty of 1000 on the LSTM outputs (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "binary"
FIT = dict(epochs=8, batch_size=32)
VOCAB, LENGTH = 50, 10


def make_data():
    rng = np.random.default_rng(328)
    lengths = rng.integers(4, LENGTH + 1, size=2000)
    tokens = rng.integers(1, VOCAB, size=(2000, LENGTH))
    tokens[np.arange(LENGTH)[None, :] >= lengths[:, None]] = 0
    good = ((tokens >= 1) & (tokens < 10)).sum(axis=1)
    bad = ((tokens >= 10) & (tokens < 20)).sum(axis=1)
    y = (good > bad).astype("float32")
    n = int(0.75 * len(tokens))
    return (tokens[:n], y[:n]), (tokens[n:], y[n:])


def build_model():
    x = keras.Input(shape=(LENGTH,), dtype="int32")
    o = layers.Embedding(input_dim=VOCAB, output_dim=16, mask_zero=True)(x)
    o = layers.LSTM(50)(o)
    o = layers.ActivityRegularization(l1=1000)(o)
    o = layers.Dense(1, activation="sigmoid")(o)
    model = keras.Model(x, o)
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
