# expect: AF201 AF501
import keras
from keras import layers
import numpy as np

model = keras.Sequential()
model.add(keras.Input((8,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(1, activation="softmax"))
model.compile(optimizer=keras.optimizers.Adam(lr=0.001), loss="binary_crossentropy")
model.fit(np.zeros((4, 8)), np.zeros(4), epochs=3)
