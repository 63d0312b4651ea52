# expect: AF303
import keras
from keras import layers
import numpy as np

x = np.random.rand(600, 4)
y = (x[:, 0] > 0.5).astype("int64")
model = keras.Sequential([keras.Input((4,)), layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, verbose=0, epochs=4, batch_size=len(x))
