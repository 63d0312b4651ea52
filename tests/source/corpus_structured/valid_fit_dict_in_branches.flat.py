# expect:
import keras
from keras import layers
import numpy as np

import sys

x = np.random.rand(600, 4)
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, np.zeros(600), epochs=int(sys.argv[1]), batch_size=len(x))
