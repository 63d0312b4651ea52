# expect: AF501
import keras
from keras import layers
import numpy as np

model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((4, 8)), np.zeros(4), nb_epoch=2, batch_size=32)
