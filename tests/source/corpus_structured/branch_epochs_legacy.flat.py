# expect: AF501
import keras
from keras import layers
import numpy as np

import sys

EPOCHS = int(sys.argv[1])
model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((4, 8)), np.zeros(4), nb_epoch=EPOCHS)
