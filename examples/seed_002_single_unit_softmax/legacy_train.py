"""Seed 002 exactly as the user wrote it (Keras 1 API): input for ``autofix-src``.

This file does NOT run on Keras 2 or 3 (``Convolution1D``, ``nb_filter``,
``filter_length``, ``border_mode``, ``nb_epoch`` and ``monitor='val_acc'``
are Keras-1 names). It is kept as the source-rewriting tool's input; the
runnable Keras 3 port is ``train.py`` next to it. The data comes from
``train.py``'s ``make_data`` (windows around -1.06 moving in the third decimal).
"""

from keras.models import Sequential
from keras.layers import Convolution1D, BatchNormalization, LeakyReLU, Dropout, Flatten, Dense, Activation
from keras.callbacks import ReduceLROnPlateau
from sklearn.metrics import confusion_matrix

from train import make_data

X_train, y_train, X_test, y_test = make_data()

model = Sequential()
model.add(Convolution1D(input_shape = (10, 4),
                        nb_filter=16,
                        filter_length=4,
                        border_mode='same'))
model.add(BatchNormalization())
model.add(LeakyReLU())
model.add(Dropout(0.2))
model.add(Convolution1D(nb_filter=8,
                        filter_length=4,
                        border_mode='same'))
model.add(BatchNormalization())
model.add(LeakyReLU())
model.add(Dropout(0.2))
model.add(Flatten())
model.add(Dense(64))
model.add(BatchNormalization())
model.add(LeakyReLU())
model.add(Dense(1))
model.add(Activation('softmax'))

reduce_lr = ReduceLROnPlateau(monitor='val_acc', factor=0.9, patience=30, min_lr=0.000001, verbose=0)

model.compile(optimizer='adam',
              loss='binary_crossentropy',
              metrics=['accuracy'])

history = model.fit(X_train, y_train,
                    nb_epoch = 100,
                    batch_size = 128,
                    verbose=0,
                    validation_data=(X_test, y_test),
                    callbacks=[reduce_lr],
                    shuffle=True)

y_pred = model.predict(X_test)
print(confusion_matrix(y_test, y_pred))
