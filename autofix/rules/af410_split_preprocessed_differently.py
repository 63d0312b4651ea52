"""AF410 split-preprocessed-differently."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import is_known
from .base import Example, Rule


class SplitPreprocessedDifferently(Rule):
    """The training split is rescaled or shifted but its held-out sibling is not (or the reverse).

    ## What it does
    Follows the two parts of a train/held-out split in a script (``x[:n]``/``x[n:]``,
    ``load_data()``'s two tuples, ``train_test_split``) to fit() and to where the
    held-out part is evaluated (``evaluate``, ``predict``, ``validation_data``, or
    compared with a prediction), and compares the elementwise operations applied to
    each part after the split (``/ 255``, ``- mean``, ``np.log1p``).

    ## Why is this bad?
    The model learns on inputs (or targets) in one unit and is scored on another:
    ``x_train / 255`` trains on values in [0, 1] and ``x_test`` in 0..255 saturates
    every unit, targets divided by 100 for training make every prediction 100 times
    too small. Training looks fine; the held-out score collapses, with no error.

    ## Example
    ``x_train = x_train / 255`` and no such line for ``x_test``, then
    ``model.evaluate(x_test, y_test)``.

    ## Fix safety
    Display only: the finding names the operation to apply to the other split (or
    to move into the model as a ``Rescaling``/``Normalization`` layer); which split
    holds the intended units is the author's call.

    ## Keras versions
    All.

    ## References
    Fault suite mutant ``b14_regression_functional__train_targets_rescaled``
    (DeepCrime-style data mutation); Humbatova et al. (ICSE 2020), "preprocessing
    of the test data differs from that of the training data".
    """

    code = "AF410"
    name = "split-preprocessed-differently"
    severity = Severity.ERROR
    applicability = Applicability.DISPLAY_ONLY
    requires = ("data", "script")

    INVALID = [
        Example(
            """
rng = np.random.default_rng(0)
x = rng.integers(0, 256, size=(200, 16)).astype("float32")
y = rng.integers(0, 2, size=200)
x_train, y_train, x_test, y_test = x[:150], y[:150], x[150:], y[150:]
x_train = x_train / 255
model = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train, epochs=1)
model.evaluate(x_test, y_test)
""",
            source_only=True,
            message="but the held-out x",
            line=5,
        ),
        Example(
            """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32")
model = keras.Sequential()
model.add(keras.Input((784,)))
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, validation_data=(x_test, y_test))
""",
            source_only=True,
            message="Apply the same operation (/ 255) to the held-out split",
            line=2,
        ),
        Example(
            """
rng = np.random.default_rng(1)
x = rng.normal(size=(400, 4)).astype("float32")
y = x.sum(axis=1) * 50
n = 300
(x_tr, y_tr), (x_te, y_te) = (x[:n], y[:n] / 100), (x[n:], y[n:])
inputs = keras.Input((4,))
outputs = layers.Dense(1)(layers.Dense(16, activation="relu")(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(x_tr, y_tr, epochs=1)
pred = model.predict(x_te)
print(np.mean((pred[:, 0] - y_te) ** 2))
""",
            source_only=True,
            message="fit()'s y is `y[:n] / 100`",
            line=5,
        ),
        Example(
            """
def build():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


rng = np.random.default_rng(2)
x = rng.uniform(0, 1000, size=(100, 3))
y = x.mean(axis=1)
x_train, x_test = x[:80], x[80:]
mean, std = x_train.mean(axis=0), x_train.std(axis=0)
x_train = (x_train - mean) / std
model = build()
model.fit(x_train, y[:80], epochs=1)
score = model.evaluate(x_test, y[80:])
""",
            source_only=True,
            message="(- mean, / std)",
            line=12,
        ),
    ]
    VALID = [
        # Both splits rescaled in one line.
        Example(
            """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train / 255, x_test / 255.0
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1)
model.evaluate(x_test, y_test)
""",
            source_only=True,
        ),
        # The scaling lives in the model: both splits stay raw.
        Example(
            """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
norm = layers.Normalization(axis=None)
norm.adapt(x_train)
model = keras.Sequential([keras.Input((28, 28)), norm, layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, validation_data=(x_test, y_test))
""",
            source_only=True,
        ),
        # The test split is rescaled where it is evaluated.
        Example(
            """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train / 255
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1)
probabilities = model.predict(x_test / 255)
""",
            source_only=True,
        ),
        # The held-out split is never evaluated.
        Example(
            """
rng = np.random.default_rng(0)
x = rng.integers(0, 256, size=(200, 16)).astype("float32")
y = rng.integers(0, 2, size=200)
x_train, x_test = x[:150] / 255, x[150:]
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y[:150], epochs=1)
""",
            source_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        mismatches = spec.data.split_mismatch
        if not is_known(mismatches):
            return
        for found in mismatches:
            yield self.finding(_message(found), at=found.origin)


def _ops(ops: tuple[str, ...]) -> str:
    return ", ".join(ops)


def _message(found) -> str:
    role = found.role
    where = f" at line {found.heldout_line}" if found.heldout_line else ""
    if found.train_ops and not found.heldout_ops:
        return (f"fit()'s {role} is `{found.train_text}` ({_ops(found.train_ops)} after the split) but the held-out "
                f"{role} `{found.heldout_text}` evaluated{where} is not: the model is trained on one scale and "
                f"scored on another, so its held-out predictions are wrong with no error. Apply the same operation "
                f"({_ops(found.train_ops)}) to the held-out split" + (
                    ", or move it into the model (a Rescaling or Normalization layer)." if role == "x" else
                    ", or undo it on the predictions."))
    if found.heldout_ops and not found.train_ops:
        return (f"The held-out {role} `{found.heldout_text}` evaluated{where} is preprocessed "
                f"({_ops(found.heldout_ops)}) but fit()'s {role} is not: the model is scored on a scale it was "
                f"never trained on. Apply the same operation ({_ops(found.heldout_ops)}) to the training split, "
                "or to neither.")
    return (f"fit()'s {role} is preprocessed with ({_ops(found.train_ops)}) but the held-out {role} "
            f"`{found.heldout_text}` evaluated{where} with ({_ops(found.heldout_ops)}): the two splits are on "
            "different scales. Apply the same operations to both splits.")
