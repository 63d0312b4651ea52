"""Symptom evidence for fixes that repair what a model *reports*, not how it learns.

A rule whose ``verify_goal`` is ``"no_worse"`` is confirmed when the repaired
model is not worse than the original by more than the noise margin and, when a
check is registered here for its code, the check shows the symptom gone on the
held-out rows.  Everything is computed by autofix from the arms' predictions.

AF206 (binary threshold metrics on a 2-unit softmax): Keras's ``Precision``,
``Recall``, ``FalsePositives``... score every output column, so on mirrored
one-hot columns each false positive is also a false negative: fp == fn and
precision == recall.  :func:`metric_report` recomputes those counts the way the
compiled metrics do (every column, threshold 0.5) next to the positive-class
counts; the symptom is gone when the two agree.
"""

from __future__ import annotations

from typing import Any, Callable

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


def reported_metrics_match(report: dict[str, Any] | None) -> tuple[bool, str]:
    """AF206: whether the reported fp/fn/precision/recall are the positive class's own."""
    if report is None:
        return False, "no binary metric report for this arm"
    rep, pos = report["reported"], report["positive"]
    text = (f"reported fp={rep['fp']} fn={rep['fn']} precision={rep['precision']:.3f} "
            f"recall={rep['recall']:.3f}; positive class fp={pos['fp']} fn={pos['fn']} "
            f"precision={pos['precision']:.3f} recall={pos['recall']:.3f}")
    same = all(rep[k] == pos[k] for k in ("tp", "fp", "fn", "tn"))
    return same, text


#: Rule code -> check of an arm's :func:`metric_report`: (symptom gone, evidence text).
SYMPTOM_CHECKS: dict[str, Callable[[dict[str, Any] | None], tuple[bool, str]]] = {
    "AF206": reported_metrics_match,
}


def goal_of(codes: list[str]) -> str:
    """``"no_worse"`` when every fix comes from a rule with that goal, else ``"improve"``."""
    from ..rules import REGISTRY

    goals = {getattr(REGISTRY.get(code), "verify_goal", "improve") for code in codes}
    return "no_worse" if goals == {"no_worse"} else "improve"


def check_symptoms(codes: list[str], report: dict[str, Any] | None) -> tuple[bool, list[str]]:
    """Run the registered checks for ``codes``: (all gone, evidence lines)."""
    results = [(code, *SYMPTOM_CHECKS[code](report)) for code in dict.fromkeys(codes) if code in SYMPTOM_CHECKS]
    return all(ok for _, ok, _ in results), [f"{code}: {text}" for code, _, text in results]
