"""A task score from a model's predictions, independent of its compiled loss and metrics.

The start-up hook of ``autofix-src --verify`` script runs
(:mod:`autofix.training._fit_hook`) scores the model after each capped
``fit()`` call with :func:`score_fit`: on the call's ``validation_data``
(arrays), else on ``validation_split``'s held-out tail, else on at most
:data:`MAX_ROWS` training rows (a seeded pick, so both runs of a comparison
score the same rows).  The score follows what the labels are
(:func:`autofix.data.data_facts`): accuracy for binary, integer and one-hot
labels, element-wise accuracy for multi-label, R^2 for continuous targets.
Anything but numpy arrays or tensors (datasets, generators, dicts, lists of
inputs, several outputs) gets no score.  Numpy only: the model is only called.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..data import as_array, data_facts

#: Rows scored at most (a seeded pick when there are more).
MAX_ROWS = 1024
#: Where the rows came from, as the verdict line says it.
ON_VALIDATION, ON_SPLIT, ON_TRAINING = "the validation data", "validation_split's held-out rows", "the training rows"


def arrayish(value: Any) -> bool:
    """numpy arrays and tensors; not datasets, generators, dicts or lists of inputs."""
    return (hasattr(value, "shape") and hasattr(value, "dtype") and hasattr(value, "__array__")
            and not hasattr(value, "element_spec"))


def scoring_rows(arguments: dict[str, Any], seed: int = 0) -> tuple[np.ndarray, np.ndarray, str] | str:
    """``(x, y, where)`` to score a fit() call on, or the reason there is none."""
    x, y = arguments.get("x"), arguments.get("y")
    if not (arrayish(x) and arrayish(y)):
        return "x or y is not an array (dataset, generator, dict or list): no score"
    validation, split = arguments.get("validation_data"), arguments.get("validation_split") or 0.0
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) in (2, 3)
                and arrayish(validation[0]) and arrayish(validation[1])):
            return "validation_data is not a tuple of arrays: no score"
        xs, ys, where = as_array(validation[0]), as_array(validation[1]), ON_VALIDATION
    else:
        xs, ys = as_array(x), as_array(y)
        where = ON_TRAINING
        if split:
            at = int(math.floor(len(xs) * (1.0 - float(split))))
            xs, ys, where = xs[at:], ys[at:], ON_SPLIT
    if xs is None or ys is None or len(xs) != len(ys) or len(xs) < 2:
        return "no rows to score"
    if len(xs) > MAX_ROWS:
        picked = np.sort(np.random.default_rng(seed).choice(len(xs), size=MAX_ROWS, replace=False))
        xs, ys = xs[picked], ys[picked]
    return xs, ys, where


def task_score(pred: Any, y: np.ndarray, kind: str, *, threshold: float = 0.5) -> tuple[float, str] | None:
    """``(score, metric)`` of predictions ``pred`` against labels ``y`` of label kind ``kind``; None when
    their shapes do not match.  ``metric`` is ``"accuracy"`` or ``"r2"`` (floored at :data:`R2_FLOOR`;
    non-finite predictions score the floor).  Compare R^2 values with :func:`comparable`."""
    pred = np.asarray(pred, dtype=np.float64)
    pred = pred.reshape(len(pred), -1)
    y = np.asarray(y)
    finite = np.all(np.isfinite(pred), axis=1)
    if kind == "continuous":
        target = y.astype(np.float64).reshape(len(y), -1)
        total = float(np.sum((target - target.mean(axis=0)) ** 2)) if target.shape == pred.shape else 0.0
        if total <= 0.0:
            return None
        if not finite.all():
            return R2_FLOOR, "r2"
        r2 = 1.0 - float(np.sum((target - pred) ** 2)) / total
        return (max(r2, R2_FLOOR) if math.isfinite(r2) else R2_FLOOR), "r2"
    if kind == "multilabel":
        if y.shape != pred.shape:
            return None
        return float(np.mean(((pred > threshold) == (y > 0.5)) & finite[:, None])), "accuracy"
    truth = y.argmax(axis=1) if kind == "onehot" else y.reshape(len(y), -1)
    if truth.ndim > 1 and truth.shape[1] != 1:
        return None
    truth = truth.reshape(-1).astype(np.int64)
    if pred.shape[1] > 1:
        guess = pred.argmax(axis=1)
    elif kind == "binary":
        guess = (pred[:, 0] > threshold).astype(np.int64)
    else:
        guess = np.rint(np.nan_to_num(pred[:, 0])).astype(np.int64)
    return float(np.mean((guess == truth) & finite)), "accuracy"


#: The lowest R^2 scored (a fit a million times worse than predicting the mean; non-finite predictions).
R2_FLOOR = -1e6


def comparable(value: float, metric: str) -> float:
    """``value`` on a scale where gains can be compared: accuracy as is; R^2 as is on [0, 1] and
    ``-log(1 - R^2)`` below 0 (monotone, equal to R^2 near 0), so a head stuck far below the mean's
    score (R^2 -3) and one on its way up (R^2 -0.5) still differ without -1e4 swamping the margin."""
    if metric != "r2" or value >= 0:
        return value
    return -math.log1p(-value)


def chance_level(y: np.ndarray, kind: str) -> float:
    """The score of always answering the majority (per label for multi-label; R^2 of the mean: 0)."""
    y = np.asarray(y)
    if kind == "continuous":
        return 0.0
    if kind == "multilabel":
        share = np.mean(y > 0.5, axis=0)
        return float(np.mean(np.maximum(share, 1.0 - share)))
    truth = y.argmax(axis=1) if kind == "onehot" else y.reshape(-1).astype(np.int64)
    return float(np.bincount(truth - truth.min()).max() / len(truth))


def _threshold(model: Any) -> float:
    """0 when the loss takes logits (the output is a logit), else 0.5."""
    return 0.0 if getattr(getattr(model, "loss", None), "from_logits", False) else 0.5


def score_fit(model: Any, arguments: dict[str, Any], seed: int = 0, kind: str | None = None) -> dict[str, Any]:
    """The task score of ``model`` after a fit() call with ``arguments``, as a JSON-ready record:
    ``value``, ``metric``, ``labels`` (label kind), ``rows`` (where from), ``n`` and ``chance``
    (:func:`chance_level`); or ``skipped``.  ``kind`` overrides the label kind the labels show (to
    score an original script the way its rewrite is scored)."""
    rows = scoring_rows(arguments, seed)
    if isinstance(rows, str):
        return {"skipped": rows}
    xs, ys, where = rows
    kind = kind or getattr(data_facts(arguments["x"], arguments["y"]), "label_kind", None)
    if not isinstance(kind, str):
        return {"skipped": "the labels' kind is unknown: no score"}
    pred = model.predict(xs, batch_size=256, verbose=0)
    if isinstance(pred, (list, tuple, dict)):
        return {"skipped": "the model has several outputs: no score"}
    scored = task_score(pred, ys, kind, threshold=_threshold(model))
    if scored is None:
        return {"skipped": f"predictions of shape {np.shape(pred)} do not match labels of shape {ys.shape}"}
    return {"value": scored[0], "metric": scored[1], "labels": kind, "rows": where, "n": int(len(xs)),
            "chance": chance_level(ys, kind)}
