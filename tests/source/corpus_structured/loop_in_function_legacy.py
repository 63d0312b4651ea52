# expect: AF101 AF501
import keras
from keras import layers
import numpy as np

def build(depth=2):
    model = keras.Sequential()
    model.add(keras.Input((8,)))
    for i in range(2):
        model.add(layers.Dense(16, init="glorot_uniform"))
    model.add(layers.Dense(1, activation="sigmoid"))
    return model


model = build()
model.compile(optimizer="adam", loss="binary_crossentropy")
