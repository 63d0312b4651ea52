# expect: AF204
import keras
from keras import layers
import numpy as np

inputs = keras.Input((16,))
x = layers.Dense(32, activation="relu")(inputs)
outputs = layers.Dense(3)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(np.zeros((4, 16)), np.zeros(4), epochs=2)
