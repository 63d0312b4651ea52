# expect: AF203
import keras
from keras import layers
import numpy as np

model = keras.Sequential([keras.Input((8,))] + [layers.Dense(64, activation="relu") for _ in range(2)]
                         + [layers.Dense(10, activation="sigmoid")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
