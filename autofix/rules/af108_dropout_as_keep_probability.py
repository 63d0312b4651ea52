"""AF108 dropout-as-keep-probability."""

from __future__ import annotations

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..keras_vocab import MERGE_LAYERS, WEIGHTED_WITH_ACTIVATION, units_of
from ..spec import LayerSpec, ModelSpec
from ._init import ELEMENTWISE, is_hidden
from .base import Example, Rule

_DROPOUTS = frozenset({"Dropout", "AlphaDropout", "GaussianDropout", "SpatialDropout1D",
                       "SpatialDropout2D", "SpatialDropout3D"})
#: A rate at or above this drops most of the signal wherever it is.
HIGH_RATE = 0.8
#: Hidden layers at most this wide cannot spare more than half their units.
SMALL_LAYER = 64


def _rate(layer: LayerSpec) -> float | None:
    rate = layer.config.get("rate")
    if isinstance(rate, (int, float)) and not isinstance(rate, bool) and 0 <= rate <= 1:
        return float(rate)
    return None


def _feeding_layer(spec: ModelSpec, dropout: LayerSpec) -> LayerSpec | None:
    """The Dense/Conv layer right before ``dropout`` (through activation/normalization layers)."""
    current = dropout
    for _ in range(4):
        preds = spec.predecessors(current)
        if len(preds) != 1:
            return None
        current = preds[0]
        if current.class_name in WEIGHTED_WITH_ACTIVATION:
            return current
        if current.class_name not in ELEMENTWISE or current.class_name in _DROPOUTS:
            return None
    return None


def _is_high(layer: LayerSpec) -> bool:
    return layer.class_name in _DROPOUTS and (_rate(layer) or 0.0) >= HIGH_RATE


def _chain(layer: LayerSpec, step) -> list[LayerSpec]:
    """The layers reached from ``layer`` while each has exactly one neighbour by ``step``."""
    chain = []
    current = layer
    for _ in range(64):
        nxt = step(current)
        if len(nxt) != 1:
            break
        current = nxt[0]
        chain.append(current)
        if current.class_name in MERGE_LAYERS:
            break
    return chain


def _one_branch_of_a_merge(spec: ModelSpec, dropout: LayerSpec) -> bool:
    """Whether ``dropout`` feeds a merge that another, lightly dropped, branch also feeds.

    The signal then reaches the head through the other branch, so a high rate
    regularises one branch (LSTM-FCN drops 80% of its LSTM branch beside a
    convolutional one) rather than starving the model.
    """
    downstream = _chain(dropout, spec.successors)
    if not downstream or downstream[-1].class_name not in MERGE_LAYERS:
        return False
    if any(_is_high(layer) for layer in downstream[:-1]):
        return False
    merge = downstream[-1]
    route = [dropout, *downstream[:-1]]
    others = [pred for pred in spec.predecessors(merge) if pred not in route]
    return any(not _is_high(pred) and not any(_is_high(up) for up in _chain(pred, spec.predecessors))
               for pred in others)


class DropoutAsKeepProbability(Rule):
    """A Dropout rate that reads like TensorFlow 1's ``keep_prob``.

    ## What it does
    Finds Dropout layers (also AlphaDropout, GaussianDropout and
    SpatialDropout) with ``rate >= 0.8``, and models where every Dropout has
    the same rate above 0.5 and each one follows a hidden Dense/Conv layer of
    at most 64 units.

    ## Why is this bad?
    Keras's ``rate`` is the fraction of units *dropped*; TensorFlow 1's
    ``tf.nn.dropout(x, keep_prob)`` took the fraction *kept*. Code ported from
    TF1 (or written from TF1 tutorials) with ``Dropout(0.8)`` meant "keep 80%"
    but drops 80%, and rescales the survivors by 5x: the network underfits,
    training loss stays high and training accuracy sits far below validation
    accuracy. A uniform rate such as 0.7 after every small layer is the same
    habit: a 64-unit layer keeps about 19 units per step.

    ## Example
    ``Dense(128, activation='relu')`` followed by ``Dropout(0.8)``.

    ## Fix safety
    Unsafe: the rate becomes ``1 - rate`` (the keep probability read as a drop
    rate), which changes training dynamics; no weights are affected. A
    single ``Dropout(0.5)`` (the classic setting, and its own complement) and
    rates up to 0.5 are never reported, nor is a high rate on one branch of
    a merge (``Concatenate``, ``Add``, ...) whose other branch is not dropped
    as hard: the signal reaches the head through that branch, and the rate
    regularises its own branch (LSTM-FCN drops 80% of its LSTM branch beside
    a convolutional one).

    ## Keras versions
    All (Keras 2 and 3 take the drop ``rate``; ``keep_prob`` is TF1 only).

    ## References
    Humbatova et al. (ICSE 2020), "Taxonomy of Real Faults in Deep Learning
    Systems": *wrong dropout rate*; DeepCrime (ISSTA 2021) mutation *change
    dropout rate*; DeepFD (ICSE 2022); Srivastava et al. (2014), "Dropout".
    """

    code = "AF108"
    name = "dropout-as-keep-probability"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.8),
    layers.Dense(10, activation="softmax"),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense(10, activation="softmax"),
])
""",
            message="Dropout layer 'dropout' has rate=0.8",
            line=4,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((20,)))
model.add(layers.Dense(32, activation="relu"))
model.add(layers.Dropout(0.7))
model.add(layers.Dense(32, activation="relu"))
model.add(layers.Dropout(0.7))
model.add(layers.Dense(1, activation="sigmoid"))
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((20,)))
model.add(layers.Dense(32, activation="relu"))
model.add(layers.Dropout(0.3))
model.add(layers.Dense(32, activation="relu"))
model.add(layers.Dropout(0.3))
model.add(layers.Dense(1, activation="sigmoid"))
""",
            message="every Dropout in the model has rate=0.7",
            line=4,
        ),
        Example(
            """
inputs = keras.Input((32, 32, 3))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.SpatialDropout2D(0.9)(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""",
            fixed="""
inputs = keras.Input((32, 32, 3))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.SpatialDropout2D(0.1)(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""",
            message="keeps only 10% of its inputs",
            line=3,
        ),
        Example(
            """
def build(keep=0.75):
    model = keras.Sequential()
    model.add(keras.Input((10,)))
    model.add(layers.Dense(16, activation="relu"))
    model.add(layers.Dropout(rate=0.75))
    model.add(layers.Dense(3, activation="softmax"))
    return model


model = build()
""",
            fixed="""
def build(keep=0.75):
    model = keras.Sequential()
    model.add(keras.Input((10,)))
    model.add(layers.Dense(16, activation="relu"))
    model.add(layers.Dropout(rate=0.25))
    model.add(layers.Dense(3, activation="softmax"))
    return model


model = build()
""",
            message="set rate=0.25",
            line=5,
        ),
        Example(
            """
def branch(inputs, units):
    x = layers.Dense(units, activation="relu")(inputs)
    return layers.Dropout(0.9)(x)


inputs = keras.Input((16,))
merged = layers.Concatenate()([branch(inputs, 32), branch(inputs, 32)])
outputs = layers.Dense(1, activation="sigmoid")(merged)
model = keras.Model(inputs, outputs)
""",
            fixed="""
def branch(inputs, units):
    x = layers.Dense(units, activation="relu")(inputs)
    return layers.Dropout(0.1)(x)


inputs = keras.Input((16,))
merged = layers.Concatenate()([branch(inputs, 32), branch(inputs, 32)])
outputs = layers.Dense(1, activation="sigmoid")(merged)
model = keras.Model(inputs, outputs)
""",
            message="have rate >= 0.8",
            line=3,
        ),
    ]
    VALID = [
        # LSTM-FCN's shape: a hard-dropped LSTM branch beside a convolutional one.
        Example(
            """
inputs = keras.Input((1, 128))
x = layers.LSTM(8)(inputs)
x = layers.Dropout(0.8)(x)
y = layers.Permute((2, 1))(inputs)
y = layers.Conv1D(64, 8, padding="same", activation="relu")(y)
y = layers.GlobalAveragePooling1D()(y)
merged = layers.concatenate([x, y])
outputs = layers.Dense(5, activation="softmax")(merged)
model = keras.Model(inputs, outputs)
"""
        ),
        # The classic: one Dropout(0.5) after a wide layer.
        Example(
            """
model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(512, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])
"""
        ),
        # Keras's own MLP example: Dropout(0.5) after 64-unit layers (0.5 is its own complement).
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(64, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(64, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense(10, activation="softmax"),
])
"""
        ),
        # A uniform rate above 0.5 after a wide layer is a deliberate choice.
        Example(
            """
model = keras.Sequential([
    keras.Input((100,)),
    layers.Dense(1024, activation="relu"),
    layers.Dropout(0.6),
    layers.Dense(1, activation="sigmoid"),
])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        dropouts = [layer for layer in spec.layers if layer.class_name in _DROPOUTS]
        if not dropouts:
            return
        high = [layer for layer in dropouts if _is_high(layer) and not _one_branch_of_a_merge(spec, layer)]
        uniform = None
        rates = {_rate(layer) for layer in dropouts}
        if not high and len(rates) == 1 and None not in rates and 0.5 < next(iter(rates)) < HIGH_RATE:
            feeders = [_feeding_layer(spec, layer) for layer in dropouts]
            widths = [units_of(f) if f is not None else None for f in feeders]
            if all(isinstance(w, int) and w <= SMALL_LAYER for w in widths) and all(
                    is_hidden(spec, f) for f in feeders):
                uniform = max(widths)
        flagged = high or (dropouts if uniform is not None else [])
        if not flagged:
            return
        first = flagged[0]
        rate = _rate(first)
        keep = round(1.0 - rate, 2)
        names = ", ".join(f"'{layer.name}'" for layer in flagged)
        if high:
            what = (f"{first.class_name} layer '{first.name}' has rate={rate:g}" if len(flagged) == 1 else
                    f"Dropout layers {names} have rate >= {HIGH_RATE:g} (first: rate={rate:g})")
            why = (f"Keras drops that fraction of the units, so the layer keeps only {keep:.0%} of its "
                   f"inputs and scales them by {1 / keep:.3g}x" if keep else
                   "Keras drops that fraction of the units, so the layer passes nothing on")
        else:
            what = f"every Dropout in the model has rate={rate:g} ({names})"
            why = (f"each one follows a hidden layer of at most {uniform} units, which keeps about "
                   f"{max(1, round(uniform * keep))} of its units per step")
        message = (
            f"{what}: {why}. A keep probability (TensorFlow 1's keep_prob={keep:g}) was probably given "
            f"as the drop rate. Expected the fraction of units to drop; set rate={keep:g}"
            + (" on each." if len(flagged) > 1 else ".")
        )
        fix = self.make_fix(
            f"set rate=1-rate ({keep:g})",
            *(SetLayerArg(layer.qualname, "rate", round(1.0 - _rate(layer), 2)) for layer in flagged),
        )
        yield self.finding(message, at=first, fixes=[fix], layers=[layer.qualname for layer in flagged])
