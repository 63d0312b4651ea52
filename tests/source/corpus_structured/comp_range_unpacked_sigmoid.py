# expect: AF102
import keras
from keras import layers
import numpy as np

DEPTH = 5
hidden = [layers.Dense(16 * (k + 1), activation="sigmoid") for k in range(DEPTH)]
model = keras.Sequential([keras.Input((6,)), *hidden, layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
