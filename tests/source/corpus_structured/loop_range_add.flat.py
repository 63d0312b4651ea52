# expect: AF101
import keras
from keras import layers
import numpy as np

N_HIDDEN = 3
model = keras.Sequential()
model.add(keras.Input((8,)))
model.add(layers.Dense(32))
model.add(layers.Dense(32))
model.add(layers.Dense(32))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy")
