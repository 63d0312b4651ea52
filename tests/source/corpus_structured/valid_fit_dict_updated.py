# expect:
import keras
from keras import layers
import numpy as np

x = np.random.rand(600, 4)
FIT = dict(epochs=1, batch_size=len(x))
FIT.update(epochs=300)
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, np.zeros(600), **FIT)
