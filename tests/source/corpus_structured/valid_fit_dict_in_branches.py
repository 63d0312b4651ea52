# expect:
import keras
from keras import layers
import numpy as np

import sys

x = np.random.rand(600, 4)
if "--smoke" in sys.argv:
    FIT = dict(epochs=1, batch_size=len(x))
else:
    FIT = dict(epochs=400, batch_size=len(x))


def train(model):
    model.fit(x, np.zeros(600), **FIT)


model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
train(model)
