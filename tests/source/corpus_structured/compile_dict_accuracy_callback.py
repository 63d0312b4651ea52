# expect: AF209
import keras
from keras import layers
import numpy as np

COMPILE = dict(optimizer="adam", loss="mse", metrics=["accuracy"])
FIT = dict(epochs=30, validation_split=0.2,
           callbacks=[keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3)])


def build():
    model = keras.Sequential([keras.Input((5,)), layers.Dense(32, activation="relu"), layers.Dense(1)])
    model.compile(**COMPILE)
    return model


model = build()
model.fit(np.random.rand(400, 5), np.random.rand(400), **FIT)
