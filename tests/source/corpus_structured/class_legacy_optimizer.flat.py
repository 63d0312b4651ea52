# expect: AF501
import keras
from keras import layers
import numpy as np

from keras.optimizers import SGD

net = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                        layers.Dense(1, activation="sigmoid")])
net.compile(optimizer=SGD(lr=0.01, momentum=0.9), loss="binary_crossentropy")
net.fit(x, y, epochs=1)
