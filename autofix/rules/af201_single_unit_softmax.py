"""AF201 single-unit-softmax."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..keras_vocab import loss_name
from ..spec import ModelSpec
from ._head import Head, sigmoid_binary_fix
from .base import Example, Rule


class SingleUnitSoftmax(Rule):
    """A one-unit output with softmax always outputs 1.0.

    ## What it does
    Finds a model whose single output is a 1-unit Dense (or Conv) layer with a
    softmax activation, given on the layer or by a following
    ``Activation('softmax')``/``Softmax`` layer.

    ## Why is this bad?
    Softmax divides each output's exponential by the sum over all outputs.
    Over one unit that is ``exp(z) / exp(z) = 1.0`` for every input, so the
    model predicts class 1 for everything and its gradient is zero: it
    trains without an error and never learns.

    ## Example
    ``Dense(1)`` followed by ``Activation('softmax')`` with
    ``binary_crossentropy``.

    ## Fix safety
    Safe: the activation becomes sigmoid (and the loss binary_crossentropy);
    parameter shapes are unchanged. The alternative, 2 units + softmax +
    categorical_crossentropy, needs one-hot labels.

    ## Keras versions
    All.

    ## References
    Seed report 002 (binary CNN always predicts 1).
    """

    code = "AF201"
    name = "single-unit-softmax"
    severity = Severity.ERROR
    applicability = Applicability.SAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((10, 4)),
    layers.Flatten(),
    layers.Dense(16, activation="relu"),
    layers.Dense(1),
    layers.Activation("softmax"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((10, 4)),
    layers.Flatten(),
    layers.Dense(16, activation="relu"),
    layers.Dense(1),
    layers.Activation("sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
""",
            message="unit with softmax: softmax over one unit is",
            line=6,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="softmax")])
""",
            fixed="""
model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
""",
            message="unit with softmax: softmax over one unit is",
            line=1,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        if head is None or head.units != 1 or head.activation != "softmax":
            return
        fix = sigmoid_binary_fix(head, self.applicability)
        if spec.compile is None or loss_name(spec.compile.loss) == "binary_crossentropy":
            fix = self.make_fix("use sigmoid on the single unit", head.set_activation("sigmoid"))
        message = (
            f"{head.describe()}: softmax over one unit is always 1.0, so the model predicts "
            "class 1 for every input and receives no gradient. Use sigmoid for a single-unit "
            "binary output (with binary_crossentropy)."
        )
        yield self.finding(message, at=head.act_layer, fixes=[fix])
