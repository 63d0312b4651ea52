"""Facts measured on training data (numpy only, no Keras import)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .spec import DataSpec, FitSpec
from .values import UNKNOWN

#: Rows sampled for input statistics (keeps diagnosis fast on big arrays).
MAX_ROWS = 20_000


def as_array(value: Any) -> np.ndarray | None:
    """``value`` as a numpy array, or None for datasets/generators/dicts."""
    if value is None or isinstance(value, (dict, str, bytes)):
        return None
    if hasattr(value, "__next__") or type(value).__name__ in {"DatasetV2", "_PrefetchDataset", "PyDataset"}:
        return None
    try:
        array = np.asarray(value)
    except Exception:
        return None
    if array.dtype == object or array.ndim == 0:
        return None
    return array


def _label_facts(y: np.ndarray) -> dict[str, Any]:
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.dtype == bool:
        y = y.astype(np.int64)
    facts: dict[str, Any] = {"y_shape": tuple(int(d) for d in y.shape)}
    if np.issubdtype(y.dtype, np.number) and y.size and np.all(np.isfinite(y)):
        facts["y_min"], facts["y_max"] = float(np.min(y)), float(np.max(y))
        facts["y_mean"], facts["y_std"] = float(np.mean(y)), float(np.std(y))
        if y.ndim == 2 and y.shape[1] >= 2:
            sums = y.sum(axis=1, dtype=np.float64)
            facts["y_row_sum_min"], facts["y_row_sum_max"] = float(sums.min()), float(sums.max())
    if y.ndim == 1:
        if not np.issubdtype(y.dtype, np.number) or not np.all(np.isfinite(y)):
            return {**facts, "label_kind": "continuous"}
        integral = bool(np.all(np.equal(np.mod(y, 1), 0)))
        if not integral or y.min() < 0:
            return {**facts, "label_kind": "continuous"}
        indices = y.astype(np.int64)
        values, counts = np.unique(indices, return_counts=True)
        kind = "binary" if set(values.tolist()) <= {0, 1} else "integer"
        n_classes = 2 if kind == "binary" else int(values.max()) + 1
    elif y.ndim == 2:
        binary_values = bool(np.all((y == 0) | (y == 1)))
        if not binary_values:
            return {**facts, "label_kind": "continuous"}
        if not np.all(y.sum(axis=1) == 1):
            return {**facts, "label_kind": "multilabel", "n_classes": int(y.shape[1])}
        kind, n_classes = "onehot", int(y.shape[1])
        indices = y.argmax(axis=1)
        values, counts = np.arange(y.shape[1]), y.sum(axis=0).astype(np.int64)
    else:
        return {**facts, "label_kind": "continuous"}
    starts = np.flatnonzero(np.r_[True, indices[1:] != indices[:-1]])
    grouped = len(indices) >= 20 and len(values) > 1 and len(starts) <= 2 * len(values)
    facts.update(label_kind=kind, n_classes=n_classes, label_sorted=grouped,
                 class_counts={int(v): int(c) for v, c in zip(values, counts)})
    if grouped:
        lengths = np.diff(np.r_[starts, len(indices)])
        facts["label_runs"] = [[int(indices[s]), int(n)] for s, n in zip(starts, lengths)]
    return facts


def _constant_features(sample: np.ndarray) -> int | Any:
    """How many positions of one row take a single value over ``sample``'s rows (UNKNOWN below 2 rows)."""
    if sample.shape[0] < 2:
        return UNKNOWN
    flat = sample.reshape(sample.shape[0], -1)
    return int(np.count_nonzero(np.all(flat == flat[:1], axis=0)))


def data_facts(x: Any, y: Any = None) -> DataSpec | None:
    """Measure ``x`` (and ``y``) or return None when they are not array-like."""
    xa = as_array(x)
    if xa is None or xa.size == 0 or not np.issubdtype(xa.dtype, np.number):
        return None
    sample = xa[:MAX_ROWS].astype(np.float64, copy=False)
    spec = DataSpec(
        n_samples=int(xa.shape[0]),
        x_shape=tuple(int(d) for d in xa.shape[1:]),
        x_min=float(np.min(sample)),
        x_max=float(np.max(sample)),
        x_mean=float(np.mean(sample)),
        x_std=float(np.std(sample)),
        x_constant_features=_constant_features(sample),
    )
    ya = as_array(y)
    if ya is not None and ya.shape[:1] == xa.shape[:1]:
        for key, value in _label_facts(ya).items():
            setattr(spec, key, value)
    return spec


#: Keras's ``fit()`` defaults for the facts rules read.
FIT_DEFAULTS = {"epochs": 1, "batch_size": 32, "shuffle": True, "callbacks": [], "class_weight": None}


def fit_facts(fit_kwargs: dict[str, Any] | None, *, have_data: bool) -> FitSpec:
    """A FitSpec from ``fit()`` keyword arguments (Keras defaults fill the gaps)."""
    if fit_kwargs is None:
        return FitSpec()
    given = dict(fit_kwargs)
    values = {key: given.get(key, default) for key, default in FIT_DEFAULTS.items()}
    if values["batch_size"] is None:
        values["batch_size"] = 32 if have_data else UNKNOWN
    callbacks = [
        {"class_name": type(cb).__name__, "config": _callback_config(cb)} for cb in values["callbacks"] or []
    ]
    # as the source path records it: True for validation_data, else validation_split's fraction
    validation = True if given.get("validation_data") is not None else (given.get("validation_split") or False)
    return FitSpec(
        # an epoch count the caller did not list is unknown, not Keras's default of 1: the
        # fit_kwargs given to diagnose()/fix() rarely spell out the whole training run
        epochs=given.get("epochs", UNKNOWN),
        batch_size=values["batch_size"],
        shuffle=values["shuffle"],
        callbacks=callbacks,
        validation=validation,
        class_weight=values["class_weight"],
        steps_per_epoch=given.get("steps_per_epoch", None),
    )


def _callback_config(callback: Any) -> dict[str, Any]:
    keys = ("monitor", "mode", "patience", "min_delta", "factor", "min_lr", "filepath")
    return {k: getattr(callback, k) for k in keys if isinstance(getattr(callback, k, None), (str, int, float))}


def data_to_json(spec: DataSpec) -> dict[str, Any]:
    """``spec`` as JSON-ready data (``UNKNOWN`` -> None); :func:`data_from_json` reads it back."""
    out: dict[str, Any] = {}
    for key in DataSpec.__dataclass_fields__:
        value = getattr(spec, key)
        if value is UNKNOWN:
            value = None
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dict):
            value = {str(k): v for k, v in value.items()}
        out[key] = value
    return out


def data_from_json(raw: dict[str, Any]) -> DataSpec:
    """The DataSpec written by :func:`data_to_json` (e.g. by ``autofix-src --verify``'s start-up hook)."""
    fields = DataSpec.__dataclass_fields__
    values = {key: (UNKNOWN if raw.get(key) is None else raw[key]) for key in fields if key in raw}
    for key in ("x_shape", "y_shape"):
        if isinstance(values.get(key), list):
            values[key] = tuple(values[key])
    if isinstance(values.get("class_counts"), dict):
        values["class_counts"] = {int(k): int(v) for k, v in values["class_counts"].items()}
    return DataSpec(**values)
