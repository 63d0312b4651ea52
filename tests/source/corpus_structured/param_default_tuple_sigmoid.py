# expect: AF102
import keras
from keras import layers
import numpy as np


def make_mlp(n_features, n_classes, hidden=(32,) * 6, activation="sigmoid"):
    model = keras.Sequential()
    model.add(keras.Input(shape=(n_features,)))
    for units in hidden:
        model.add(layers.Dense(units, activation=activation))
    model.add(layers.Dense(n_classes, activation="softmax"))
    return model


model = make_mlp(8, 4)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
