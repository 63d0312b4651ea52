"""AF109 dominating-weight-regularizer."""

from __future__ import annotations

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..keras_vocab import units_of
from ..spec import ModelSpec
from ..values import UNKNOWN
from ._init import describe_layer, fan_in, regularizer
from .base import Example, Rule

#: A weight penalty factor at or above this dominates the data loss.
LARGE_FACTOR = 0.1
#: The factor the fix sets (ResNet's weight decay; common in Keras examples).
FIXED_FACTOR = 1e-4
_ARGS = ("kernel_regularizer", "depthwise_regularizer", "pointwise_regularizer", "recurrent_regularizer")


class DominatingWeightRegularizer(Rule):
    """An L1/L2 weight penalty so strong that it outweighs the data loss.

    ## What it does
    Finds layers whose ``kernel_regularizer`` (or depthwise, pointwise or
    recurrent regularizer) is a built-in ``L1``, ``L2`` or ``L1L2`` with a
    factor of 0.1 or more -- given as an object (``regularizers.l2(0.5)``,
    ``L1L2(l1=1.0)``) or a serialized config. The string forms ``'l1'``/
    ``'l2'`` use Keras's default 0.01 and are never reported.

    ## Why is this bad?
    Keras adds ``factor * sum(w**2)`` (or ``sum(|w|)``) over *every* kernel
    weight to the loss, not a mean. With thousands of weights and a factor of
    0.1 or more, that penalty is many times a cross-entropy of about 1-2, so
    the optimum is near-zero weights: the model underfits, predictions become
    almost constant, and the loss reported by ``fit()`` is mostly the penalty.

    ## Example
    ``Dense(64, activation='relu', kernel_regularizer=regularizers.l2(0.5))``.

    ## Fix safety
    Unsafe: the large factors become 1e-4 (the weight decay used by ResNet and
    common in Keras examples), keeping the regularizer's class and its other
    factors; no weights change shape. It is not display-only because the
    change is a concrete, reviewable setting that restores training, but it
    is not safe either: it changes training dynamics, and the best factor
    depends on the data (tune it on validation loss).

    ## Keras versions
    All. Keras 2's ``l2(l=...)`` keyword is read as the factor.

    ## References
    Humbatova et al. (ICSE 2020), "Taxonomy of Real Faults in Deep Learning
    Systems": *wrong regularisation*; DeepCrime (ISSTA 2021) mutations
    *change weights regularisation*; NeuraLint (TOSEM 2021); Krogh & Hertz
    (1992), "A Simple Weight Decay Can Improve Generalization".
    """

    code = "AF109"
    name = "dominating-weight-regularizer"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu", kernel_regularizer=keras.regularizers.l2(0.5)),
    layers.Dense(10, activation="softmax"),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu", kernel_regularizer=keras.regularizers.l2(0.0001)),
    layers.Dense(10, activation="softmax"),
])
""",
            message="Dense layer 'dense' has kernel_regularizer=L2(l2=0.5)",
            line=3,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((28, 28, 1)))
model.add(layers.Conv2D(16, 3, activation="relu", kernel_regularizer=keras.regularizers.L1L2(l1=1.0)))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax"))
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((28, 28, 1)))
model.add(layers.Conv2D(16, 3, activation="relu", kernel_regularizer=keras.regularizers.L1L2(l1=0.0001)))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax"))
""",
            message="1 * sum(|w|) over its 144 kernel weights",
            line=3,
        ),
        Example(
            """
inputs = keras.Input((100,))
x = layers.Dense(32, activation="relu")(inputs)
outputs = layers.Dense(5, activation="softmax", kernel_regularizer=keras.regularizers.L1(l1=0.3))(x)
model = keras.Model(inputs, outputs)
""",
            fixed="""
inputs = keras.Input((100,))
x = layers.Dense(32, activation="relu")(inputs)
outputs = layers.Dense(5, activation="softmax", kernel_regularizer=keras.regularizers.L1(l1=0.0001))(x)
model = keras.Model(inputs, outputs)
""",
            message="set the factor to 0.0001",
            line=3,
        ),
        Example(
            """
def build():
    model = keras.Sequential()
    model.add(layers.Dense(128, activation="relu", kernel_regularizer=keras.regularizers.L2(0.1)))
    model.add(layers.Dense(1))
    return model


model = build()
""",
            fixed="""
def build():
    model = keras.Sequential()
    model.add(layers.Dense(128, activation="relu", kernel_regularizer=keras.regularizers.L2(0.0001)))
    model.add(layers.Dense(1))
    return model


model = build()
""",
            message="outweighs the data loss",
            line=3,
        ),
    ]
    VALID = [
        # 'l2' means Keras's default factor 0.01.
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu", kernel_regularizer="l2"),
    layers.Dense(10, activation="softmax", kernel_regularizer=keras.regularizers.l2(1e-4)),
])
"""
        ),
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu", kernel_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.01)),
    layers.Dense(1, activation="sigmoid", activity_regularizer=keras.regularizers.l1(0.5)),
])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        for layer in spec.layers:
            for arg in _ARGS:
                if arg not in layer.config:
                    continue
                reg = regularizer(layer.config[arg])
                large = reg.large(LARGE_FACTOR) if reg is not None else {}
                if not large:
                    continue
                terms = " + ".join(
                    f"{v:g} * sum({'|w|' if k == 'l1' else 'w**2'})" for k, v in sorted(large.items()))
                count = _kernel_weights(spec, layer) if arg == "kernel_regularizer" else None
                over = f"over its {count} kernel weights" if count else "over every kernel weight"
                message = (
                    f"{describe_layer(layer)} has {arg}={reg.render()}: it adds {terms} {over} to the "
                    "loss, a sum not a mean, which outweighs the data loss (a cross-entropy of about 1-2) "
                    "unless the weights stay near zero, so the model underfits and its predictions "
                    f"become almost constant. Expected a factor around 1e-5 to 1e-3; set the factor to "
                    f"{FIXED_FACTOR:g}."
                )
                value = reg.with_factors({k: FIXED_FACTOR for k in large})
                fixes = [] if value is UNKNOWN else [
                    self.make_fix(f"set the {arg} factor to {FIXED_FACTOR:g}", SetLayerArg(layer.qualname, arg, value))
                ]
                yield self.finding(message, at=layer, fixes=fixes)


def _kernel_weights(spec: ModelSpec, layer) -> int | None:
    fans, units = fan_in(spec, layer), units_of(layer)
    if isinstance(fans, int) and isinstance(units, int):
        return fans * units
    return None
