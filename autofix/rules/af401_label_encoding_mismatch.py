"""AF401 label-encoding-mismatch."""

from __future__ import annotations

from ..edits import SetLoss
from ..findings import Applicability, Severity
from ..keras_vocab import CATEGORICAL_LOSSES, loss_name
from ..spec import ModelSpec
from ._head import Head
from .base import Example, Rule


class LabelEncodingMismatch(Rule):
    """Labels encoded differently from what the loss expects.

    ## What it does
    Compares the training labels with the loss: class indices (integers)
    with ``categorical_crossentropy``, one-hot rows with
    ``sparse_categorical_crossentropy``, and label values beyond the output
    head's number of units.

    ## Why is this bad?
    A ``(n, 1)`` column of class indices under categorical crossentropy is
    read as a one-class probability vector: the loss ignores most of the head
    and the model drifts to a single class. Sparse crossentropy on one-hot
    rows reads each 0/1 as a class index. Labels beyond the head's range
    produce NaN or garbage losses on some backends.

    ## Example
    ``y = np.array([[0], [2], [1]])`` with ``loss='categorical_crossentropy'``.

    ## Fix safety
    Safe: only the loss changes to the one matching the labels.

    ## Keras versions
    All.

    ## References
    Seed report 003 (integer labels with a one-hot loss).
    """

    code = "AF401"
    name = "label-encoding-mismatch"
    severity = Severity.ERROR
    applicability = Applicability.SAFE
    requires = ("compile", "data")

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
y = np.eye(3)[np.arange(30) % 3]
model.fit(np.random.rand(30, 4), y, epochs=1)
""",
            fixed="""
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
y = np.eye(3)[np.arange(30) % 3]
model.fit(np.random.rand(30, 4), y, epochs=1)
""",
            message="entry is read as a class number. Use",
            line=2,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((4,)))
model.add(layers.Dense(3, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
labels = keras.utils.to_categorical(np.arange(30) % 3)
model.fit(np.random.rand(30, 4), labels, epochs=1)
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((4,)))
model.add(layers.Dense(3, activation="softmax"))
model.compile(optimizer="adam", loss="categorical_crossentropy")
labels = keras.utils.to_categorical(np.arange(30) % 3)
model.fit(np.random.rand(30, 4), labels, epochs=1)
""",
            message="one-hot rows (shape (30, 3))",
            line=4,
        ),
        Example(
            """
inputs = keras.Input((4,))
outputs = layers.Dense(3, activation="softmax")(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.random.rand(30, 4), np.arange(30) % 3, epochs=1)
""",
            fixed="""
inputs = keras.Input((4,))
outputs = layers.Dense(3, activation="softmax")(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(30, 4), np.arange(30) % 3, epochs=1)
""",
            message="expects one-hot rows",
            line=4,
        ),
        Example(
            """
def build():
    net = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
    net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return net

model = build()
model.fit(np.random.rand(40, 4), np.arange(40) % 5, epochs=1)
""",
            message="labels 3 and above have no output unit",
            line=2,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(30, 4), np.arange(30) % 3, epochs=1)
""",
        ),
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
y = keras.utils.to_categorical(np.arange(30) % 3)
model.fit(np.random.rand(30, 4), y, epochs=1)
""",
        ),
    ]

    def check(self, spec: ModelSpec):
        data = spec.data
        loss = loss_name(spec.compile.loss)
        head = Head.of(spec)
        at = spec.compile.loss_origin or (head.act_layer if head else spec.origin)
        if data.label_kind in ("integer", "binary") and loss in CATEGORICAL_LOSSES:
            if head is not None and head.units >= 2:
                yield self.finding(
                    f"The labels are class indices (shape {data.y_shape}) but the loss {loss} "
                    "expects one-hot rows: each index is read as a one-column probability, so "
                    "the model drifts to one class. Use sparse_categorical_crossentropy (or "
                    "one-hot encode y with keras.utils.to_categorical).",
                    at=at,
                    fixes=[self.make_fix("use sparse_categorical_crossentropy",
                                         SetLoss("sparse_categorical_crossentropy"))],
                )
        elif data.label_kind == "onehot" and loss == "sparse_categorical_crossentropy":
            yield self.finding(
                f"The labels are one-hot rows (shape {data.y_shape}) but the loss {loss} expects "
                "class indices: each 0/1 entry is read as a class number. Use "
                "categorical_crossentropy (or pass y.argmax(-1)).",
                at=at,
                fixes=[self.make_fix("use categorical_crossentropy", SetLoss("categorical_crossentropy"))],
            )
        elif (
            loss == "sparse_categorical_crossentropy"
            and head is not None
            and isinstance(data.n_classes, int)
            and data.label_kind == "integer"
            and data.n_classes > head.units
        ):
            yield self.finding(
                f"The labels take {data.n_classes} class values but {head.describe()}: labels "
                f"{head.units} and above have no output unit. Give the output layer "
                f"{data.n_classes} units.",
                at=head.dense,
            )
