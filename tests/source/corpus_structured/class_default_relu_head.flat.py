# expect: AF204
import keras
from keras import layers
import numpy as np

inputs = keras.Input(shape=(12,))
h = layers.Dense(32, activation="relu")(inputs)
outputs = layers.Dense(5, activation="relu")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=20, verbose=0)
