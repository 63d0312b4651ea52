"""AF605 gradient-scale (training probe)."""

from __future__ import annotations

import math

from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._probe import DATA, layer_origin
from .base import Example, Rule

#: Kernel gradient norms out of this range are vanishing / exploding.
VANISH, EXPLODE = 1e-6, 1e3


def gradient_kind(norm: float, largest: float) -> str | None:
    """``"exploding"``, ``"vanishing"`` (tiny next to the largest layer's) or None."""
    if not math.isfinite(norm) or norm > EXPLODE:
        return "exploding"
    if norm < VANISH and largest > 1e3 * max(norm, 1e-30):
        return "vanishing"
    return None


class GradientScale(Rule):
    """A layer's kernel gradient is vanishing or exploding on a probe batch.

    ## What it does
    Reads the training probe (``diagnose(model, x, y, probe=True)``): the norm
    of each weighted layer's kernel gradient on a probe batch (measured as the
    change one SGD step with learning rate 1 makes on a copy). A norm above
    1e3 (or not finite) is exploding; one below 1e-6 while another layer's is
    1000x larger is vanishing.

    ## Why is this bad?
    Exploding gradients throw the weights around (loss spikes, NaN); vanishing
    ones leave the early layers untrained, so depth buys nothing.

    ## Example
    Inputs of scale 1000 into ``Dense(1)`` with a mean-squared-error loss: the
    kernel gradient is about a million.

    ## Fix safety
    No automatic fix: normalise the inputs, check activations (saturating
    sigmoid/tanh stacks), lower the learning rate or clip gradients
    (``clipnorm``); BatchNormalization or residual links help deep stacks.

    ## Keras versions
    All.

    ## References
    Glorot and Bengio, "Understanding the difficulty of training deep
    feedforward neural networks" (2010).
    """

    code = "AF605"
    name = "gradient-scale"
    severity = Severity.WARNING
    applicability = Applicability.DISPLAY_ONLY
    requires = ("probe",)

    INVALID = [
        Example(
            """
rng = np.random.default_rng(0)
x = (1000.0 * rng.normal(size=(256, 4))).astype("float32")
y = x.sum(axis=1, keepdims=True)
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, batch_size=32)
""",
            graph_only=True,
            message="its weights will not train well. Check activations",
        ),
    ]
    VALID = [
        Example(
            DATA + """
model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, batch_size=32)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        norms = spec.probe.grad_norms
        largest = max(norms.values(), default=0.0)
        for layer, norm in norms.items():
            kind = gradient_kind(norm, largest)
            if kind:
                yield self.finding(
                    f"The kernel gradient of layer '{layer}' has norm {norm:.3g} on a probe batch ({kind}): "
                    "its weights will not train well. Check activations (saturating sigmoid/tanh stacks), "
                    "input scale and the learning rate; BatchNormalization or residual links help.",
                    at=layer_origin(layer), layers=(layer,))
