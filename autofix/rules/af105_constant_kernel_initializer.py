"""AF105 constant-kernel-initializer."""

from __future__ import annotations

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..keras_vocab import units_of
from ..spec import ModelSpec
from ..values import is_known
from ._init import (HARD_ZERO, describe_layer, effective_activation, fan_in, initializer, is_hidden,
                    kernel_layers, random_init_for)
from .base import Example, Rule


class ConstantKernelInitializer(Rule):
    """A hidden layer whose kernel starts at one constant value.

    ## What it does
    Finds hidden Dense/Conv layers (layers whose output feeds another
    weighted layer) whose ``kernel_initializer`` is ``zeros``, ``ones`` or
    ``Constant(v)`` -- as a string, an initializer object or a serialized
    config -- or a random initializer with zero spread; and output layers
    whose kernel is a non-zero constant ``c`` with ``|c| x fan-in >= 4``.

    ## Why is this bad?
    Every unit of the layer starts with the same weights, so all units
    compute the same value for every input: the layer starts as one unit
    repeated N times, and only noise from later layers can make the copies
    differ (when the next layer is constant-initialized too, they stay
    copies forever). With relu, an all-zero kernel is worse: every
    pre-activation is 0, relu's gradient at 0 is 0, and the layer and every
    layer before it never receive a gradient.

    ## Example
    ``Dense(64, activation='relu', kernel_initializer='zeros')`` followed by
    ``Dense(10, activation='softmax')``.

    ## Fix safety
    Unsafe: the kernel initializer becomes ``he_normal`` for ReLU-family
    activations (also when a ReLU layer follows through normalization),
    ``lecun_normal`` for selu, and Keras's default ``glorot_uniform``
    otherwise. Shapes are unchanged but training starts from different
    weights. A zero-initialized output layer (as in logistic regression or
    zero-init heads) is left alone: it trains normally, because its units
    receive different error signals. A non-zero constant output kernel is
    not: each logit starts at ``c`` times the sum of the layer's inputs
    (32 sigmoid features and ``ones`` give a logit near 16), so the head
    starts saturated and the clipped loss gives it almost no gradient.

    ## Keras versions
    All.

    ## References
    Humbatova et al. (ICSE 2020), "Taxonomy of Real Faults in Deep Learning
    Systems": *wrong weights initialisation*; DeepCrime (ISSTA 2021) mutation
    *change weights initialisation*; AUTOTRAINER (ICSE 2021) *improper
    initialization*; Goodfellow et al., *Deep Learning* (2016), section 8.4
    (breaking symmetry).
    """

    code = "AF105"
    verify_goal = "no_worse"  # a constant kernel keeps the layer's units identical: shown without training
    name = "constant-kernel-initializer"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu", kernel_initializer="zeros"),
    layers.Dense(10, activation="softmax"),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(10, activation="softmax"),
])
""",
            message="Dense layer 'dense' initializes its kernel with Zeros()",
            line=3,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((8,)))
model.add(layers.Dense(16, activation="tanh", kernel_initializer=keras.initializers.Ones()))
model.add(layers.Dense(1, activation="sigmoid"))
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((8,)))
model.add(layers.Dense(16, activation="tanh", kernel_initializer="glorot_uniform"))
model.add(layers.Dense(1, activation="sigmoid"))
""",
            message="all 16 units start with identical weights",
            line=3,
        ),
        Example(
            """
inputs = keras.Input((28, 28, 1))
x = layers.Conv2D(32, 3, kernel_initializer=keras.initializers.Constant(0.1))(inputs)
x = layers.BatchNormalization()(x)
x = layers.ReLU()(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""",
            fixed="""
inputs = keras.Input((28, 28, 1))
x = layers.Conv2D(32, 3, kernel_initializer="he_normal")(inputs)
x = layers.BatchNormalization()(x)
x = layers.ReLU()(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""",
            message="Conv2D layer 'conv2d' initializes its kernel with Constant(value=0.1)",
            line=2,
        ),
        Example(
            """
def build():
    model = keras.Sequential()
    model.add(keras.Input((4,)))
    model.add(layers.Dense(8, activation="relu", kernel_initializer=keras.initializers.Zeros()))
    model.add(layers.Dense(8, activation="relu"))
    model.add(layers.Dense(3, activation="softmax"))
    return model


model = build()
""",
            fixed="""
def build():
    model = keras.Sequential()
    model.add(keras.Input((4,)))
    model.add(layers.Dense(8, activation="relu", kernel_initializer="he_normal"))
    model.add(layers.Dense(8, activation="relu"))
    model.add(layers.Dense(3, activation="softmax"))
    return model


model = build()
""",
            message="zero activations and zero gradients",
            line=4,
        ),
        Example(
            """
HEAD = dict(activation="sigmoid", kernel_initializer="ones")


def build_model(sizes=(32, 32)):
    model = keras.Sequential([keras.Input(shape=(6,))])
    for units in sizes:
        model.add(layers.Dense(units, activation="sigmoid"))
    model.add(layers.Dense(1, **HEAD))
    return model


model = build_model()
""",
            fixed="""
HEAD = dict(activation="sigmoid", kernel_initializer="ones")


def build_model(sizes=(32, 32)):
    model = keras.Sequential([keras.Input(shape=(6,))])
    for units in sizes:
        model.add(layers.Dense(units, activation="sigmoid"))
    model.add(layers.Dense(1, **dict(HEAD, kernel_initializer="glorot_uniform")))
    return model


model = build_model()
""",
            message="each output starts at 1 times the sum of its 32 inputs",
            line=8,
        ),
        Example(
            """
inputs = keras.Input((16,))
x = layers.Dense(64, activation="relu")(inputs)
outputs = layers.Dense(3, activation="softmax", kernel_initializer=keras.initializers.Constant(0.5))(x)
model = keras.Model(inputs, outputs)
""",
            fixed="""
inputs = keras.Input((16,))
x = layers.Dense(64, activation="relu")(inputs)
outputs = layers.Dense(3, activation="softmax", kernel_initializer="glorot_uniform")(x)
model = keras.Model(inputs, outputs)
""",
            message="an output layer that initializes its kernel with Constant(value=0.5)",
            line=3,
        ),
    ]
    VALID = [
        # A zero-initialized output layer trains: its units get different error signals.
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(10, activation="softmax", kernel_initializer="zeros"),
])
"""
        ),
        # A small constant output kernel keeps the logits near zero (0.01 x 64 inputs).
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="sigmoid", kernel_initializer=keras.initializers.Constant(0.01)),
])
"""
        ),
        # Random initializers and constant *biases* are fine.
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu", kernel_initializer=keras.initializers.RandomNormal(stddev=0.01),
                 bias_initializer="ones"),
    layers.Dense(1, activation="sigmoid"),
])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        for layer, arg in kernel_layers(spec):
            init = initializer(layer.config[arg])
            if init is None or init.constant is None or not is_known(init.constant):
                continue
            if not is_hidden(spec, layer):
                yield from self._check_output(spec, layer, arg, init)
                continue
            activation = effective_activation(spec, layer)
            units = units_of(layer)
            count = f"all {units} units" if isinstance(units, int) else "all units"
            copies = f"one unit repeated {units} times" if isinstance(units, int) else "one unit repeated"
            dead = (init.constant == 0 and activation in HARD_ZERO
                    and _bias_not_positive(layer.config.get("bias_initializer", "zeros"),
                                           layer.config.get("use_bias", True)))
            target = random_init_for(activation if is_known(activation) else None)
            message = (
                f"{describe_layer(layer)} initializes its kernel with {init.render()} ({arg}): "
                f"{count} start with identical weights and compute the same value for every input, "
                f"so the layer starts as {copies} and only later layers' weights can tell the copies apart."
            )
            if dead:
                message += (
                    f" With {activation}, zero weights give zero activations and zero gradients, so this "
                    "layer and the layers before it never train."
                )
            message += (
                f" Expected a random initializer that breaks the symmetry between units; "
                f"set {arg}='{target}'."
            )
            fix = self.make_fix(f"use {arg}='{target}'", SetLayerArg(layer.qualname, arg, target))
            yield self.finding(message, at=layer, fixes=[fix],
                               severity=Severity.ERROR if dead else None)


    def _check_output(self, spec: ModelSpec, layer, arg: str, init):
        """An output kernel of one non-zero constant ``c``: every logit starts at ``c`` times the sum of the
        layer's inputs. Over a wide fan-in that sum is large (sigmoid/ReLU features are positive), so a
        bounded head starts saturated, where the clipped loss gives no gradient."""
        fans = fan_in(spec, layer)
        if not isinstance(fans, int) or abs(init.constant) * fans < _SATURATING_SUM:
            return
        target = random_init_for(None)
        message = (
            f"{describe_layer(layer)} is an output layer that initializes its kernel with {init.render()} "
            f"({arg}): each output starts at {init.constant:g} times the sum of its {fans} inputs, so its "
            "logits start far from zero and a sigmoid/softmax head starts saturated, where the loss gives "
            f"almost no gradient. Expected a random initializer (a zero kernel is fine on an output layer); "
            f"set {arg}='{target}'."
        )
        fix = self.make_fix(f"use {arg}='{target}'", SetLayerArg(layer.qualname, arg, target))
        yield self.finding(message, at=layer, fixes=[fix])


#: ``|c| x fan-in`` from which an output layer's constant kernel is reported (the logit starts at that many
#: times the mean input; sigmoid(4) = 0.98).
_SATURATING_SUM = 4


def _bias_not_positive(value, use_bias) -> bool:
    if use_bias is False:
        return True
    bias = initializer(value)
    return bias is not None and is_known(bias.constant) and bias.constant is not None and bias.constant <= 0
