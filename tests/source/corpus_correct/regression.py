"""Regression with Normalization and mse (aliases: import keras as K)."""
import keras as K
from keras.layers import Dense, Normalization

norm = Normalization(axis=-1)
norm.adapt(train_features)
model = K.Sequential([norm, Dense(64, activation="relu"), Dense(64, activation="relu"), Dense(1)])
model.compile(loss="mean_absolute_error", optimizer=K.optimizers.Adam(0.001))
history = model.fit(train_features, train_labels, validation_split=0.2, verbose=0, epochs=100)
