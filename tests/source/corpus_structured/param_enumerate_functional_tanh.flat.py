# expect: AF102
import keras
from keras import layers
import numpy as np

inputs = keras.Input((10,))
x = layers.Dense(64, activation="tanh")(inputs)
x = layers.Dense(64, activation="tanh")(x)
x = layers.Dense(32, activation="tanh")(x)
x = layers.Dense(32, activation="tanh")(x)
x = layers.Dense(16, activation="tanh")(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
