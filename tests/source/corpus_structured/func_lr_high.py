# expect: AF302
import keras
from keras import layers
import numpy as np

def build_model(rate):
    model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                              layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="categorical_crossentropy")
    return model


model = build_model(0.05)
