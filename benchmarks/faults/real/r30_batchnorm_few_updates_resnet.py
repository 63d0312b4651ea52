# Real-fault reproduction r30: BatchNormalization moving statistics after 15 updates
# source: https://intellipaat.com/community/11257 (mirror of the StackOverflow question "ResNet: 100% accuracy during training, but 33% prediction accuracy with the same data")
# family: schedule
# report: a ResNet with BatchNormalization fitted for 5 epochs of 3 batches reaches training accuracy 1.0, evaluate() on the same
# report: data gives 0.33: with momentum 0.99 the moving mean/variance (started at 0/1) are far from the data after 15 updates.
# fix (oracle r30_batchnorm_few_updates_resnet.fixed.py): train long enough for the moving statistics to converge (100 epochs)
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
"""a small residual net with BatchNormalization trained for 15 updates: the moving statistics never converge (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "multiclass"
FIT = dict(epochs=5, batch_size=32)
N_CLASSES = 3
BN_MOMENTUM = 0.99


def make_data():
    """96 training rows (3 batches of 32) of 3 clusters in 16 features, far from zero mean; 300 held-out rows."""
    rng = np.random.default_rng(330)
    centres = rng.normal(0.0, 1.5, size=(N_CLASSES, 16))

    def draw(n):
        y = rng.integers(0, N_CLASSES, size=n)
        x = 6.0 + 3.0 * (centres[y] + rng.normal(0.0, 0.6, size=(n, 16)))
        return x.astype("float32"), y

    return draw(96), draw(300)


def residual_block(x, units):
    h = layers.Dense(units)(x)
    h = layers.BatchNormalization(momentum=BN_MOMENTUM)(h)
    h = layers.Activation("relu")(h)
    h = layers.Dense(units)(h)
    h = layers.BatchNormalization(momentum=BN_MOMENTUM)(h)
    return layers.Activation("relu")(layers.Add()([x, h]))


def build_model():
    inputs = keras.Input(shape=(16,))
    x = layers.Dense(32)(inputs)
    x = layers.BatchNormalization(momentum=BN_MOMENTUM)(x)
    x = layers.Activation("relu")(x)
    for _ in range(2):
        x = residual_block(x, 32)
    outputs = layers.Dense(N_CLASSES, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
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
