# expect:
import keras
from keras import layers
import numpy as np


def make_mlp(hidden=(32,) * 6, activation="sigmoid"):
    model = keras.Sequential([keras.Input((8,))])
    for units in hidden:
        model.add(layers.Dense(units, activation=activation))
    model.add(layers.Dense(1, activation="sigmoid"))
    return model


model = make_mlp(activation="relu")
model.compile(optimizer="adam", loss="binary_crossentropy")
