# expect: AF101
import keras
from keras import layers
import numpy as np

net = keras.Sequential([keras.Input((8,)), layers.Dense(32), layers.Dense(16),
                        layers.Dense(1, activation="sigmoid")])
net.compile(optimizer="adam", loss="binary_crossentropy")
