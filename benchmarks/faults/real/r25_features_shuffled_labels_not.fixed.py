# Oracle (hand-fixed version) of real/r25_features_shuffled_labels_not.py: extract the features with shuffle=False
"""features extracted in shuffled order, labels kept in the original order (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=15, batch_size=32)
N_CLASSES = 3


def load_raw(rng, n):
    x = rng.normal(size=(n, 10)).astype("float32")
    labels = (np.argmax(x[:, :3] + 0.6 * np.sin(3 * x[:, 3:6]), axis=1)).astype(int)
    return x, labels


def extract_features(x, rng, shuffle=True):
    """A fixed random projection + tanh, like a frozen feature extractor run over a generator."""
    order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
    proj = np.random.default_rng(7).normal(size=(x.shape[1], 24)).astype("float32") / np.sqrt(x.shape[1])
    return np.tanh(x[order] @ proj).astype("float32")


def make_data():
    rng = np.random.default_rng(325)
    x_tr, c_tr = load_raw(rng, 1500)
    x_te, c_te = load_raw(rng, 500)
    f_tr = extract_features(x_tr, rng, shuffle=False)
    f_te = extract_features(x_te, rng, shuffle=False)
    return (f_tr, keras.utils.to_categorical(c_tr, N_CLASSES)), (f_te, keras.utils.to_categorical(c_te, N_CLASSES))


def build_model():
    inputs = keras.Input(shape=(24,))
    h = layers.Dense(64, activation="relu")(inputs)
    outputs = layers.Dense(N_CLASSES, activation="softmax")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
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
