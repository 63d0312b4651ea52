# expect: AF101 AF201
import keras
from keras import layers
import numpy as np

model = keras.Sequential([keras.Input((8,)), *[layers.Dense(64) for _ in range(3)],
                          layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
