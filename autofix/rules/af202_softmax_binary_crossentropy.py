"""AF202 softmax-binary-crossentropy."""

from __future__ import annotations

from ..edits import SetLoss
from ..findings import Applicability, Severity
from ..keras_vocab import BINARY_LOSSES, loss_name
from ..spec import ModelSpec
from ._head import Head, sigmoid_binary_fix
from ._targets import read_from
from .base import Example, Rule


class SoftmaxBinaryCrossentropy(Rule):
    """A softmax over N >= 2 units trained with binary_crossentropy.

    ## What it does
    Finds a softmax output head with two or more units compiled with
    ``binary_crossentropy`` (or binary focal crossentropy).

    ## Why is this bad?
    Binary crossentropy treats each of the N outputs as an independent yes/no
    probability, which a softmax (whose outputs must sum to 1) is not. Keras
    also resolves the string metric ``'accuracy'`` from the loss, so it
    silently becomes *binary* accuracy averaged over the mirrored columns:
    the reported accuracy, precision and recall no longer mean what they say
    (seed 000: training "accuracy" 0.95, ``evaluate()`` 0.50).

    ## Example
    ``Dense(2, activation='softmax')`` with ``loss='binary_crossentropy'``.

    ## Fix safety
    Safe for the default fix, ``categorical_crossentropy`` (or the sparse
    variant when the labels are class indices): the model is unchanged. When
    the data shows multi-label targets (rows of 0/1 that do not sum to 1), the
    labels do not compete: the fix keeps binary_crossentropy and makes the
    head sigmoid (safe: same shape, same labels). The
    alternative for 2 units, 1 sigmoid unit + binary_crossentropy, changes the
    head's shape and needs 0/1 labels, so it is unsafe.

    ## Keras versions
    All.

    ## References
    Seed report 000; Keras ``compile()`` docs on string metric resolution.
    """

    code = "AF202"
    name = "softmax-binary-crossentropy"
    severity = Severity.ERROR
    applicability = Applicability.SAFE
    requires = ("compile",)

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((32,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(2),
    layers.Activation("softmax"),
])
model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((32,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(2),
    layers.Activation("softmax"),
])
model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
""",
            message="binary crossentropy scores each softmax column as an",
            line=7,
        ),
        Example(  # multi-label targets (rows summing to 0..3): the labels do not compete, the head must not either
            """
x = np.random.rand(256, 8)
y = (np.random.rand(256, 3) > 0.5).astype("float32")
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=5)
""",
            fixed="""
x = np.random.rand(256, 8)
y = (np.random.rand(256, 3) > 0.5).astype("float32")
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(3, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=5)
""",
            message="the targets are multi-label",
            line=3,
        ),
        Example(  # the same fault, built in functions: the data facts come from make_data()
            """
def make_data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(512, 6)).astype("float32")
    y = (x[:, :4] > 0).astype("float32")
    return x, y


def build():
    inputs = keras.Input((6,))
    h = layers.Dense(32, activation="relu")(inputs)
    outputs = layers.Dense(4, activation="softmax")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


x, y = make_data()
model = build()
model.fit(x, y, epochs=3)
""",
            message="the targets are multi-label",
            line=11,
            fixed="""
def make_data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(512, 6)).astype("float32")
    y = (x[:, :4] > 0).astype("float32")
    return x, y


def build():
    inputs = keras.Input((6,))
    h = layers.Dense(32, activation="relu")(inputs)
    outputs = layers.Dense(4, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


x, y = make_data()
model = build()
model.fit(x, y, epochs=3)
""",
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((32,)), layers.Dense(2, activation="softmax")])
model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((32,)), layers.Dense(4, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
        ),
        Example(  # multi-label targets on a sigmoid head: the consistent triple
            """
x = np.random.rand(256, 8)
y = (np.random.rand(256, 3) > 0.5).astype("float32")
model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=5)
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        loss = loss_name(spec.compile.loss)
        if head is None or head.activation != "softmax" or head.units < 2 or loss not in BINARY_LOSSES:
            return
        kind = spec.data.label_kind if spec.data is not None else None
        if kind == "multilabel":
            fix = self.make_fix("use a sigmoid head (independent labels)", head.set_activation("sigmoid"))
            shown = read_from(spec.data)
            message = (f"{head.describe()} and binary_crossentropy, but the targets are multi-label (rows of "
                       f"0/1 that do not sum to 1{shown}): a softmax makes the labels compete, so raising one "
                       "lowers the others. Use a sigmoid head, one independent probability per label.")
            yield self.finding(message, at=head.act_layer, fixes=[fix], layers=[head.act_layer.qualname])
            return
        sparse = kind in ("integer", "binary")
        target = "sparse_categorical_crossentropy" if sparse else "categorical_crossentropy"
        fixes = [self.make_fix(f"use {target}", SetLoss(target))]
        if head.units == 2:
            fixes.append(sigmoid_binary_fix(head, Applicability.UNSAFE, spec))
        message = (
            f"{head.describe()} but is trained with {loss}: binary crossentropy scores each "
            "softmax column as an independent probability, and the 'accuracy' metric silently "
            "becomes binary accuracy over the mirrored columns. Use "
            f"{target} for a softmax head"
            + (", or 1 sigmoid unit with binary_crossentropy." if head.units == 2 else ".")
        )
        yield self.finding(message, at=spec.compile.loss_origin or head.act_layer, fixes=fixes,
                           layers=[head.act_layer.qualname])
