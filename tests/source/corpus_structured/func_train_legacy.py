# expect: AF501
import keras
from keras import layers
import numpy as np

def build_model():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                              layers.Dense(1, activation="sigmoid")])
    return model


def train(m, x, y):
    m.compile(optimizer="adam", loss="binary_crossentropy")
    m.fit(x, y, nb_epoch=5)


model = build_model()
train(model, np.zeros((4, 8)), np.zeros(4))
