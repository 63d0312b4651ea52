# expect: AF201
import keras
from keras import layers
import numpy as np

class Antirectifier(layers.Layer):
    def call(self, inputs):
        return keras.ops.concatenate([keras.ops.relu(inputs), keras.ops.relu(-inputs)], axis=-1)


model = keras.Sequential()
model.add(keras.Input((8,)))
model.add(layers.Dense(16))
model.add(Antirectifier())
model.add(layers.Dense(1, activation="softmax"))
model.compile(optimizer="adam", loss="binary_crossentropy")
