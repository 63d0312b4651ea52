# expect: AF201 AF501
import keras
from keras import layers
import numpy as np

def build_model():
    model = keras.Sequential()
    model.add(keras.Input((8,)))
    model.add(layers.Dense(16, activation="relu"))
    model.add(layers.Dense(1, activation="softmax"))
    return model


def train(m, x, y):
    m.compile(optimizer=keras.optimizers.Adam(lr=0.001), loss="binary_crossentropy")
    m.fit(x, y, epochs=3)


model = build_model()
train(model, np.zeros((4, 8)), np.zeros(4))
