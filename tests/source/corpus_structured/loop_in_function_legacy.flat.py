# expect: AF101 AF501
import keras
from keras import layers
import numpy as np

model = keras.Sequential()
model.add(keras.Input((8,)))
model.add(layers.Dense(16, init="glorot_uniform"))
model.add(layers.Dense(16, init="glorot_uniform"))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy")
