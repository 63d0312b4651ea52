"""AF104 flatten-dense-bottleneck."""

from __future__ import annotations

import math

from ..edits import InsertLayer, NewLayer, ReplaceLayer
from ..findings import Applicability, Severity
from ..spec import LayerSpec, ModelSpec
from ..values import is_known
from .base import Example, Rule, walk_back

#: A Dense is a bottleneck when it holds this share of all parameters...
MIN_SHARE = 0.5
#: ... has at least this many parameters ...
MIN_PARAMS = 500_000
#: ... and the Flatten before it keeps more spatial positions than this.
MAX_POSITIONS = 64
#: The fix pools until at most this many positions are left.
TARGET_POSITIONS = 16
_BETWEEN = frozenset({"Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise", "Activation"})


def _flatten_before(spec: ModelSpec, dense: LayerSpec) -> LayerSpec | None:
    for layer in walk_back(spec, dense):
        if layer.class_name == "Flatten":
            return layer
        if layer.class_name not in _BETWEEN:
            return None
    return None


def _spatial(shape) -> tuple[int, ...] | None:
    """Spatial dims of a channels-last feature map (without batch axis)."""
    if not is_known(shape) or not isinstance(shape, (list, tuple)) or len(shape) < 2:
        return None
    dims = tuple(shape[:-1])
    if not all(isinstance(d, int) for d in dims) or len(dims) > 3:
        return None
    return dims


class FlattenDenseBottleneck(Rule):
    """A Dense after Flatten holds most of the model's parameters.

    ## What it does
    Finds a Dense layer fed by ``Flatten`` of a feature map that still has
    many spatial positions (more than 64), when that Dense holds at least half
    of the model's parameters and at least 500k of them.

    ## Why is this bad?
    The conv stack was not downsampled enough before flattening, so the
    first Dense sees every position separately: it memorises the training set
    (training accuracy climbs while validation stays at chance) and it
    dominates training time. In seed 000, ``Flatten`` of 256 x 64 values into
    ``Dense(200)`` held 98.9% of 3.3M parameters.

    ## Example
    ``Conv1D(64, 3)`` on 256 positions, ``Flatten()``, ``Dense(200)``.

    ## Fix safety
    Unsafe: inserts a pooling layer before ``Flatten`` so the Dense input
    shrinks to at most 16 positions (the Dense is re-initialised with its new
    input size). The alternative replaces ``Flatten`` by global average
    pooling.

    ## Keras versions
    All.

    ## References
    Seed reports 000 and 003; Lin et al. (2013), "Network in Network" (global
    average pooling).
    """

    code = "AF104"
    name = "flatten-dense-bottleneck"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE
    requires = ("params",)

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((1024, 1)),
    layers.Conv1D(32, 5, padding="same", activation="relu"),
    layers.MaxPooling1D(2),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((1024, 1)),
    layers.Conv1D(32, 5, padding="same", activation="relu"),
    layers.MaxPooling1D(2),
    layers.MaxPooling1D(pool_size=32),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
""",
            graph_only=True,
            message="values, so it memorises positions instead of features",
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        total = spec.total_params()
        for dense in spec.layers:
            if dense.class_name != "Dense" or not total:
                continue
            share = dense.params / total
            if share < MIN_SHARE or dense.params < MIN_PARAMS:
                continue
            flatten = _flatten_before(spec, dense)
            preds = spec.predecessors(flatten) if flatten else []
            dims = _spatial(preds[0].output_shape) if len(preds) == 1 else None
            if dims is None:
                continue
            positions = math.prod(dims)
            if positions <= MAX_POSITIONS:
                continue
            rank = len(dims)
            pool = math.ceil((positions / TARGET_POSITIONS) ** (1 / rank))
            pool_size = pool if rank == 1 else tuple([pool] * rank)
            new_positions = math.prod(max(1, d // pool) for d in dims)
            channels = preds[0].output_shape[-1]
            message = (
                f"Dense layer '{dense.name}' holds {share:.1%} of the model's {total:,} "
                f"parameters: it reads a Flatten of {'x'.join(map(str, dims))} positions x "
                f"{channels} channels = {positions * channels:,} values, so it memorises "
                "positions instead of features. Downsample before Flatten (pooling or strided "
                f"convs; MaxPooling{rank}D({pool}) cuts its input {positions // new_positions}x) "
                "or use global average pooling."
            )
            fixes = [
                self.make_fix(
                    f"insert MaxPooling{rank}D({pool}) before '{flatten.name}'",
                    InsertLayer(flatten.qualname, NewLayer.of(f"MaxPooling{rank}D", pool_size=pool_size),
                                after=False),
                ),
                self.make_fix(
                    f"replace '{flatten.name}' by GlobalAveragePooling{rank}D",
                    ReplaceLayer(flatten.qualname, NewLayer.of(f"GlobalAveragePooling{rank}D")),
                ),
            ]
            yield self.finding(message, at=dense, fixes=fixes)
