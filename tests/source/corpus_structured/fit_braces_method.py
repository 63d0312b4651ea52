# expect: AF303
import keras
from keras import layers
import numpy as np


class Trainer:
    def __init__(self):
        self.model = keras.Sequential([keras.Input((3,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
        self.model.compile(optimizer="adam", loss="mse")

    def run(self, x, y):
        settings = {"epochs": 6, "batch_size": x.shape[0]}
        self.model.fit(x, y, **settings)


Trainer().run(np.random.rand(300, 3), np.random.rand(300))
