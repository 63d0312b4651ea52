"""AF405 binary-head-multiclass-labels."""

from __future__ import annotations

from ..edits import SetLayerArg, SetLoss
from ..findings import Applicability, Severity
from ..keras_vocab import BINARY_LOSSES, loss_from_logits, loss_name
from ..spec import ModelSpec
from ._head import Head
from ._regression import received
from .base import Example, Rule


class BinaryHeadMulticlassLabels(Rule):
    """A one-unit binary head trained on labels with three or more classes.

    ## What it does
    Finds a single sigmoid output (or a linear one with
    ``from_logits=True``) compiled with ``binary_crossentropy`` while the
    training labels are class indices taking three or more values.

    ## Why is this bad?
    Binary crossentropy reads each label as the probability of one class.
    Labels 2, 3, ... are impossible probabilities: the loss pushes the
    single output towards 1 for every class above 0, so classes 1, 2, ...
    collapse into one and the model can never tell them apart; accuracy
    plateaus at the share of the largest group. Keras raises no error.

    ## Example
    ``Dense(1, activation='sigmoid')`` + ``loss='binary_crossentropy'`` with
    ``y`` in ``{0, 1, 2, 3}``.

    ## Fix safety
    Unsafe: the output layer gets one unit per class with softmax (a linear
    head trained from logits keeps its logits) and the loss becomes
    ``sparse_categorical_crossentropy``; the head's weights are re-created.

    ## Keras versions
    All.

    ## References
    Humbatova et al. (ICSE 2020), "wrong number of output neurons / wrong loss";
    DeepFD (ICSE 2022); NeuraLint (TOSEM 2021).
    """

    code = "AF405"
    name = "binary-head-multiclass-labels"
    severity = Severity.ERROR
    applicability = Applicability.UNSAFE
    requires = ("compile", "data")

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(np.random.rand(60, 8), np.arange(60) % 4, epochs=1)
""",
            fixed="""
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(np.random.rand(60, 8), np.arange(60) % 4, epochs=1)
""",
            message="fit()'s labels take 4 class values (0..3, y shape (60,)) but Dense layer",
            line=6,
            graph_only=True,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((8,)))
model.add(layers.Dense(1))
model.add(layers.Activation("sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(30, 8), np.arange(30) % 3, epochs=1)
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((8,)))
model.add(layers.Dense(3))
model.add(layers.Activation("softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(30, 8), np.arange(30) % 3, epochs=1)
""",
            message="has 1 unit with sigmoid trained with binary_crossentropy (Received: loss='binary_crossentropy')",
            line=5,
            graph_only=True,
        ),
        Example(
            """
inputs = keras.Input((8,))
outputs = layers.Dense(1)(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(np.random.rand(50, 8), np.arange(50) % 5, epochs=1)
""",
            fixed="""
inputs = keras.Input((8,))
outputs = layers.Dense(5)(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(np.random.rand(50, 8), np.arange(50) % 5, epochs=1)
""",
            message="Give the output layer 5 units and use sparse_categorical_crossentropy(from_logits=True)",
            line=4,
            graph_only=True,
        ),
        Example(
            """
def build():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    return model


model = build()
model.fit(np.random.rand(30, 8), np.arange(30) % 3, epochs=1)
""",
            fixed="""
def build():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    return model


model = build()
model.fit(np.random.rand(30, 8), np.arange(30) % 3, epochs=1)
""",
            message="Give the output layer 3 units with softmax",
            line=3,
            graph_only=True,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(30, 8), np.arange(30) % 2, epochs=1)
""",
            graph_only=True,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(30, 8), np.arange(30) % 3, epochs=1)
""",
            graph_only=True,
        ),
        # Soft targets in [0, 1] (label smoothing, probabilities) suit binary crossentropy.
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(30, 8), np.linspace(0.1, 0.9, 30), epochs=1)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        data = spec.data
        head = Head.of(spec)
        loss = loss_name(spec.compile.loss)
        if head is None or head.units != 1 or loss not in BINARY_LOSSES:
            return
        if data.label_kind != "integer" or not isinstance(data.n_classes, int) or data.n_classes < 3:
            return
        if isinstance(data.class_counts, dict) and len(data.class_counts) == 2:
            return  # two label values (0/255): a binary task with mis-scaled labels, AF407's finding
        logits = loss_from_logits(spec.compile.loss) is True
        if head.activation != "sigmoid" and not (head.activation == "linear" and logits):
            return
        n = data.n_classes
        values = sorted(data.class_counts) if isinstance(data.class_counts, dict) else []
        span = f"{values[0]}..{values[-1]}, " if values else ""
        edits = [SetLayerArg(head.dense.qualname, "units", n)]
        if logits:
            edits.append(SetLoss("sparse_categorical_crossentropy", (("from_logits", True),)))
            advice = f"Give the output layer {n} units and use sparse_categorical_crossentropy(from_logits=True)."
        else:
            edits += [head.set_activation("softmax"), SetLoss("sparse_categorical_crossentropy")]
            advice = f"Give the output layer {n} units with softmax and use sparse_categorical_crossentropy."
        message = (
            f"fit()'s labels take {n} class values ({span}y shape {data.y_shape}) but {head.describe()} "
            f"trained with {loss} (Received: loss={received(spec.compile.loss)}): binary crossentropy reads "
            "each label as a probability, so every class above 0 is pushed to the same output and the "
            f"classes cannot be told apart. {advice}"
        )
        fix = self.make_fix(f"use {n} output units with sparse_categorical_crossentropy", *edits)
        yield self.finding(message, at=spec.compile.loss_origin or head.dense, fixes=[fix],
                           layers=[head.dense.qualname])
