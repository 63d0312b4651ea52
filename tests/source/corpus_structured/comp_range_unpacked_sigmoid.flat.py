# expect: AF102
import keras
from keras import layers
import numpy as np

DEPTH = 5
model = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(16, activation="sigmoid"),
    layers.Dense(32, activation="sigmoid"),
    layers.Dense(48, activation="sigmoid"),
    layers.Dense(64, activation="sigmoid"),
    layers.Dense(80, activation="sigmoid"),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
