# expect: AF101 AF201
import keras
from keras import layers
import numpy as np

def build():
    model = keras.Sequential([keras.Input((8,))])
    for units in [64, 32]:
        model.add(layers.Dense(units))
    model.add(layers.Dense(1, activation="softmax"))
    return model


model = build()
model.compile(optimizer="adam", loss="binary_crossentropy")
