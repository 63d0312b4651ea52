"""False alarms found on keras-io's example scripts (benchmarks/keras_corpus/README.md, keras_io corpus).

Each test is a minimal reproducer of an idiom that a correct keras-io example uses, written
for this suite (no corpus code), and asserts that the rule named in it stays silent.
"""

from __future__ import annotations

from helpers import PRELUDE, run


def _codes(code: str) -> list[str]:
    return [finding.code for finding in run(PRELUDE + code).findings]


def test_af402_normalization_inside_a_preprocessing_submodel():
    # vision/image_classification_with_vision_transformer: the input goes through a Sequential
    # whose first layer is a Normalization adapted on x_train, then through the classifier.
    code = """
(x_train, y_train), _ = keras.datasets.cifar10.load_data()
augment = keras.Sequential([layers.Normalization(), layers.RandomFlip("horizontal")])
augment.layers[0].adapt(x_train)
inputs = keras.Input((32, 32, 3))
x = augment(inputs)
x = layers.Flatten()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x_train, y_train, epochs=1)
"""
    assert "AF402" not in _codes(code)


def test_af402_first_known_layer_is_not_the_model_input():
    # Same example: the layers between the input and the head come from a helper the extractor
    # does not follow, so the first layer it sees (the head) is not fed by the input. The
    # "fix" put Rescaling(1/255) in front of the classification head.
    code = """
def block(x):
    return layers.Rescaling(1.0 / 255)(x)


(x_train, y_train), _ = keras.datasets.mnist.load_data()
inputs = keras.Input((28, 28))
x = layers.Flatten()(block(inputs))
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1)
"""
    assert "AF402" not in _codes(code)


def test_af101_linear_conv_after_a_nonlinearity():
    # vision/knowledge_distillation: Conv2D -> LeakyReLU -> MaxPooling2D -> Conv2D (no activation)
    # -> Flatten -> Dense logits. The model is not one linear map (LeakyReLU), so "cannot learn
    # non-linear decision boundaries" at error level is wrong; the example trains to ~97.6%.
    code = """
model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.Conv2D(16, (3, 3), strides=(2, 2), padding="same"),
    layers.LeakyReLU(negative_slope=0.2),
    layers.MaxPooling2D(pool_size=(2, 2), strides=(1, 1), padding="same"),
    layers.Conv2D(32, (3, 3), strides=(2, 2), padding="same"),
    layers.Flatten(),
    layers.Dense(10),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
"""
    assert "AF101" not in _codes(code)


def test_af302_adam_0_01_with_large_batches():
    # structured_data/imbalanced_classification: Adam(1e-2) with batch_size=2048 on a
    # standardised tabular MLP; large batches take larger rates, and the example converges.
    code = """
x = np.random.default_rng(0).normal(size=(40960, 30)).astype("float32")
y = (x[:, 0] > 1.5).astype("float32")
model = keras.Sequential([keras.Input((30,)), layers.Dense(256, activation="relu"),
                          layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy")
model.fit(x, y, batch_size=2048, epochs=30)
"""
    assert "AF302" not in _codes(code)
