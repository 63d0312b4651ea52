"""Flat reference: the same churn classifier as the other own/ scripts, built and trained at
module level.  Planted faults: Keras 1 names (init=, lr=, nb_epoch=), a single-unit softmax
head (AF201) and an EarlyStopping watching 'val_acc' (AF502)."""
import numpy as np
from keras.callbacks import EarlyStopping
from keras.layers import Dense, Dropout
from keras.models import Sequential
from keras.optimizers import SGD

rng = np.random.default_rng(7)
features = rng.normal(size=(512, 20)).astype("float32")
churned = (features[:, 0] + features[:, 3] > 0).astype("float32")

model = Sequential()
model.add(Dense(64, input_dim=20, init="he_normal", activation="relu"))
model.add(Dropout(0.2))
model.add(Dense(1, activation="softmax"))
model.compile(loss="binary_crossentropy", optimizer=SGD(lr=0.01), metrics=["accuracy"])
stop = EarlyStopping(monitor="val_acc", patience=3)
model.fit(features, churned, nb_epoch=10, batch_size=32, validation_split=0.2, callbacks=[stop])
