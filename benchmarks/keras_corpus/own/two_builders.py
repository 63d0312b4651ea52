"""Two models built by two functions, both with a local named `model`, each with its own lr."""
from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import SGD


def build_small():
    model = Sequential([Dense(8, input_dim=20, activation="relu"), Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer=SGD(lr=0.1), metrics=["accuracy"])
    return model


def build_large():
    model = Sequential([Dense(256, input_dim=20, activation="relu"), Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer=SGD(lr=0.001), metrics=["accuracy"])
    return model


def train(model, x, y):
    return model.fit(x, y, nb_epoch=5, batch_size=32)
