"""AF201 single-unit-softmax."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..keras_vocab import loss_name
from ..spec import ModelSpec
from ._head import Head, sigmoid_binary_fix
from ._regression import regression_loss
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
    categorical_crossentropy, needs one-hot labels. On a regression (a
    regression loss such as ``mse``/``mae``/``huber``, or continuous targets in
    the training data) the unit becomes linear instead and the loss is kept:
    sigmoid + binary_crossentropy would turn the regression into a classifier.

    ## Keras versions
    All.

    ## References
    Seed report 002 (binary CNN always predicts 1).
    """

    code = "AF201"
    verify_goal = "no_worse"  # a softmax over one unit is 1.0 for every input: shown without training
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
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(32, activation="relu"),
                          layers.Dense(1, activation="softmax")])
model.compile(optimizer="rmsprop", loss="mse")
""",
            fixed="""
model = keras.Sequential([keras.Input((8,)), layers.Dense(32, activation="relu"),
                          layers.Dense(1, activation="linear")])
model.compile(optimizer="rmsprop", loss="mse")
""",
            message="a regression: use a linear output",
            line=2,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(1), layers.Activation("softmax")])
model.compile(optimizer="adam", loss=keras.losses.Huber())
""",
            fixed="""
model = keras.Sequential([keras.Input((8,)), layers.Dense(1), layers.Activation("linear")])
model.compile(optimizer="adam", loss=keras.losses.Huber())
""",
            message="a regression: use a linear output",
            line=1,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((3,)), layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.linspace(0, 1, 30).reshape(10, 3), np.linspace(-2.0, 7.5, 10), epochs=1)
""",
            fixed="""
model = keras.Sequential([keras.Input((3,)), layers.Dense(1, activation="linear")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.linspace(0, 1, 30).reshape(10, 3), np.linspace(-2.0, 7.5, 10), epochs=1)
""",
            graph_only=True,  # only the training data shows continuous targets
            message="a regression: use a linear output",
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
model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="linear")])
model.compile(optimizer="adam", loss="mse")
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
        why = _regression(spec)
        if why:
            fix = self.make_fix("use a linear output for the regression target", head.set_activation("linear"))
            message = (f"{head.describe()}: softmax over one unit is always 1.0, so the model outputs 1.0 for "
                       f"every input and receives no gradient. {why} make this a regression: use a linear "
                       "output (activation='linear'), not sigmoid.")
            yield self.finding(message, at=head.act_layer, fixes=[fix])
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


def _regression(spec: ModelSpec) -> str | None:
    """Why the model is a regression (its loss, or continuous targets), or None."""
    loss = regression_loss(spec.compile.loss) if spec.compile is not None else None
    if loss is not None:
        return f"The {loss} loss and the single output"
    data = spec.data
    if data is not None and data.label_kind == "continuous":
        return "Continuous training targets and the single output"
    return None
