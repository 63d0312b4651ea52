# expect: AF501
import keras
from keras import layers
import numpy as np

from keras.optimizers import SGD


class Trainer:
    def __init__(self):
        self.net = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                                     layers.Dense(1, activation="sigmoid")])
        self.net.compile(optimizer=SGD(lr=0.01, momentum=0.9), loss="binary_crossentropy")

    def fit(self, x, y):
        self.net.fit(x, y, epochs=1)
