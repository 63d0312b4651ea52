"""Input standardisation shared by AF402 and strategy AS204: readable statistics and the layers to insert."""

from __future__ import annotations

import math

from ..edits import InsertLayer, NewLayer
from ..spec import LayerSpec, ModelSpec
from ..values import is_known

#: Layers that already scale the inputs when they come first.
INPUT_SCALERS = frozenset({"Normalization", "Rescaling", "BatchNormalization", "LayerNormalization"})
#: First-layer arguments that give a Sequential its input shape (it is then built eagerly).
_SHAPE_ARGS = ("input_shape", "batch_input_shape", "input_dim", "batch_shape")


def rounded_stats(mean: float, std: float) -> tuple[float, float]:
    """``(mean, variance)`` rounded for a readable source literal that normalises as well.

    The mean keeps the decimals that place it within 1% of a standard deviation
    (``-1.06001`` for inputs around -1.06 with std 0.0024, not 17 digits); the
    variance keeps 3 significant digits (a relative error below 0.5%).
    """
    std = max(float(std), 1e-12)
    decimals = max(0, math.ceil(-math.log10(0.01 * std)))
    variance = float(f"{std * std:.3g}")
    return round(float(mean), decimals) + 0.0, variance


def _needs_input(spec: ModelSpec, first: LayerSpec) -> bool:
    """A Sequential with no Input and no input-shape argument is built inside fit()'s traced step, where
    a ``Normalization`` with fixed statistics fails (its broadcast constants leak out of the graph)."""
    if spec.kind != "sequential" or any(layer.class_name == "InputLayer" for layer in spec.layers):
        return False
    return not any(first.config.get(arg) is not None for arg in _SHAPE_ARGS)


def normalization_inserts(spec: ModelSpec, first: LayerSpec, mean: float, variance: float) -> list[InsertLayer]:
    """Insert ``Normalization(axis=None, mean=, variance=)`` before ``first``, after an ``InputLayer`` of the
    data's feature shape when the Sequential has none (so the model is built before training starts)."""
    edits = []
    shape = spec.data.x_shape if spec.data is not None else None
    if _needs_input(spec, first) and is_known(shape) and shape:  # x_shape is the feature shape (no batch axis)
        edits.append(InsertLayer(first.qualname, NewLayer.of("InputLayer", shape=tuple(shape)), after=False))
    new = NewLayer.of("Normalization", axis=None, mean=mean, variance=variance)
    return [*edits, InsertLayer(first.qualname, new, after=False)]
