# expect: AF204
import keras
from keras import layers
import numpy as np

def build(n_classes):
    inputs = keras.Input((16,))
    x = layers.Dense(32, activation="relu")(inputs)
    outputs = layers.Dense(3)(x)
    model = keras.Model(inputs, outputs)
    return model


def compile_and_fit(model, x, y):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=2)


model = build(3)
compile_and_fit(model, np.zeros((4, 16)), np.zeros(4))
