"""AF203 sigmoid-categorical-crossentropy."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..keras_vocab import CATEGORICAL_LOSSES, loss_name
from ..spec import ModelSpec
from ._head import Head
from .base import Example, Rule


class SigmoidCategoricalCrossentropy(Rule):
    """A multi-unit sigmoid head trained with a categorical crossentropy.

    ## What it does
    Finds a sigmoid output with two or more units compiled with
    ``categorical_crossentropy`` or ``sparse_categorical_crossentropy``.

    ## Why is this bad?
    Categorical crossentropy expects a probability distribution over classes.
    Independent sigmoids do not sum to 1: the loss rewards pushing *every*
    unit towards 1, so the predicted class stops tracking the label.

    ## Example
    ``Dense(3, activation='sigmoid')`` with ``loss='categorical_crossentropy'``.

    ## Fix safety
    Safe: the head activation becomes softmax, parameter shapes unchanged.
    (For a multi-label task, keep sigmoid and use binary_crossentropy instead.)

    ## Keras versions
    All.

    ## References
    Keras losses documentation.
    """

    code = "AF203"
    name = "sigmoid-categorical-crossentropy"
    severity = Severity.ERROR
    applicability = Applicability.SAFE
    requires = ("compile",)

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((12,)), layers.Dense(3, activation="sigmoid")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
""",
            fixed="""
model = keras.Sequential([keras.Input((12,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
""",
            message="independent sigmoids do not form a distribution over",
            line=1,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((12,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        loss = loss_name(spec.compile.loss)
        sparse = loss == "sparse_categorical_crossentropy"
        if head is None or head.activation != "sigmoid" or head.units < 2:
            return
        if loss not in CATEGORICAL_LOSSES and not sparse:
            return
        message = (
            f"{head.describe()} but is trained with {loss}: independent sigmoids do not form a "
            "distribution over classes, so the loss pushes every unit towards 1. Use softmax "
            "for single-label classes (or binary_crossentropy for multi-label outputs)."
        )
        fix = self.make_fix("use softmax on the output", head.set_activation("softmax"))
        yield self.finding(message, at=head.act_layer, fixes=[fix])
