# expect: AF501
import keras
from keras import layers
import numpy as np

def build_model():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def evaluate(model):
    return model.evaluate(np.zeros((4, 8)), np.zeros(4))


def fit_model(model, batches):
    model.fit_generator(batches, steps_per_epoch=100, epochs=20)


model = build_model()
fit_model(model, batches)
evaluate(model)
