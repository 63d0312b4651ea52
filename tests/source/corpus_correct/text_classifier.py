"""Text classifier with Embedding and LSTM; checkpoints on val_loss."""
from keras import layers, models, callbacks

VOCAB = 20000
model = models.Sequential([
    layers.Input(shape=(None,), dtype="int64"),
    layers.Embedding(VOCAB, 128),  # token embeddings
    layers.Bidirectional(layers.LSTM(64)),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
checkpoint = callbacks.ModelCheckpoint("best.keras", monitor="val_loss", save_best_only=True)
model.fit(x_train, y_train, batch_size=32, epochs=2, validation_data=(x_val, y_val), callbacks=[checkpoint])
