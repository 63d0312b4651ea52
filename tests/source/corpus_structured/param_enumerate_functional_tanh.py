# expect: AF102
import keras
from keras import layers
import numpy as np


def build(sizes, act="tanh"):
    inputs = keras.Input((10,))
    x = inputs
    for i, units in enumerate(sizes):
        x = layers.Dense(units, activation=act, name=f"hidden_{i}")(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


model = build([64, 64, 32, 32, 16])
model.compile(optimizer="adam", loss="binary_crossentropy")
