# expect: AF201
import keras
from keras import layers
import numpy as np

class Antirectifier(layers.Layer):
    def call(self, inputs):
        return keras.ops.concatenate([keras.ops.relu(inputs), keras.ops.relu(-inputs)], axis=-1)


class App:
    def __init__(self):
        self.model = keras.Sequential()
        self.model.add(keras.Input((8,)))
        self.model.add(layers.Dense(16))
        self.model.add(Antirectifier())
        self.model.add(layers.Dense(1, activation="softmax"))
        self.model.compile(optimizer="adam", loss="binary_crossentropy")
