# expect: AF202
import keras
from keras import layers
import numpy as np

class Classifier:
    def __init__(self):
        self.model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                                       layers.Dense(2, activation="softmax")])

    def train(self, x, y):
        self.model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        self.model.fit(x, y, epochs=2)


Classifier().train(np.zeros((4, 8)), np.zeros((4, 2)))
