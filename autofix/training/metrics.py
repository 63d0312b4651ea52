"""Threshold metrics recomputed from an arm's predictions, as Keras reports them and per class.

Keras's ``Precision``, ``Recall``, ``FalsePositives``... score every output
column, so on mirrored one-hot columns of a 2-unit softmax each false positive
is also a false negative.  :func:`metric_report` recomputes those counts the way
the compiled metrics do (every column, threshold 0.5) next to the
positive-class counts, so a rule can check a reporting symptom
(:meth:`autofix.rules.base.Rule.symptom_gone`).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _counts(pred: np.ndarray, true: np.ndarray) -> dict[str, int]:
    return {"tp": int(np.sum(pred & true)), "fp": int(np.sum(pred & ~true)),
            "fn": int(np.sum(~pred & true)), "tn": int(np.sum(~pred & ~true))}


def _rates(counts: dict[str, int]) -> dict[str, float]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {"precision": tp / max(tp + fp, 1), "recall": tp / max(tp + fn, 1)}


def metric_report(pred: np.ndarray, y_trained: np.ndarray, classes: np.ndarray | None) -> dict[str, Any] | None:
    """Threshold metrics as Keras reports them (``reported``) and for the positive class (``positive``).

    ``pred`` are the model's outputs on the held-out rows, ``y_trained`` the
    held-out labels in the encoding the arm trained on, ``classes`` their class
    indices.  Only for binary tasks (two classes, one or two output columns).
    """
    if classes is None or pred.ndim != 2 or pred.shape[1] > 2 or (len(classes) and classes.max() > 1):
        return None
    target = np.asarray(y_trained, dtype=np.float64).reshape(len(pred), -1)
    if target.shape != pred.shape:
        return None
    reported = _counts(pred.reshape(-1) > 0.5, target.reshape(-1) > 0.5)
    guess = pred[:, 0] > 0.5 if pred.shape[1] == 1 else pred.argmax(axis=1) == 1
    positive = _counts(guess, classes == 1)
    return {"reported": {**reported, **_rates(reported)}, "positive": {**positive, **_rates(positive)}}
