# Real-fault reproduction r12: accuracy reported for an MSE regression, and the best model chosen by it
# source: https://stackoverflow.com/questions/48775305/what-function-defines-accuracy-in-keras-when-the-loss-is-mean-squared-error-mse
# family: regression_head
# report: regression with a linear output and loss=mean_squared_error compiled with metrics=['accuracy'];
# report: answer: accuracy is meaningless for regression and Keras does not warn. Here the script also keeps
# report: the 'best' weights by val_accuracy (EarlyStopping(restore_best_weights=True)), as users do.
# fix (oracle r12_regression_checkpoint_on_accuracy.fixed.py): monitor val_loss with a regression metric (mae)
# Written from scratch from the facts of the report, on synthetic data; same protocol as bases/.
"""accuracy reported for an MSE regression, and the best model chosen by it (fault reproduction; see the header)."""
import os

import numpy as np
import keras
from keras import layers

TASK = "regression"
FIT = dict(epochs=40, batch_size=32, validation_split=0.2, callbacks=[keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3, restore_best_weights=True)])


def make_data():
    rng = np.random.default_rng(212)
    x = rng.normal(size=(2000, 13)).astype("float32")
    y = (22.0 + 4.0 * x[:, 0] - 3.0 * x[:, 1] * x[:, 2] + 2.0 * np.abs(x[:, 3])).astype("float32")
    n = int(0.75 * len(x))
    return (x[:n], y[:n]), (x[n:], y[n:])


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(13,)),
        layers.Dense(13, activation="relu", kernel_initializer="normal"),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, kernel_initializer="normal"),
    ])
    model.compile(optimizer="adam", loss="mean_squared_error", metrics=["accuracy"])
    return model


def train(model, data):
    (x, y), _ = data
    model.fit(x, y, verbose=0, **FIT)
    return model


def score(model, data):
    """R^2 of predict on held-out rows (clipped at -1; non-finite predictions score -1)."""
    _, (x, y) = data
    p = np.asarray(model.predict(x, verbose=0), dtype="float64").reshape(y.shape)
    if not np.all(np.isfinite(p)):
        return -1.0
    r2 = 1.0 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2)
    return float(max(r2, -1.0))


def main():
    keras.utils.set_random_seed(int(os.environ.get("SEED", "0")))
    data = make_data()
    model = build_model()
    train(model, data)
    print(f"SCORE={score(model, data):.4f}")


if __name__ == "__main__":
    main()
