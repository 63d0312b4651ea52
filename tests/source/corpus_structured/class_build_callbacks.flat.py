# expect: AF502
import keras
from keras import layers
import numpy as np

model = keras.Sequential()
model.add(keras.Input((8,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(monitor="val_acc", patience=2)
model.fit(x, y, validation_split=0.2, epochs=epochs, callbacks=[stop])
