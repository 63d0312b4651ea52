# expect: AF501
import keras
from keras import layers
import numpy as np

import sys

if len(sys.argv) > 1:
    EPOCHS = int(sys.argv[1])
else:
    EPOCHS = 20


def build():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


model = build()
model.fit(np.zeros((4, 8)), np.zeros(4), nb_epoch=EPOCHS)
