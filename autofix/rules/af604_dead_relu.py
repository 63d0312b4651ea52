"""AF604 dead-relu (training probe)."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._probe import DATA, layer_origin
from .base import Example, Rule

#: Share of never-firing ReLU units that counts as dead.
DEAD = 0.5


class DeadRelu(Rule):
    """Most units of a ReLU layer output zero for every input of a probe batch.

    ## What it does
    Reads the training probe (``diagnose(model, x, y, probe=True)``): after the
    probe steps, the share of units of each ReLU layer that output 0 for every
    row of a probe batch. More than half dead is reported, per layer.

    ## Why is this bad?
    A unit that never fires passes no gradient, so it never recovers: the layer
    is effectively narrower, or cut off entirely. Causes: a learning rate that
    pushed the biases far negative, unnormalised inputs, a bad initialiser.

    ## Example
    ``Dense(16, activation="relu", bias_initializer=Constant(-100))``: every
    pre-activation is negative, all 16 units are dead from the start.

    ## Fix safety
    No automatic fix: lower the learning rate, normalise the inputs, or use
    ``LeakyReLU`` / He initialisation, then check again.

    ## Keras versions
    All.

    ## References
    Lu et al., "Dying ReLU and Initialization" (2019).
    """

    code = "AF604"
    name = "dead-relu"
    severity = Severity.WARNING
    applicability = Applicability.DISPLAY_ONLY
    requires = ("probe",)

    INVALID = [
        Example(
            DATA + """
model = keras.Sequential([keras.Input((4,)),
                          layers.Dense(16, activation="relu", bias_initializer=keras.initializers.Constant(-100.0)),
                          layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, batch_size=32)
""",
            graph_only=True,
            message="never fire on a probe batch: they pass",
        ),
    ]
    VALID = [
        Example(
            DATA + """
model = keras.Sequential([keras.Input((4,)), layers.Dense(16, activation="relu"),
                          layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, batch_size=32)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        for layer, share in spec.probe.dead.items():
            if share > DEAD:
                yield self.finding(
                    f"{share:.0%} of the ReLU units of layer '{layer}' never fire on a probe batch: they "
                    "pass no gradient and stop learning. Lower the learning rate, normalise the inputs, "
                    "or use LeakyReLU / He initialisation.", at=layer_origin(layer), layers=(layer,))
