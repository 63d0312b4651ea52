"""BatchNormalization moving averages: how many updates they need to forget their initial values."""

from __future__ import annotations

import math

from ..spec import LayerSpec, ModelSpec
from ..values import is_known

#: Keras's default ``BatchNormalization(momentum=...)``.
DEFAULT_MOMENTUM = 0.99
#: The share of the initial moving mean/variance (0 and 1) a converged average may still hold.
LEFT = 0.05


def momentum(layer: LayerSpec) -> float | None:
    """The layer's momentum (Keras's default when the script does not write one); None when not known."""
    value = layer.get("momentum")
    value = DEFAULT_MOMENTUM if value is None else value
    if not is_known(value) or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if 0.0 < value < 1.0 else None


def normalisations(spec: ModelSpec) -> list[tuple[LayerSpec, float]]:
    """The BatchNormalization layers whose momentum is known, with that momentum."""
    found = []
    for layer in spec.layers:
        if layer.class_name in ("BatchNormalization", "SyncBatchNormalization"):
            m = momentum(layer)
            if m is not None:
                found.append((layer, m))
    return found


def left_after(m: float, updates: int) -> float:
    """The weight the initial moving statistics still carry after ``updates`` batches: ``m ** updates``."""
    return m ** updates


def updates_to_converge(m: float) -> int:
    """Updates after which the initial statistics weigh at most ``LEFT`` (299 at momentum 0.99)."""
    return math.ceil(math.log(LEFT) / math.log(m))


def converging_momentum(updates: int) -> float:
    """The largest two-decimal momentum whose averages converge within ``updates`` (0.98 for 150)."""
    return max(0.0, math.floor(100 * LEFT ** (1.0 / updates)) / 100)
