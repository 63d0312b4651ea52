"""AF208 single-unit-categorical-crossentropy."""

from __future__ import annotations

from ..edits import SetLayerArg, SetLoss
from ..findings import Applicability, Severity
from ..keras_vocab import CATEGORICAL_LOSSES, loss_from_logits, loss_name
from ..spec import ModelSpec
from ._head import Head
from ._regression import received
from .base import Example, Rule


class SingleUnitCategoricalCrossentropy(Rule):
    """A one-unit output trained with a categorical crossentropy: the loss is identically 0.

    ## What it does
    Finds a single-unit output head that does not use softmax (a sigmoid,
    linear or ReLU unit; a 1-unit softmax is AF201) compiled with
    ``categorical_crossentropy`` (or its focal variant) or
    ``sparse_categorical_crossentropy``.

    ## Why is this bad?
    Categorical crossentropy first normalises the prediction over the class
    axis (``p / sum(p)``, or a softmax when ``from_logits=True``). Over one unit
    that is always 1.0, so ``-y log(1) = 0`` for every sample: the loss is
    exactly zero, no gradient flows and nothing ever learns, without any
    error or warning. The sparse variant additionally reads label 1 as an
    index beyond the single output.

    ## Example
    ``Dense(1, activation='sigmoid')`` with ``loss='categorical_crossentropy'``.

    ## Fix safety
    Safe for a binary task: the loss becomes ``binary_crossentropy`` (keeping
    ``from_logits=True`` for a linear head) and a linear/ReLU head gets a
    sigmoid; parameter shapes are unchanged. When the training data shows three
    or more class indices, the fix instead gives the head one softmax unit per
    class with ``sparse_categorical_crossentropy``, which changes its shape
    (unsafe).

    ## Keras versions
    All.

    ## References
    Humbatova et al. (ICSE 2020), "wrong loss function"; NeuraLint (TOSEM 2021),
    loss/activation consistency; Keras losses documentation.
    """

    code = "AF208"
    verify_goal = "no_worse"  # the loss is identically 0: shown without training
    name = "single-unit-categorical-crossentropy"
    severity = Severity.ERROR
    applicability = Applicability.SAFE
    requires = ("compile",)

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((16,)),
    layers.Dense(8, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((16,)),
    layers.Dense(8, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
""",
            message="has 1 unit with sigmoid but is trained with categorical_crossentropy "
                    "(Received: loss='categorical_crossentropy')",
            line=6,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((10,)))
model.add(layers.Dense(1))
model.add(layers.Activation("sigmoid"))
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy())
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((10,)))
model.add(layers.Dense(1))
model.add(layers.Activation("sigmoid"))
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy())
""",
            message="the loss is identically 0",
            line=5,
        ),
        Example(
            """
inputs = keras.Input((10,))
hidden = layers.Dense(8, activation="relu")(inputs)
outputs = layers.Dense(1)(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
""",
            fixed="""
inputs = keras.Input((10,))
hidden = layers.Dense(8, activation="relu")(inputs)
outputs = layers.Dense(1)(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
""",
            message="Use binary_crossentropy(from_logits=True)",
            line=5,
        ),
        Example(
            """
def make_model():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="relu")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    return model


model = make_model()
""",
            fixed="""
def make_model():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    return model


model = make_model()
""",
            message="has 1 unit with relu but is trained with sparse_categorical_crossentropy",
            line=3,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.random.rand(30, 4), np.arange(30) % 3, epochs=1)
""",
            fixed="""
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(30, 4), np.arange(30) % 3, epochs=1)
""",
            message="fit()'s labels take 3 class values",
            line=2,
            graph_only=True,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((16,)), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
        ),
        # A one-unit softmax is AF201's finding, not reported twice.
        Example(
            """
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((16,)), layers.Dense(1)])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        loss = loss_name(spec.compile.loss)
        if head is None or head.units != 1 or head.activation == "softmax":
            return
        if loss not in CATEGORICAL_LOSSES and loss != "sparse_categorical_crossentropy":
            return
        logits = loss_from_logits(spec.compile.loss)
        data = spec.data
        message = (
            f"{head.describe()} but is trained with {loss} (Received: loss={received(spec.compile.loss)}): "
            "categorical crossentropy normalises the prediction over the class axis, which is 1.0 "
            "for a single unit, so the loss is identically 0 and no weight ever changes. "
        )
        n_classes = data.n_classes if data is not None and data.label_kind == "integer" else None
        if isinstance(n_classes, int) and n_classes >= 3:
            message += (f"fit()'s labels take {n_classes} class values: give the output layer "
                        f"{n_classes} units with softmax and use sparse_categorical_crossentropy.")
            edits = [SetLayerArg(head.dense.qualname, "units", n_classes)]
            if head.activation == "linear" and logits is True:
                edits.append(SetLoss("sparse_categorical_crossentropy", (("from_logits", True),)))
            else:
                edits += [head.set_activation("softmax"), SetLoss("sparse_categorical_crossentropy")]
            fix = self.make_fix(f"use {n_classes} softmax units with sparse_categorical_crossentropy",
                                *edits, applicability=Applicability.UNSAFE)
        elif head.activation == "linear" and logits is True:
            message += "Use binary_crossentropy(from_logits=True) for a single-unit binary output."
            fix = self.make_fix("use binary_crossentropy(from_logits=True)",
                                SetLoss("binary_crossentropy", (("from_logits", True),)))
        else:
            edits = [] if head.activation == "sigmoid" else [head.set_activation("sigmoid")]
            edits.append(SetLoss("binary_crossentropy"))
            message += "Use binary_crossentropy for a single-unit binary output" + (
                "." if head.activation == "sigmoid" else f", with sigmoid instead of {head.activation}.")
            fix = self.make_fix("use binary_crossentropy" + ("" if head.activation == "sigmoid" else " with sigmoid"),
                                *edits)
        yield self.finding(message, at=spec.compile.loss_origin or head.act_layer, fixes=[fix],
                           layers=[head.act_layer.qualname])
