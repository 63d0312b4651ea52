"""AF205 from-logits-on-probabilities."""

from __future__ import annotations

from ..edits import SetLoss
from ..findings import Applicability, Severity
from ..keras_vocab import CROSSENTROPY_LOSSES, PROBABILITY_HEADS, loss_from_logits, loss_name
from ..spec import ModelSpec
from ._head import Head
from .base import Example, Rule


class FromLogitsOnProbabilities(Rule):
    """``from_logits=True`` on a loss whose model already outputs probabilities.

    ## What it does
    Finds a softmax or sigmoid output head compiled with a crossentropy loss
    that has ``from_logits=True``.

    ## Why is this bad?
    The loss applies softmax/sigmoid a second time. Probabilities in [0, 1]
    squashed again give nearly uniform outputs and tiny gradients, so training
    is slow and stalls early.

    ## Example
    ``Dense(10, activation='softmax')`` with
    ``SparseCategoricalCrossentropy(from_logits=True)``.

    ## Fix safety
    Safe: ``from_logits`` is set to False; the model is unchanged.

    ## Keras versions
    All.

    ## References
    Keras losses documentation (``from_logits``).
    """

    code = "AF205"
    name = "from-logits-on-probabilities"
    severity = Severity.ERROR
    applicability = Applicability.SAFE
    requires = ("compile",)

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((20,)), layers.Dense(5, activation="softmax")])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
""",
            fixed="""
model = keras.Sequential([keras.Input((20,)), layers.Dense(5, activation="softmax")])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False))
""",
            message="the loss applies softmax a second time, flattening",
            line=2,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((20,)), layers.Dense(5)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        loss = loss_name(spec.compile.loss)
        if head is None or head.activation not in PROBABILITY_HEADS or loss not in CROSSENTROPY_LOSSES:
            return
        if loss_from_logits(spec.compile.loss) is not True:
            return
        message = (
            f"{head.describe()} activation but the loss {loss} has from_logits=True: the "
            f"loss applies {head.activation} a second time, flattening outputs and gradients. "
            "Set from_logits=False (or drop the activation from the output layer)."
        )
        fix = self.make_fix("set from_logits=False", SetLoss(loss, (("from_logits", False),)))
        yield self.finding(message, at=spec.compile.loss_origin or head.act_layer, fixes=[fix],
                           layers=[head.act_layer.qualname])
