"""AF107 large-bias-initializer."""

from __future__ import annotations

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..keras_vocab import SATURATING, WEIGHTED_WITH_ACTIVATION
from ..spec import ModelSpec
from ..values import is_known
from ._init import HARD_ZERO, describe_layer, effective_activation, initializer, is_hidden
from .base import Example, Rule

#: A constant bias at or below this kills most relu units at initialization.
DEAD_RELU_BIAS = -1.0
#: A constant bias of at least this size saturates sigmoid/tanh hidden units.
SATURATING_BIAS = 3.0


class LargeBiasInitializer(Rule):
    """A constant bias that starts relu units dead or sigmoid/tanh units saturated.

    ## What it does
    Finds Dense/Conv layers whose ``bias_initializer`` is a constant (``ones``
    or ``Constant(v)``, as a string, object or serialized config) that is
    ``v <= -1`` on a relu/relu6 layer (its own activation, or a ReLU layer
    right after it), or ``|v| >= 3`` on a hidden sigmoid/tanh/hard_sigmoid/
    softsign layer.

    ## Why is this bad?
    With Keras's default kernel initializers and standardized inputs, the
    kernel's contribution ``w.x`` to a unit's pre-activation is about +-1. A
    bias of -1 or less shifts most pre-activations below zero, where relu
    outputs 0 and passes no gradient: most units start dead and many never
    recover. A bias of +-3 or more puts sigmoid/tanh in their flat tails
    (``tanh'(3) = 0.01``), so hidden units start saturated and barely learn.

    ## Example
    ``Dense(64, activation='relu', bias_initializer=Constant(-2.0))``.

    ## Fix safety
    Unsafe: the bias initializer becomes ``zeros`` (Keras's default). Shapes
    are unchanged, training starts from different biases. Output layers are
    left alone: a constant output bias set to the log-odds of an imbalanced
    label (``Constant(log(pos / neg))``) or to the mean of a regression
    target is a deliberate, recommended initialization.

    ## Keras versions
    All.

    ## References
    Humbatova et al. (ICSE 2020), "Taxonomy of Real Faults in Deep Learning
    Systems": *wrong weights initialisation*; AUTOTRAINER (ICSE 2021) *dying
    ReLU* and *improper initialization*; DeepFD (ICSE 2022).
    """

    code = "AF107"
    name = "large-bias-initializer"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu", bias_initializer=keras.initializers.Constant(-2.0)),
    layers.Dense(10, activation="softmax"),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu", bias_initializer="zeros"),
    layers.Dense(10, activation="softmax"),
])
""",
            message="Dense layer 'dense' initializes its bias with Constant(value=-2.0)",
            line=3,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((28, 28, 1)))
model.add(layers.Conv2D(32, 3, bias_initializer=keras.initializers.Constant(-1.0)))
model.add(layers.Activation("relu"))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax"))
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((28, 28, 1)))
model.add(layers.Conv2D(32, 3, bias_initializer="zeros"))
model.add(layers.Activation("relu"))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax"))
""",
            message="most units start dead",
            line=3,
        ),
        Example(
            """
inputs = keras.Input((16,))
x = layers.Dense(32, activation="tanh", bias_initializer=keras.initializers.Constant(4.0))(inputs)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
""",
            fixed="""
inputs = keras.Input((16,))
x = layers.Dense(32, activation="tanh", bias_initializer="zeros")(inputs)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
""",
            message="tanh units start saturated",
            line=2,
        ),
        Example(
            """
def build():
    model = keras.Sequential()
    model.add(keras.Input((4,)))
    model.add(layers.Dense(16, activation="relu",
                           bias_initializer={"class_name": "Constant", "config": {"value": -3.0}}))
    model.add(layers.Dense(3, activation="softmax"))
    return model


model = build()
""",
            fixed="""
def build():
    model = keras.Sequential()
    model.add(keras.Input((4,)))
    model.add(layers.Dense(16, activation="relu",
                           bias_initializer="zeros"))
    model.add(layers.Dense(3, activation="softmax"))
    return model


model = build()
""",
            message="Expected a bias near zero",
            line=4,
        ),
    ]
    VALID = [
        # The log-odds output bias of an imbalanced binary problem (TensorFlow's tutorial).
        Example(
            """
model = keras.Sequential([
    keras.Input((30,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="sigmoid", bias_initializer=keras.initializers.Constant(-6.35)),
])
"""
        ),
        # A small positive relu bias (keeps units active) and a regression output at the target mean.
        Example(
            """
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(32, activation="relu", bias_initializer=keras.initializers.Constant(0.1)),
    layers.Dense(1, bias_initializer=keras.initializers.Constant(250.0)),
])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        for layer in spec.layers:
            if layer.class_name not in WEIGHTED_WITH_ACTIVATION or "bias_initializer" not in layer.config:
                continue
            if layer.config.get("use_bias", True) is not True:
                continue
            init = initializer(layer.config["bias_initializer"])
            value = init.constant if init is not None else None
            if value is None or not is_known(value):
                continue
            activation = effective_activation(spec, layer)
            if activation in HARD_ZERO and value <= DEAD_RELU_BIAS:
                why = (
                    f"every pre-activation starts shifted by {value:g} while the kernel's contribution "
                    f"w.x is about +-1 for standardized inputs, so {activation} outputs 0 and passes no "
                    "gradient for most inputs: most units start dead"
                )
            elif activation in SATURATING and abs(value) >= SATURATING_BIAS and is_hidden(spec, layer):
                why = (
                    f"every pre-activation starts shifted by {value:g}, into the flat tail of {activation} "
                    f"(slope below 0.05 beyond +-3), so the {activation} units start saturated and their "
                    "gradients vanish"
                )
            else:
                continue
            message = (
                f"{describe_layer(layer)} initializes its bias with {init.render()} (bias_initializer): "
                f"{why}. Expected a bias near zero; set bias_initializer='zeros'."
            )
            fix = self.make_fix("use bias_initializer='zeros'", SetLayerArg(layer.qualname, "bias_initializer", "zeros"))
            yield self.finding(message, at=layer, fixes=[fix])
