# expect:
import keras
from keras import layers
import numpy as np

model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"),
                          layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
