# expect: AF202
import keras
from keras import layers
import numpy as np

model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                          layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(np.zeros((4, 8)), np.zeros((4, 2)), epochs=2)
