# expect:
import keras
from keras import layers
import numpy as np


class Classifier:
    def __init__(self, head="relu", n_classes=4):
        self.model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"),
                                       layers.Dense(n_classes, activation=head)])
        self.model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")


clf = Classifier(head="softmax")
