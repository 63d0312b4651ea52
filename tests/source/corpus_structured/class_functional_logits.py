# expect: AF204 AF501
import keras
from keras import layers
import numpy as np

class Net:
    def build(self):
        inputs = keras.Input((16,))
        h = layers.Dense(32, activation="relu")(inputs)
        logits = layers.Dense(5)(h)
        self.model = keras.Model(inputs, logits)

    def train(self, x, y):
        self.model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
        self.model.fit(x, y, nb_epoch=3)
