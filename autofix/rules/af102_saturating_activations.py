"""AF102 saturating-activations."""

from __future__ import annotations

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..keras_vocab import SATURATING, WEIGHTED_WITH_ACTIVATION, layer_activation
from ..spec import ModelSpec
from ._head import Head
from .base import Example, Rule

#: Layers that keep activations in range, so a saturating stack still trains.
_RESCUERS = frozenset({"BatchNormalization", "LayerNormalization", "GroupNormalization", "Add"})
MIN_SATURATING = 4


class SaturatingActivations(Rule):
    """Deep plain stacks of sigmoid/tanh hidden layers.

    ## What it does
    Finds models with four or more hidden Dense/Conv layers using sigmoid,
    tanh, hard_sigmoid or softsign, and no normalization or residual
    connection anywhere in the model.

    ## Why is this bad?
    The derivative of sigmoid is at most 0.25; through several such layers
    the gradient reaching the first layers vanishes, so they barely train and
    the model looks stuck at chance accuracy for many epochs.

    ## Example
    Five ``Dense(64, activation='sigmoid')`` hidden layers in a row.

    ## Fix safety
    Unsafe: switching hidden activations to relu changes training dynamics
    (weights keep their shapes).

    ## Keras versions
    All.

    ## References
    Glorot & Bengio (2010), "Understanding the difficulty of training deep
    feedforward neural networks".
    """

    code = "AF102"
    name = "saturating-activations"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="sigmoid"),
    layers.Dense(64, activation="sigmoid"),
    layers.Dense(64, activation="sigmoid"),
    layers.Dense(64, activation="sigmoid"),
    layers.Dense(1, activation="sigmoid"),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
""",
            message="hidden layers use sigmoid with no normalization or",
            line=3,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="tanh"),
    layers.Dense(64, activation="tanh"),
    layers.Dense(1, activation="sigmoid"),
])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        if any(layer.class_name in _RESCUERS for layer in spec.layers):
            return
        head = Head.of(spec)
        head_name = head.dense.qualname if head else None
        hidden = [
            layer for layer in spec.layers
            if layer.class_name in WEIGHTED_WITH_ACTIVATION
            and layer.qualname != head_name
            and layer_activation(layer) in SATURATING
        ]
        if len(hidden) < MIN_SATURATING:
            return
        acts = sorted({layer_activation(layer) for layer in hidden})
        message = (
            f"{len(hidden)} hidden layers use {'/'.join(acts)} with no normalization or "
            "residual connection: their gradients (at most 0.25 per sigmoid layer) vanish "
            "before reaching the first layers, which then barely train. Use relu in hidden "
            "layers (or add BatchNormalization)."
        )
        fix = self.make_fix(
            "use relu in the hidden layers",
            *(SetLayerArg(layer.qualname, "activation", "relu") for layer in hidden),
        )
        yield self.finding(message, at=hidden[0], fixes=[fix], layers=[lay.qualname for lay in hidden])
