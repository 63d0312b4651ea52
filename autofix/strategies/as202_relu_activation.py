"""AS202 relu-activation."""

from __future__ import annotations

from ..edits import Edit, SetLayerArg
from ..spec import ModelSpec
from .base import Strategy, hidden_layers, next_activation, saturating


class ReluActivation(Strategy):
    """Use ReLU in the hidden layers (LeakyReLU when ReLU units die).

    ## What it does
    Sets ``activation="relu"`` on hidden Dense/Conv layers (or their
    ``Activation`` layer) that use a saturating activation (sigmoid, tanh,
    hard_sigmoid, softsign).  When the probe shows dead ReLU units, sets
    ``activation="leaky_relu"`` on the hidden ReLU layers instead.  The output
    layer is never changed.

    ## When it helps
    Vanishing gradients through saturating stacks; units that never fire
    again (LeakyReLU keeps a small gradient below zero).

    ## Edits
    ``SetLayerArg(layer, "activation", "relu" | "leaky_relu")`` per layer.
    """

    code = "AS202"
    name = "relu-activation"
    title = "use ReLU in the hidden layers (LeakyReLU for dead units)"

    def edits(self, spec: ModelSpec) -> list[Edit]:
        dead = bool(getattr(spec.probe, "dead", None)) and max(spec.probe.dead.values(), default=0.0) > 0.5
        out: list[Edit] = []
        for layer in hidden_layers(spec):
            act, holder = next_activation(spec, layer)
            target = holder or layer
            if saturating(act):
                out.append(SetLayerArg(target.qualname, "activation", "relu"))
            elif dead and act == "relu" and target.class_name != "ReLU":
                out.append(SetLayerArg(target.qualname, "activation", "leaky_relu"))
        return out
