"""Shared helpers for rules about regression losses, metrics and targets.

Pure functions over ``ModelSpec`` data (AF207, AF209, AF406 and friends).
"""

from __future__ import annotations

from typing import Any

from ..keras_vocab import loss_name
from ..spec import DataSpec, ModelSpec
from ..values import UNKNOWN, Opaque, is_known
from ._init import initializer

#: Canonical names (as :func:`~autofix.keras_facts.loss_name` returns them) of
#: regression losses, by every spelling Keras accepts.
REGRESSION_LOSSES = {
    "mean_squared_error": "mean_squared_error",
    "mean_absolute_error": "mean_absolute_error",
    "huber": "huber", "huber_loss": "huber",
    "mean_squared_logarithmic_error": "mean_squared_logarithmic_error",
    "meansquaredlogarithmicerror": "mean_squared_logarithmic_error",
    "msle": "mean_squared_logarithmic_error",
    "mean_absolute_percentage_error": "mean_absolute_percentage_error",
    "meanabsolutepercentageerror": "mean_absolute_percentage_error",
    "mape": "mean_absolute_percentage_error",
    "log_cosh": "log_cosh", "logcosh": "log_cosh",
}

#: Metric spellings (lower-case strings or class names) that measure class agreement.
ACCURACY_NAMES = frozenset({"accuracy", "acc"})
CLASSIFICATION_METRICS = frozenset(
    {
        "accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
        "binaryaccuracy", "categoricalaccuracy", "sparsecategoricalaccuracy", "auc", "precision",
        "recall", "top_k_categorical_accuracy", "topkcategoricalaccuracy",
    }
)

#: Output range ``(low, high)`` of bounded or half-bounded activations.
ACTIVATION_RANGES = {
    "sigmoid": (0.0, 1.0), "hard_sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0),
    "tanh": (-1.0, 1.0), "softsign": (-1.0, 1.0), "hard_tanh": (-1.0, 1.0),
    "relu": (0.0, float("inf")), "softplus": (0.0, float("inf")), "exponential": (0.0, float("inf")),
    "relu6": (0.0, 6.0), "elu": (-1.0, float("inf")), "selu": (-1.7581, float("inf")),
}
#: Output activations that leave a regression output unbounded above (or entirely).
UNBOUNDED_HEADS = frozenset({"linear", "relu", "softplus", "leaky_relu", "elu", "selu", "exponential"})


def regression_loss(loss: Any) -> str | None:
    """The canonical regression loss name of a compiled loss, or None."""
    name = loss_name(loss)
    if not is_known(name) or not isinstance(name, str):
        return None
    return REGRESSION_LOSSES.get(name)


def received(value: Any) -> str:
    """How a compile()/fit() value was given, for ``Received: ...`` in messages."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Opaque):
        return value.text
    if isinstance(value, dict):
        name = value.get("class_name", "?")
        if name == "function":
            return str(value.get("config"))
        return f"{name}(...)"
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return received(value[0])
    return repr(value)


def metric_name(metric: Any) -> str | None:
    """Lower-case name of one compiled metric (string or ``{class_name}``), or None."""
    if isinstance(metric, str):
        return metric.lower()
    if isinstance(metric, dict):
        name = metric.get("class_name")
        if name == "function":
            inner = metric.get("config")
            return inner.lower() if isinstance(inner, str) else None
        return str(name).lower() if name else None
    return None


def metric_names(spec: ModelSpec) -> list[str]:
    """Names of the compiled metrics that are visible (strings and metric objects)."""
    metrics = spec.compile.metrics if spec.compile is not None else UNKNOWN
    if isinstance(metrics, dict):  # per-output metrics: too unusual to reason about
        return []
    if not isinstance(metrics, (list, tuple)):
        return []
    names: list[str] = []
    for metric in metrics:
        items = metric if isinstance(metric, (list, tuple)) else [metric]
        names.extend(n for n in (metric_name(m) for m in items) if n)
    return names


def target_range(data: DataSpec | None) -> tuple[float, float, str] | None:
    """``(low, high, how)`` of the training targets, when the data facts show it.

    Uses ``y_min``/``y_max`` when the data facts record them; otherwise derives
    the range from the class values of 0/1 and integer labels and from one-hot
    or multi-hot rows (values 0 and 1). Continuous targets without recorded
    bounds give None: the rule must not guess.
    """
    if data is None:
        return None
    low, high = getattr(data, "y_min", UNKNOWN), getattr(data, "y_max", UNKNOWN)
    if _number(low) and _number(high):
        return float(low), float(high), "y_min/y_max of the training targets"
    if data.label_kind in ("binary", "integer") and isinstance(data.class_counts, dict):
        present = [int(k) for k, count in data.class_counts.items() if count]
        if present:
            return float(min(present)), float(max(present)), f"{data.label_kind} target values"
    if data.label_kind in ("onehot", "multilabel"):
        return 0.0, 1.0, f"{data.label_kind} target rows"
    return None


def _number(value: Any) -> bool:
    return is_known(value) and isinstance(value, (int, float)) and not isinstance(value, bool)


def fmt(value: float) -> str:
    """A target bound for messages (``50``, ``-3.5``, ``inf``)."""
    return f"{value:g}"


# -- a one-sided output unit that cannot fire ---------------------------------------
#: Output activations whose value and gradient are both 0 for a non-positive pre-activation.
ZERO_BELOW_ZERO = frozenset({"relu", "relu6"})


def _init_bounds(value: Any) -> tuple[float, float] | None:
    """(lowest, highest) initial weight of a built-in initializer with bounded draws, else None."""
    init = initializer(value)
    if init is None:
        return None
    constant = init.constant
    if _number(constant):
        return float(constant), float(constant)
    if init.name == "RandomUniform":
        low, high = init.args.get("minval"), init.args.get("maxval")
        if _number(low) and _number(high):
            return float(min(low, high)), float(max(low, high))
    return None


def dead_from_start(spec: ModelSpec, dense: Any) -> str | None:
    """Why ``dense``'s pre-activation is <= 0 on every training row before any step, or None.

    Provable only for a layer fed straight by the model's inputs: every input
    value of one sign (``x_min``/``x_max`` of the data facts), every initial
    kernel weight of the other sign or 0, and a bias starting at or below 0.
    A ReLU on such a unit outputs 0 and passes no gradient, so it never moves.
    """
    data = spec.data
    feeders = spec.predecessors(dense)
    if data is None or not feeders or any(f.class_name != "InputLayer" for f in feeders):
        return None
    kernel = _init_bounds(dense.config.get("kernel_initializer", "glorot_uniform"))
    x_low, x_high = getattr(data, "x_min", UNKNOWN), getattr(data, "x_max", UNKNOWN)
    if kernel is None or not (_number(x_low) and _number(x_high)):
        return None
    if dense.config.get("use_bias", True) is True:
        bias = _init_bounds(dense.config.get("bias_initializer", "zeros"))
        if bias is None or bias[1] > 0:
            return None
    elif dense.config.get("use_bias") is not False:
        return None
    if x_high <= 0 and kernel[0] >= 0:
        signs = f"every input is <= 0 (x_max {fmt(x_high)}) and every kernel weight starts >= 0"
    elif x_low >= 0 and kernel[1] <= 0:
        signs = f"every input is >= 0 (x_min {fmt(x_low)}) and every kernel weight starts <= 0"
    else:
        return None
    return f"{signs} ({fmt(kernel[0])}..{fmt(kernel[1])}), with a bias starting <= 0"
