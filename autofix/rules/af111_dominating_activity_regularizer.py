"""AF111 dominating-activity-regularizer."""

from __future__ import annotations

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import UNKNOWN, is_known
from ._init import describe_layer, regularizer
from .af109_dominating_weight_regularizer import FIXED_FACTOR, LARGE_FACTOR
from .base import Example, Rule


class DominatingActivityRegularizer(Rule):
    """An activity penalty so strong that the cheapest way to lower the loss is to silence the layer.

    ## What it does
    Finds ``ActivityRegularization(l1=..., l2=...)`` layers and layers with an
    ``activity_regularizer`` (a built-in ``L1``/``L2``/``L1L2``) whose factor
    is 0.1 or more (AF109's threshold for weight penalties).

    ## Why is this bad?
    Keras adds ``factor * sum(|a|)`` (or ``sum(a**2)``) over the layer's outputs
    to the loss. With a large factor that term dwarfs a cross-entropy of about
    1-2, so training drives the activations to zero: every later layer sees a
    constant, and the model predicts one class (or the targets' mean).

    ## Example
    ``layers.ActivityRegularization(l1=1000)`` after an LSTM.

    ## Fix safety
    Unsafe: the large factors become 1e-4, keeping the regularizer's class and
    its other factors; the best factor depends on the data (sparse
    autoencoders use about 1e-5 to 1e-4).

    ## Keras versions
    All.

    ## References
    keras-team/keras#2745 (an activity regularizer that stops learning);
    Humbatova et al. (ICSE 2020) *wrong regularisation*; DeepCrime (ISSTA 2021).
    """

    code = "AF111"
    name = "dominating-activity-regularizer"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE

    INVALID = [
        Example(
            """
inputs = keras.Input((20,), dtype="int32")
x = layers.Embedding(1000, 16)(inputs)
x = layers.LSTM(32)(x)
x = layers.ActivityRegularization(l1=1000)(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
""",
            fixed="""
inputs = keras.Input((20,), dtype="int32")
x = layers.Embedding(1000, 16)(inputs)
x = layers.LSTM(32)(x)
x = layers.ActivityRegularization(l1=0.0001)(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
""",
            message="ActivityRegularization layer 'activity_regularization' adds 1000 * sum(|a|)",
            line=4,
        ),
        Example(
            """
model = keras.Sequential([
    keras.Input((30,)),
    layers.Dense(64, activation="relu", activity_regularizer=keras.regularizers.l2(0.5)),
    layers.Dense(3, activation="softmax"),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((30,)),
    layers.Dense(64, activation="relu", activity_regularizer=keras.regularizers.l2(0.0001)),
    layers.Dense(3, activation="softmax"),
])
""",
            message="activity_regularizer=L2(l2=0.5)",
            line=3,
        ),
        Example(
            """
def build(factor=2.0):
    model = keras.Sequential()
    model.add(keras.Input((8,)))
    model.add(layers.Dense(16, activation="relu"))
    model.add(layers.ActivityRegularization(l2=factor))
    model.add(layers.Dense(1))
    return model
model = build()
""",
            fixed="""
def build(factor=0.0001):
    model = keras.Sequential()
    model.add(keras.Input((8,)))
    model.add(layers.Dense(16, activation="relu"))
    model.add(layers.ActivityRegularization(l2=factor))
    model.add(layers.Dense(1))
    return model
model = build()
""",
            message="adds 2 * sum(a**2)",
            line=5,
        ),
    ]
    VALID = [
        Example(  # a sparse autoencoder's usual factor
            """
model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(32, activation="relu", activity_regularizer=keras.regularizers.l1(1e-5)),
    layers.Dense(784, activation="sigmoid"),
])
"""
        ),
        Example(
            """
inputs = keras.Input((20,))
x = layers.Dense(32, activation="relu")(inputs)
x = layers.ActivityRegularization(l1=1e-4, l2=1e-4)(x)
model = keras.Model(inputs, layers.Dense(1)(x))
"""
        ),
        Example(  # a large *kernel* penalty is AF109's, not this rule's
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(4, kernel_regularizer=keras.regularizers.l2(0.5)),
                          layers.Dense(1)])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        for layer in spec.layers:
            if layer.class_name == "ActivityRegularization":
                large = {k: float(layer.config[k]) for k in ("l1", "l2") if _large(layer.config.get(k))}
                if large:
                    fixes = [self.make_fix(f"set {' and '.join(large)} to {FIXED_FACTOR:g}", *(
                        SetLayerArg(layer.qualname, key, FIXED_FACTOR) for key in large))]
                    yield self._finding(layer, "", large, fixes)
            elif "activity_regularizer" in layer.config:
                reg = regularizer(layer.config["activity_regularizer"])
                large = reg.large(LARGE_FACTOR) if reg is not None else {}
                if large:
                    value = reg.with_factors({k: FIXED_FACTOR for k in large})
                    fixes = [] if value is UNKNOWN else [self.make_fix(
                        f"set the activity_regularizer factor to {FIXED_FACTOR:g}",
                        SetLayerArg(layer.qualname, "activity_regularizer", value))]
                    yield self._finding(layer, f" has activity_regularizer={reg.render()}: it", large, fixes)

    def _finding(self, layer, has: str, large: dict[str, float], fixes: list):
        terms = " + ".join(f"{v:g} * sum({'|a|' if k == 'l1' else 'a**2'})" for k, v in sorted(large.items()))
        message = (
            f"{describe_layer(layer)}{has} adds {terms} over the layer's outputs to the loss, which outweighs "
            "the data loss (a cross-entropy of about 1-2): training silences the layer, later layers see a "
            "constant and the model predicts one value. Expected a factor around 1e-5 to 1e-3; set it to "
            f"{FIXED_FACTOR:g}."
        )
        return self.finding(message, at=layer, fixes=fixes)


def _large(value) -> bool:
    return is_known(value) and isinstance(value, (int, float)) and value >= LARGE_FACTOR
