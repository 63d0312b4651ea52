"""AF503 onehot-labels-sparse-loss."""

from __future__ import annotations

from ..edits import SetLoss
from ..findings import Applicability, Severity
from ..keras_vocab import loss_name
from ..spec import ModelSpec
from .base import Example, Rule


class OnehotLabelsSparseLoss(Rule):
    """Labels one-hot encoded with ``to_categorical`` fed to a sparse loss.

    ## What it does
    Follows ``fit()``'s labels back to a ``to_categorical(...)`` assignment in
    the script while the loss is ``sparse_categorical_crossentropy``.  Where
    the script's data facts show the labels are one-hot rows, AF401 reports
    this instead (with their shape); AF503 covers labels the facts cannot
    see (``to_categorical(np.load(...))``).

    ## Why is this bad?
    The sparse loss expects class indices; one-hot rows are read as a batch
    of indices, so the loss compares the wrong things (or fails on shape) and
    the model does not learn the task.

    ## Example
    ``y = keras.utils.to_categorical(y)`` then ``loss='sparse_categorical_crossentropy'``.

    ## Fix safety
    Safe: the loss becomes ``categorical_crossentropy``; the model is unchanged.

    ## Keras versions
    All.

    ## References
    Seed reports 003 and 004 (label encodings that disagree with the loss).
    """

    code = "AF503"
    name = "onehot-labels-sparse-loss"
    severity = Severity.ERROR
    applicability = Applicability.SAFE
    requires = ("compile", "script")

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
y = keras.utils.to_categorical(np.load("labels.npy"))
model.fit(np.load("features.npy"), y, epochs=1)
""",
            fixed="""
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
y = keras.utils.to_categorical(np.load("labels.npy"))
model.fit(np.load("features.npy"), y, epochs=1)
""",
            source_only=True,
            message="entry is read as a class number. Use",
            line=2,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((4,)))
model.add(layers.Dense(3, activation="softmax"))
labels = keras.utils.to_categorical(np.loadtxt("labels.txt"), 3)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.loadtxt("features.txt"), labels, epochs=1)
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((4,)))
model.add(layers.Dense(3, activation="softmax"))
labels = keras.utils.to_categorical(np.loadtxt("labels.txt"), 3)
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.loadtxt("features.txt"), labels, epochs=1)
""",
            source_only=True,
            message="come from to_categorical",
            line=5,
        ),
        Example(
            """
inputs = keras.Input((4,))
outputs = layers.Dense(3, activation="softmax")(inputs)
model = keras.Model(inputs, outputs)
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
y_train = keras.utils.to_categorical(np.load("y.npy"), num_classes=3)
model.fit(np.load("x.npy"), y_train, epochs=1)
""",
            fixed="""
inputs = keras.Input((4,))
outputs = layers.Dense(3, activation="softmax")(inputs)
model = keras.Model(inputs, outputs)
model.compile(loss="categorical_crossentropy", optimizer="adam")
y_train = keras.utils.to_categorical(np.load("y.npy"), num_classes=3)
model.fit(np.load("x.npy"), y_train, epochs=1)
""",
            source_only=True,
            message="expects class indices",
            line=4,
        ),
        Example(
            """
def build(classes):
    net = keras.Sequential([keras.Input((4,)), layers.Dense(classes, activation="softmax")])
    net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return net

model = build(3)
y = keras.utils.to_categorical(np.load("labels.npy"))
model.fit(np.load("features.npy"), y, epochs=1)
""",
            fixed="""
def build(classes):
    net = keras.Sequential([keras.Input((4,)), layers.Dense(classes, activation="softmax")])
    net.compile(optimizer="adam", loss="categorical_crossentropy")
    return net

model = build(3)
y = keras.utils.to_categorical(np.load("labels.npy"))
model.fit(np.load("features.npy"), y, epochs=1)
""",
            source_only=True,
            message="one-hot rows",
            line=3,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
y = keras.utils.to_categorical(np.load("labels.npy"))
model.fit(np.load("features.npy"), y, epochs=1)
""",
            source_only=True,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
y = np.load("labels.npy")
y_onehot = keras.utils.to_categorical(y, 3)
model.fit(np.load("features.npy"), y, epochs=1)
""",
            source_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        facts = spec.uses
        if facts.label_encoding != "onehot":
            return
        if loss_name(spec.compile.loss) != "sparse_categorical_crossentropy":
            return
        if spec.data is not None and spec.data.label_kind == "onehot":
            return  # the data facts show the one-hot rows: AF401 reports them, with their shape
        yield self.finding(
            "The labels passed to fit() come from to_categorical (one-hot rows) but the loss is "
            "sparse_categorical_crossentropy, which expects class indices: each 0/1 entry is read "
            "as a class number. Use categorical_crossentropy (or drop to_categorical).",
            at=spec.compile.loss_origin or spec.compile.origin,
            fixes=[self.make_fix("use categorical_crossentropy", SetLoss("categorical_crossentropy"))],
        )
