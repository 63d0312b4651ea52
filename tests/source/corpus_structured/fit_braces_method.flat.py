# expect: AF303
import keras
from keras import layers
import numpy as np

model = keras.Sequential([keras.Input((3,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
x, y = np.random.rand(300, 3), np.random.rand(300)
model.fit(x, y, epochs=6, batch_size=x.shape[0])
