# expect: AF501
import keras
from keras import layers
import numpy as np

def build_model():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def train(x, y, model=None):
    model.fit(x, y, nb_epoch=2, batch_size=32)


train(np.zeros((4, 8)), np.zeros(4), model=build_model())
