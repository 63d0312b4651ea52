# expect: AF501
import keras
from keras import layers
import numpy as np

enc = keras.Sequential()
enc.add(layers.Embedding(100, 16))
enc.add(layers.Dropout(0.3))
question = keras.Input((10,))
story = keras.Input((10,))
encoded_q = enc(question)
match = layers.dot([encoded_q, encoded_q], axes=(2, 2))
model = keras.Model([question, story], match)
model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
model.fit([x, x], y, nb_epoch=2)
