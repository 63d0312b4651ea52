# expect: AF101
import keras
from keras import layers
import numpy as np

inputs = keras.Input((8,))
x = inputs
x = layers.Dense(32)(x)
x = layers.Dense(32)(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
