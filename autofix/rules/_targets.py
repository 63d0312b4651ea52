"""Target standardisation shared by AF408 and strategy AS207: the linear regression output and the
``Rescaling(scale=std, offset=mean)`` appended to it, so the model predicts in the user's units."""

from __future__ import annotations

import math

from ..edits import InsertLayer, NewLayer
from ..spec import DataSpec, LayerSpec, ModelSpec
from ..values import is_known
from ._head import Head
from ._normalize import rounded_stats
from ._regression import regression_loss

#: Regression losses whose value and gradients scale with the targets (MSLE and MAPE are relative).
SCALED_LOSSES = frozenset({"mean_squared_error", "mean_absolute_error", "huber", "log_cosh"})
#: Layers after the head that already map the output back to the targets' units.
UNSCALERS = frozenset({"Rescaling", "Normalization"})


def linear_output(spec: ModelSpec) -> LayerSpec | None:
    """The single output layer of a model with a linear head trained with a scale-dependent regression
    loss, when no ``Rescaling``/``Normalization`` already follows the head; else None."""
    if spec.compile is None or regression_loss(spec.compile.loss) not in SCALED_LOSSES:
        return None
    head, outputs = Head.of(spec), spec.output_layers()
    if head is None or head.activation != "linear" or len(outputs) != 1:
        return None
    layer = outputs[0]
    for _ in range(len(spec.layers)):
        if layer.class_name in UNSCALERS:
            return None
        if layer is head.dense:
            return outputs[0]
        preds = spec.predecessors(layer)
        if len(preds) != 1:
            return None
        layer = preds[0]
    return None


def target_stats(data: DataSpec | None) -> tuple[float, float] | None:
    """(mean, std) of one column of finite targets, when the data facts show them; else None."""
    if data is None or not isinstance(data.y_shape, tuple) or len(data.y_shape) != 1:
        return None
    mean, std = data.y_mean, data.y_std
    if not (is_known(mean) and is_known(std) and isinstance(mean, (int, float)) and isinstance(std, (int, float))):
        return None
    if not (math.isfinite(mean) and math.isfinite(std) and std > 0):
        return None
    return float(mean), float(std)


def rounded_scale(mean: float, std: float) -> tuple[float, float]:
    """(mean, std) for a readable literal: the mean to 1% of a std, the std to 3 significant digits."""
    return rounded_stats(mean, std)[0], float(f"{std:.3g}")


def rescaling_insert(output: LayerSpec, mean: float, std: float) -> InsertLayer:
    """Append ``Rescaling(scale=std, offset=mean)`` after the output layer (values rounded for the source)."""
    mean, std = rounded_scale(mean, std)
    return InsertLayer(output.qualname, NewLayer.of("Rescaling", scale=std, offset=mean), after=True)


def read_from(data: DataSpec) -> str:
    """``"; read from script lines a-b"`` when the data facts come from a script, else ``""``."""
    return f"; read from {data.origin}" if is_known(data.origin) else ""
