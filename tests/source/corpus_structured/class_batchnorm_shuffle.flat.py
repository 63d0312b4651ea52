# expect: AF301
import keras
from keras import layers
import numpy as np

model = keras.Sequential([
    keras.Input((64, 1)),
    layers.Conv1D(8, 3, padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1, shuffle=False)
