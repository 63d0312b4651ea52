"""AF409 constant-inputs."""

from __future__ import annotations

import math

from ..edits import ChangeData
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import is_known
from .base import Example, Rule

#: Fewer rows than this are a smoke test or a placeholder batch, not training data.
MIN_ROWS = 16


class ConstantInputs(Rule):
    """Every input feature takes one value over all training rows: the inputs carry no information.

    ## What it does
    Reads the data facts of ``x``: the number of input positions (features
    of one row) that take a single value over the sampled rows. It reports
    when every position is constant (all zeros, or one row repeated) over at
    least 16 rows.

    ## Why is this bad?
    A model can only learn what varies with the label. With constant inputs
    every row gets the same prediction: the loss falls to the label entropy
    and stays there, accuracy is the majority share, and nothing in Keras
    complains. The usual cause is a preprocessing step that erased the data:
    integer division (``x // 255`` on an int array gives 0 for every pixel),
    ``astype('int')`` after scaling to [0, 1], a mask multiplied in, or a
    placeholder array left in the script.

    ## Example
    ``x = (pixels // 255).astype('float32')`` with pixels in 0..254: every
    feature is 0.

    ## Fix safety
    Unsafe: the fix changes the inputs the model trains on. On a script,
    ``autofix-src`` rewrites the integer division (``pixels // 255`` ->
    ``pixels / 255``) or integer cast (``.astype(int)`` ->
    ``.astype('float32')``) on the lines that built ``x``, the one whose
    rewrite makes the script's data facts show varying inputs (nothing is
    written otherwise: a placeholder array needs real data).
    ``autofix.fix(model, x, y)`` cannot change your arrays and leaves it as a
    suggestion. Some constant features (image borders, unused words) are
    normal and not reported.

    ## Keras versions
    All.

    ## References
    keras-team/keras issue #255 (integer "normalisation" made every pixel 0);
    Humbatova et al. (ICSE 2020), "wrong preprocessing of the training data".
    """

    code = "AF409"
    name = "constant-inputs"
    severity = Severity.ERROR
    applicability = Applicability.UNSAFE
    requires = ("data",)

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((64,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
pixels = np.arange(40 * 64).reshape(40, 64) % 200
model.fit((pixels // 255).astype("float32"), np.eye(2)[np.arange(40) % 2], epochs=1)
""",
            graph_only=True,
            fixed_source="""
model = keras.Sequential([
    keras.Input((64,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
pixels = np.arange(40 * 64).reshape(40, 64) % 200
model.fit((pixels / 255).astype("float32"), np.eye(2)[np.arange(40) % 2], epochs=1)
""",
            message="all 64 input features are constant over the 40 training rows (every value is 0)",
            line=8,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((3,)))
model.add(layers.Dense(8, activation="relu"))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.tile([0.2, 5.0, -1.0], (30, 1)), np.arange(30) % 2, epochs=1)
""",
            graph_only=True,
            message="values from -1 to 5",
            line=6,
        ),
        Example(
            """
inputs = keras.Input((10, 4))
x = layers.Conv1D(8, 3, activation="relu")(inputs)
x = layers.GlobalMaxPooling1D()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(np.zeros((32, 10, 4)), np.random.rand(32), epochs=1)
""",
            graph_only=True,
            message="all 40 input features are constant",
            line=7,
        ),
        Example(
            """
def build():
    model = keras.Sequential([keras.Input((5,)), layers.Dense(4, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mae")
    return model


model = build()
model.fit(np.ones((20, 5)), np.arange(20.0), epochs=1)
""",
            graph_only=True,
            message="the model predicts the same value for every row",
            line=8,
        ),
        # Seen in the script: the integer division that erased the pixels becomes a true division.
        Example(
            """
pixels = np.arange(48 * 16).reshape(48, 16) % 251
x = pixels // 255
y = np.arange(48) % 2
model = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1)
""",
            message="all 16 input features are constant over the 48 training rows (every value is 0)",
            line=6,
            fixed_source="""
pixels = np.arange(48 * 16).reshape(48, 16) % 251
x = pixels / 255
y = np.arange(48) % 2
model = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1)
""",
        ),
        # An integer cast after scaling to [0, 1]: the cast becomes float32.
        Example(
            """
def make_data():
    raw = np.linspace(0.0, 200.0, 40 * 8).reshape(40, 8)
    x = (raw / 255).astype(int)
    y = np.arange(40) % 2
    return x, y


def build_model():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


x, y = make_data()
model = build_model()
model.fit(x, y, epochs=1)
""",
            message="all 8 input features are constant",
            line=16,
            fixed_source="""
def make_data():
    raw = np.linspace(0.0, 200.0, 40 * 8).reshape(40, 8)
    x = (raw / 255).astype("float32")
    y = np.arange(40) % 2
    return x, y


def build_model():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


x, y = make_data()
model = build_model()
model.fit(x, y, epochs=1)
""",
        ),
    ]
    VALID = [
        # MNIST-like: the border pixels are 0 in every image, the others vary.
        Example(
            """
model = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu"), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
x = np.zeros((40, 16))
x[:, 5:11] = np.random.rand(40, 6)
model.fit(x, np.eye(2)[np.arange(40) % 2], epochs=1)
""",
            graph_only=True,
        ),
        # A rare binary feature that is 0 in the first rows only still varies overall.
        Example(
            """
model = keras.Sequential([keras.Input((2,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
x = np.zeros((40, 2))
x[39] = 1.0
model.fit(x, np.arange(40) % 2, epochs=1)
""",
            graph_only=True,
        ),
        # A placeholder batch of a few rows is a smoke test, not training data.
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.zeros((8, 4)), np.zeros(8), epochs=1)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        data = spec.data
        constant, shape, rows = data.x_constant_features, data.x_shape, data.n_samples
        if not (is_known(constant) and is_known(shape) and is_known(rows)) or not isinstance(rows, int):
            return
        features = math.prod(shape) if isinstance(shape, tuple) else None
        if not features or constant != features or rows < MIN_ROWS:
            return
        values = (f"every value is {data.x_min:g}" if data.x_min == data.x_max
                  else f"one row repeated, values from {data.x_min:g} to {data.x_max:g}")
        message = (
            f"all {features} input features are constant over the {rows} training rows ({values}): the "
            "inputs carry no information, so the model predicts the same value for every row and cannot "
            "beat the label average. Expected inputs that vary between rows. Check the preprocessing that "
            "made x (integer division such as x // 255 on an int array gives 0: use x.astype('float32') / 255)."
        )
        fix = self.make_fix("fix the preprocessing of x (e.g. x.astype('float32') / 255 instead of x // 255)",
                            ChangeData("true_division"))
        yield self.finding(message, at=spec.fit.origin, fixes=[fix])
