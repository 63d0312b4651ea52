"""Same model as flat.py, held on self.model by a small trainer class."""
import numpy as np
from keras.callbacks import EarlyStopping
from keras.layers import Dense, Dropout
from keras.models import Sequential
from keras.optimizers import SGD


class ChurnTrainer:
    def __init__(self, n_features=20, learning_rate=0.01):
        self.model = Sequential()
        self.model.add(Dense(64, input_dim=n_features, init="he_normal", activation="relu"))
        self.model.add(Dropout(0.2))
        self.model.add(Dense(1, activation="softmax"))
        self.model.compile(loss="binary_crossentropy", optimizer=SGD(lr=learning_rate), metrics=["accuracy"])

    def fit(self, x, y):
        stop = EarlyStopping(monitor="val_acc", patience=3)
        return self.model.fit(x, y, nb_epoch=10, batch_size=32, validation_split=0.2, callbacks=[stop])


if __name__ == "__main__":
    rng = np.random.default_rng(7)
    features = rng.normal(size=(512, 20)).astype("float32")
    churned = (features[:, 0] + features[:, 3] > 0).astype("float32")
    ChurnTrainer().fit(features, churned)
