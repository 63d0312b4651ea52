"""AF204 logits-without-from-logits."""

from __future__ import annotations

from ..edits import SetLoss
from ..findings import Applicability, Severity
from ..keras_vocab import CROSSENTROPY_LOSSES, loss_from_logits, loss_name
from ..spec import ModelSpec
from ._head import Head
from .base import Example, Rule


class LogitsWithoutFromLogits(Rule):
    """A linear or ReLU output head with a crossentropy loss that expects probabilities.

    ## What it does
    Finds an output head whose activation is linear or relu while the loss is
    a crossentropy without ``from_logits=True``.

    ## Why is this bad?
    Crossentropy losses assume their input is a probability unless told
    otherwise. Keras clips raw scores into ``[eps, 1 - eps]``, so every
    score above 1 or below 0 gets a zero gradient and the model stalls,
    often predicting one class for all inputs. A ReLU head is worse: half its
    range is a constant 0.

    ## Example
    ``Dense(10)`` with ``loss='sparse_categorical_crossentropy'``.

    ## Fix safety
    Safe: the head gets the probability activation that matches the loss
    (softmax, or sigmoid for binary losses); parameter shapes are unchanged.
    For a linear head the alternative keeps logits and sets
    ``from_logits=True`` on the loss.

    ## Keras versions
    All.

    ## References
    Keras losses documentation (``from_logits``); seed report 003 (relu heads).
    """

    code = "AF204"
    name = "logits-without-from-logits"
    severity = Severity.ERROR
    applicability = Applicability.SAFE
    requires = ("compile",)

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((20,)), layers.Dense(16, activation="relu"), layers.Dense(4)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
""",
            fixed="""
model = keras.Sequential([keras.Input((20,)), layers.Dense(16, activation="relu"), layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
""",
            message="are clipped and get no gradient. Use softmax",
            line=1,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((20,)), layers.Dense(1, activation="relu")])
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
            fixed="""
model = keras.Sequential([keras.Input((20,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
            message="are clipped and get no gradient. Use sigmoid",
            line=1,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((20,)), layers.Dense(4)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((20,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        loss = loss_name(spec.compile.loss)
        if head is None or head.activation not in ("linear", "relu") or loss not in CROSSENTROPY_LOSSES:
            return
        if loss_from_logits(spec.compile.loss) is not False:
            return
        prob = "sigmoid" if loss.startswith("binary") else "softmax"
        if prob == "softmax" and head.units == 1:
            return  # single-unit categorical: AF201's territory, nothing sensible here
        fixes = [self.make_fix(f"use {prob} on the output", head.set_activation(prob))]
        if head.activation == "linear":
            fixes.append(
                self.make_fix(
                    f"keep logits and use {loss}(from_logits=True)",
                    SetLoss(loss, (("from_logits", True),)),
                )
            )
        message = (
            f"{head.describe()} activation but the loss {loss} expects probabilities "
            "(from_logits=False): scores outside [0, 1] are clipped and get no gradient. Use "
            f"{prob} on the output" + (", or from_logits=True on the loss." if head.activation == "linear" else ".")
        )
        yield self.finding(message, at=head.act_layer, fixes=fixes)
