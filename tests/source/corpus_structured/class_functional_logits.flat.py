# expect: AF204 AF501
import keras
from keras import layers
import numpy as np

inputs = keras.Input((16,))
h = layers.Dense(32, activation="relu")(inputs)
logits = layers.Dense(5)(h)
model = keras.Model(inputs, logits)
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
model.fit(x, y, nb_epoch=3)
