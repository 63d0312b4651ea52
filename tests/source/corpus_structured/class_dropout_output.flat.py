# expect: AF103
import keras
from keras import layers
import numpy as np

model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                          layers.Dense(3, activation="softmax"), layers.Dropout(0.3)])
model.compile(optimizer="adam", loss="categorical_crossentropy")
