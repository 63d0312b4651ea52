# expect: AF201
import keras
from keras import layers
import numpy as np

hidden = [layers.Dense(64, activation="relu") for _ in range(3)]
model = keras.Sequential([keras.Input((8,)), *hidden, layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
