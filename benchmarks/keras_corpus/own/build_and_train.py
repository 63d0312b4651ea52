"""Same model as flat.py, built in build_model() (returned) and trained in train(model, ...)."""
import numpy as np
from keras.callbacks import EarlyStopping
from keras.layers import Dense, Dropout
from keras.models import Sequential
from keras.optimizers import SGD


def build_model(n_features=20):
    model = Sequential()
    model.add(Dense(64, input_dim=n_features, init="he_normal", activation="relu"))
    model.add(Dropout(0.2))
    model.add(Dense(1, activation="softmax"))
    model.compile(loss="binary_crossentropy", optimizer=SGD(lr=0.01), metrics=["accuracy"])
    return model


def train(model, x, y, epochs=10):
    stop = EarlyStopping(monitor="val_acc", patience=3)
    return model.fit(x, y, nb_epoch=epochs, batch_size=32, validation_split=0.2, callbacks=[stop])


if __name__ == "__main__":
    rng = np.random.default_rng(7)
    features = rng.normal(size=(512, 20)).astype("float32")
    churned = (features[:, 0] + features[:, 3] > 0).astype("float32")
    train(build_model(), features, churned)
