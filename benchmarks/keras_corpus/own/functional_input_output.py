"""Same model as flat.py in the functional API with Keras 1's Model(input=, output=)."""
import numpy as np
from keras.callbacks import EarlyStopping
from keras.layers import Dense, Dropout, Input
from keras.models import Model
from keras.optimizers import SGD

rng = np.random.default_rng(7)
features = rng.normal(size=(512, 20)).astype("float32")
churned = (features[:, 0] + features[:, 3] > 0).astype("float32")

inputs = Input(shape=(20,))
hidden = Dropout(0.2)(Dense(64, init="he_normal", activation="relu")(inputs))
outputs = Dense(1, activation="softmax")(hidden)
model = Model(input=inputs, output=outputs)
model.compile(loss="binary_crossentropy", optimizer=SGD(lr=0.01), metrics=["accuracy"])
stop = EarlyStopping(monitor="val_acc", patience=3)
model.fit(features, churned, nb_epoch=10, batch_size=32, validation_split=0.2, callbacks=[stop])
