"""AF106 oversized-random-initializer."""

from __future__ import annotations

import math

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import is_known
from ._init import describe_layer, effective_activation, fan_in, initializer, kernel_layers, random_init_for
from .base import Example, Rule

#: How many times He's standard deviation counts as far too large.
FACTOR = 10.0
#: With the fan-in unknown: the spread that is over He's for any fan-in above 2.
UNKNOWN_FAN_IN_STD = 1.0


class OversizedRandomInitializer(Rule):
    """A random kernel initializer whose spread dwarfs Glorot/He for the layer.

    ## What it does
    Finds Dense/Conv layers whose ``kernel_initializer`` is ``RandomNormal``,
    ``TruncatedNormal`` or ``RandomUniform`` with a standard deviation at least
    10x He's ``sqrt(2 / fan_in)``, where the fan-in is read from the previous
    layer's units/filters or the input shape (times the kernel size for
    convolutions). When the fan-in is not visible, a standard deviation of 1.0
    or more is reported (over He's for any fan-in above 2, and 10x it from a
    fan-in of 200).

    ## Why is this bad?
    Each layer multiplies the variance of its input by about
    ``fan_in * stddev**2``; Glorot/He choose ``stddev`` so that product stays
    near 1. Ten times He's spread multiplies the variance by 50 per layer:
    activations and gradients explode within a few layers, softmax/sigmoid
    units saturate from the first step, and the loss is NaN or stuck.

    ## Example
    ``Dense(128, activation='relu',
    kernel_initializer=RandomNormal(stddev=1.0))`` on 784 inputs (He's
    stddev is 0.05).

    ## Fix safety
    Unsafe: the kernel initializer becomes ``he_normal`` for ReLU-family
    activations, ``lecun_normal`` for selu and ``glorot_uniform`` otherwise.
    Shapes are unchanged; training starts from different weights.

    ## Keras versions
    All.

    ## References
    Humbatova et al. (ICSE 2020), "Taxonomy of Real Faults in Deep Learning
    Systems": *wrong weights initialisation*; AUTOTRAINER (ICSE 2021)
    *exploding gradient* and *improper initialization*; DeepFD (ICSE 2022);
    He et al. (2015), "Delving Deep into Rectifiers".
    """

    code = "AF106"
    name = "oversized-random-initializer"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(128, activation="relu", kernel_initializer=keras.initializers.RandomNormal(stddev=1.0)),
    layers.Dense(10, activation="softmax"),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(128, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(10, activation="softmax"),
])
""",
            message="stddev 1 is 20x He's sqrt(2/784) = 0.0505",
            line=3,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((32, 32, 3)))
model.add(layers.Conv2D(128, 3, activation="relu"))
model.add(layers.Conv2D(64, 3, activation="relu", kernel_initializer=keras.initializers.RandomUniform(-1.0, 1.0)))
model.add(layers.GlobalAveragePooling2D())
model.add(layers.Dense(10, activation="softmax"))
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((32, 32, 3)))
model.add(layers.Conv2D(128, 3, activation="relu"))
model.add(layers.Conv2D(64, 3, activation="relu", kernel_initializer="he_normal"))
model.add(layers.GlobalAveragePooling2D())
model.add(layers.Dense(10, activation="softmax"))
""",
            message="for its fan-in 1152",
            line=4,
        ),
        Example(
            """
inputs = keras.Input((100,))
x = layers.Dense(64, activation="tanh")(inputs)
outputs = layers.Dense(5, activation="softmax", kernel_initializer=keras.initializers.TruncatedNormal(stddev=5.0))(x)
model = keras.Model(inputs, outputs)
""",
            fixed="""
inputs = keras.Input((100,))
x = layers.Dense(64, activation="tanh")(inputs)
outputs = layers.Dense(5, activation="softmax", kernel_initializer="glorot_uniform")(x)
model = keras.Model(inputs, outputs)
""",
            message="Dense layer 'dense_1' initializes its kernel with TruncatedNormal(mean=0.0, stddev=5.0)",
            line=3,
        ),
        # No input shape: the fan-in is not visible, stddev=2.0 is reported anyway.
        Example(
            """
def build():
    model = keras.Sequential()
    model.add(layers.Dense(32, activation="relu", kernel_initializer=keras.initializers.RandomNormal(0.0, 2.0)))
    model.add(layers.Dense(1))
    return model


model = build()
""",
            fixed="""
def build():
    model = keras.Sequential()
    model.add(layers.Dense(32, activation="relu", kernel_initializer="he_normal"))
    model.add(layers.Dense(1))
    return model


model = build()
""",
            message="the fan-in is not visible",
            line=3,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(128, activation="relu", kernel_initializer=keras.initializers.RandomNormal(stddev=0.01)),
    layers.Dense(10, activation="softmax", kernel_initializer="he_normal"),
])
"""
        ),
        # stddev 0.5 on 8 inputs is 1.4x He's 0.35: large-ish, not far too large.
        Example(
            """
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(16, activation="relu", kernel_initializer=keras.initializers.RandomNormal(stddev=0.5)),
    layers.Dense(1, activation="sigmoid", kernel_initializer="random_normal"),
])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        for layer, arg in kernel_layers(spec):
            init = initializer(layer.config[arg])
            if init is None or init.constant is not None:
                continue
            std = init.std
            if not is_known(std) or std <= 0:
                continue
            fans = fan_in(spec, layer) if arg == "kernel_initializer" else None
            activation = effective_activation(spec, layer)
            target = random_init_for(activation if is_known(activation) else None)
            spread = f"stddev {std:.3g}"
            if isinstance(fans, int) and fans > 0:
                he = math.sqrt(2.0 / fans)
                if std < FACTOR * he:
                    continue
                why = (f"{spread} is {std / he:.0f}x He's sqrt(2/{fans}) = {he:.3g} for its fan-in {fans}, "
                       f"so each layer multiplies the activation variance by about {fans * std ** 2:.3g}")
            else:
                if std < UNKNOWN_FAN_IN_STD:
                    continue
                why = (f"{spread} is above He's sqrt(2/fan_in) for any fan-in above 2 and 10x it from a "
                       f"fan-in of 200 (the fan-in is not visible here), so activations grow by about "
                       f"fan_in * {std ** 2:.3g} per layer")
            message = (
                f"{describe_layer(layer)} initializes its kernel with {init.render()} ({arg}): {why}; "
                "activations and gradients explode and saturating outputs start saturated. Expected a "
                f"spread scaled to the fan-in (Glorot/He); set {arg}='{target}'."
            )
            fix = self.make_fix(f"use {arg}='{target}'", SetLayerArg(layer.qualname, arg, target))
            yield self.finding(message, at=layer, fixes=[fix])
