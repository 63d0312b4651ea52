# expect: AF502
import keras
from keras import layers
import numpy as np

class Experiment:
    def __init__(self, epochs):
        self.epochs = epochs
        self.build()

    def build(self):
        self.model = keras.Sequential()
        self.model.add(keras.Input((8,)))
        self.model.add(layers.Dense(16, activation="relu"))
        self.model.add(layers.Dense(1, activation="sigmoid"))

    def compile_model(self):
        self.model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

    def run(self, x, y):
        stop = keras.callbacks.EarlyStopping(monitor="val_acc", patience=2)
        self.model.fit(x, y, validation_split=0.2, epochs=self.epochs, callbacks=[stop])
