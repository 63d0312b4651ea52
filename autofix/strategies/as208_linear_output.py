"""AS208 linear-output."""

from __future__ import annotations

from ..edits import Edit
from ..rules._head import Head
from ..rules._regression import ACTIVATION_RANGES, regression_loss
from ..spec import ModelSpec
from .base import Strategy


class LinearOutput(Strategy):
    """Make a regression's bounded or one-sided output activation linear.

    ## What it does
    Sets the output head's activation to ``linear`` when the model is
    compiled with a regression loss (mse, mae, Huber, log-cosh...) and the
    head's activation is bounded or one-sided (ReLU, ReLU6, softplus,
    sigmoid, tanh...): the edit rule AF406 makes when the targets or the
    code show the fault.

    ## When it helps
    A regression that does not learn because its output unit cannot follow
    the targets: a ReLU output that died (the probe shows every output unit
    at 0, the loss stays flat), or a squashing output saturated by targets
    the data facts do not show.

    ## Edits
    ``SetLayerArg(head, "activation", "linear")``.
    """

    code = "AS208"
    name = "linear-output"
    title = "use a linear output activation"

    def edits(self, spec: ModelSpec) -> list[Edit]:
        head = Head.of(spec)
        if spec.compile is None or head is None or regression_loss(spec.compile.loss) is None:
            return []
        if head.activation not in ACTIVATION_RANGES:
            return []
        return [head.set_activation("linear")]
