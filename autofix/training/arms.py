"""Train one verification arm: fresh seeded weights, a fixed data subset, a step budget.

Every arm (the original model and each candidate repair) is rebuilt from its
config with ``keras.utils.set_random_seed(seed)``, trained on the same
training subset with the same batch size for the same number of steps, and
scored in inference mode on the same held-out subset.  Arms do not validate
after each epoch (on a 2-core CPU that costs as much as the training); the
held-out rows are scored once, at the end.  Only public Keras API is used, so
any Keras 3 backend works.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..data import as_array
from ..data_prep import prepare_arrays
from .metrics import metric_report

#: Caps on the subsets used for verification (rows).
MAX_TRAIN = 2048
MAX_VAL = 512
#: Share of the data held out when no validation_data is given.
VAL_SHARE = 0.2


@dataclass
class Data:
    """The training and validation subsets every arm sees.

    ``classes_val`` holds validation class indices for classification tasks
    (the score is then accuracy), or None for regression (score: -MSE).
    ``target_scale`` turns a residual in these targets' unit into one in the
    user's (rescaled targets: the MSE stays comparable with the original's).
    """

    x: np.ndarray
    y: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    classes_val: np.ndarray | None
    target_scale: float = 1.0

    @property
    def metric(self) -> str:
        return "val_accuracy" if self.classes_val is not None else "-val_mse"


def class_indices(y: np.ndarray) -> np.ndarray | None:
    """Class index per row for one-hot, 0/1 or integer labels; None for other labels."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        ok = np.all((y == 0) | (y == 1)) and np.all(y.sum(axis=1) == 1)
        return y.argmax(axis=1) if ok else None
    flat = y.reshape(len(y), -1)[:, 0] if y.ndim > 1 else y
    if not np.issubdtype(flat.dtype, np.number) or not np.all(np.isfinite(flat)):
        return None
    if np.any(np.mod(flat, 1) != 0) or flat.min() < 0 or len(np.unique(flat)) > max(50, len(flat) // 4):
        return None
    return flat.astype(np.int64)


def _pick(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` of ``n`` row indices at random, kept in their original order."""
    return np.sort(rng.choice(n, size=min(k, n), replace=False))


def prepare_data(x: Any, y: Any, validation_data: Any = None, *, seed: int = 0,
                 max_train: int = MAX_TRAIN, max_val: int = MAX_VAL) -> Data:
    """Fixed subsets for all arms; training rows keep their order (``shuffle=False`` stays visible)."""
    xa, ya = as_array(x), as_array(y)
    if xa is None or ya is None or len(xa) != len(ya) or len(xa) < 4:
        raise ValueError("verification needs x and y as numpy arrays with the same number of rows (>= 4)")
    rng = np.random.default_rng(seed)
    if validation_data is not None:
        xv, yv = (as_array(v) for v in validation_data[:2])
        if xv is None or yv is None:
            raise ValueError("validation_data must be a tuple of numpy arrays (x_val, y_val)")
        train, val = _pick(len(xa), max_train, rng), _pick(len(xv), max_val, rng)
        xt, yt, xv, yv = xa[train], ya[train], xv[val], yv[val]
    else:
        held = _pick(len(xa), min(max_val, max(2, int(len(xa) * VAL_SHARE))), rng)
        rest = np.setdiff1d(np.arange(len(xa)), held)
        train = rest[_pick(len(rest), max_train, rng)]
        xt, yt, xv, yv = xa[train], ya[train], xa[held], ya[held]
    return Data(xt, yt, xv, yv, class_indices(yv))


def with_data_edits(data: Data, edits: list) -> Data:
    """``data`` as a candidate with data fixes trains on it: the fixes applied to the training rows and
    to the held-out rows alike (a shuffle leaves the held-out score unchanged).  Rescaled targets are
    scored in their new unit when they are class labels (accuracy allows it); otherwise (regression,
    multi-label 0/255 masks) the MSE is taken in the user's unit (``target_scale``), so it stays
    comparable with the original arm's."""
    if not edits:
        return data
    x, y = prepare_arrays(edits, data.x, data.y)
    x_val, y_val = prepare_arrays(edits, data.x_val, data.y_val)
    classes = class_indices(y_val)
    scale = data.target_scale
    if data.classes_val is None:
        scale *= math.prod(e.value[1] - e.value[0] for e in edits if e.op == "rescale_targets")
    return Data(x, y, x_val, y_val, classes if data.classes_val is not None else None, scale)


# -- models and labels ----------------------------------------------------------
def fresh_copy(model: Any, seed: int) -> Any:
    """A compiled copy of ``model`` with weights initialised from ``seed``."""
    import keras

    from ..model_copies import model_kind, new_instance

    keras.utils.set_random_seed(seed)
    kind = model_kind(model)
    if kind == "subclassed":  # its own class, built by its first fit()
        copy = new_instance(model)
    else:
        copy = (keras.Sequential if kind == "sequential" else keras.Model).from_config(model.get_config())
    copy.compile_from_config(model.get_compile_config())
    return copy


def output_units(model: Any) -> int | None:
    shape = getattr(model, "output_shape", None)
    if isinstance(shape, tuple) and shape and isinstance(shape[-1], int):
        return shape[-1]
    return None


def adapt_labels(model: Any, y: np.ndarray) -> tuple[np.ndarray, str | None]:
    """Labels in the encoding a repaired head expects, and a note when converted.

    A fix that turns a 2-unit softmax into 1 sigmoid unit needs one-hot labels
    as 0/1 (``y.argmax(-1)``); other labels are passed through unchanged.
    """
    if output_units(model) == 1 and y.ndim == 2 and y.shape[1] == 2 and class_indices(y) is not None:
        return y.argmax(axis=-1).astype("float32"), "labels converted from one-hot to 0/1 (y.argmax(-1))"
    return y, None


# -- scoring ---------------------------------------------------------------------
def _from_logits(model: Any) -> bool:
    loss = getattr(model, "loss", None)
    return bool(getattr(loss, "from_logits", False))


def predict_val(model: Any, data: Data) -> np.ndarray:
    """The model's outputs on the validation subset in inference mode, as (rows, columns)."""
    pred = np.asarray(model.predict(data.x_val, batch_size=256, verbose=0), dtype=np.float64)
    return pred.reshape(len(pred), -1)


def guessed_classes(model: Any, pred: np.ndarray) -> np.ndarray:
    """Predicted class indices: a 0.5 (or logit 0) threshold for one unit, argmax otherwise."""
    if pred.shape[1] == 1:
        return (pred[:, 0] > (0.0 if _from_logits(model) else 0.5)).astype(np.int64)
    return pred.argmax(axis=1)


#: An arm that predicts one class for at least this share of mixed held-out rows has not started learning.
COLLAPSED_SHARE = 0.98


def collapsed(model: Any, data: Data, pred: np.ndarray) -> bool:
    """Whether the arm answers one class for (nearly) every held-out row although the labels are mixed."""
    if data.classes_val is None or len(pred) == 0:
        return False
    share = lambda classes: np.bincount(classes).max() / len(classes)  # noqa: E731
    return share(guessed_classes(model, pred)) >= COLLAPSED_SHARE > share(np.asarray(data.classes_val))


def score(model: Any, data: Data, pred: np.ndarray | None = None) -> float:
    """Accuracy (classification) or -MSE (regression) in inference mode on the validation subset."""
    pred = predict_val(model, data) if pred is None else pred
    finite = np.all(np.isfinite(pred), axis=1)
    if data.classes_val is None:
        target = np.asarray(data.y_val, dtype=np.float64).reshape(len(pred), -1)
        if not finite.all() or target.shape != pred.shape:
            return -math.inf
        return -float(np.mean(((pred - target) * data.target_scale) ** 2))
    return float(np.mean((guessed_classes(model, pred) == data.classes_val) & finite))


# -- training ---------------------------------------------------------------------
def _budget_callback(max_steps: int, seconds: float | None):
    import keras

    class StepBudget(keras.callbacks.Callback):
        """Stop after ``max_steps`` batches (or a wall-clock safety cap)."""

        def __init__(self):
            super().__init__()
            self.steps, self.timed_out, self.start = 0, False, time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            self.steps += 1
            if seconds is not None and time.perf_counter() - self.start > seconds:
                self.timed_out = True
            if self.steps >= max_steps or self.timed_out:
                self.model.stop_training = True

    return StepBudget()


def fit_settings(fit_kwargs: dict[str, Any] | None) -> dict[str, Any]:
    """The fit() arguments an arm reproduces (others, like callbacks, are left out)."""
    given = dict(fit_kwargs or {})
    out = {"batch_size": given.get("batch_size") or 32, "shuffle": given.get("shuffle", True)}
    if given.get("class_weight"):
        out["class_weight"] = given["class_weight"]
    split = given.get("validation_split")
    if isinstance(split, float) and 0 < split < 1:  # Keras holds out the last rows: an arm does too
        out["validation_split"] = split
    return out


@dataclass
class ArmResult:
    """One trained arm: its score, cost, and History."""

    name: str
    seed: int
    score: float
    steps: int
    seconds: float
    history: dict[str, list[float]] = field(default_factory=dict)
    label_note: str | None = None
    timed_out: bool = False
    error: str | None = None
    #: Binary threshold metrics on the held-out rows (see :func:`~autofix.training.metrics.metric_report`).
    report: dict[str, Any] | None = None
    #: True when the arm predicts one class for (nearly) every held-out row: it has not started learning.
    collapsed: bool = False


def train_arm(name: str, model: Any, data: Data, *, fit_kwargs: dict[str, Any] | None, seed: int,
              steps: int, seconds_cap: float | None = None, relabel: bool = False) -> ArmResult:
    """Train a fresh copy of ``model`` for ``steps`` batches and score it.

    ``relabel`` lets the labels follow a repaired head (see :func:`adapt_labels`);
    the original arm always trains on the labels as given.
    """
    start = time.perf_counter()
    settings = fit_settings(fit_kwargs)
    y, note = data.y, None
    try:
        arm = fresh_copy(model, seed)
        if relabel:
            y, note = adapt_labels(arm, data.y)
        rows = len(data.x) - int(len(data.x) * settings.get("validation_split", 0.0))
        per_epoch = max(1, math.ceil(rows / settings["batch_size"]))
        budget = _budget_callback(steps, seconds_cap)
        history = arm.fit(data.x, y, epochs=math.ceil(steps / per_epoch), callbacks=[budget], verbose=0,
                          **settings)
        pred = predict_val(arm, data)
        value = score(arm, data, pred)
        y_val = adapt_labels(arm, data.y_val)[0] if relabel else data.y_val
        report = metric_report(pred, y_val, data.classes_val)
    except Exception as exc:  # a candidate that cannot train loses, with the reason
        return ArmResult(name, seed, -math.inf, 0, time.perf_counter() - start, label_note=note,
                         error=f"{type(exc).__name__}: {exc}"[:300])
    curves = {k: [float(v) for v in vals] for k, vals in history.history.items()}
    return ArmResult(name, seed, value, budget.steps, time.perf_counter() - start, curves, note,
                     budget.timed_out, report=report, collapsed=collapsed(arm, data, pred))


@dataclass
class Cost:
    """Measured cost of an arm: fixed overhead, seconds per step, seconds per epoch end."""

    overhead: float
    step: float
    epoch: float

    def seconds(self, steps: int, epochs: int) -> float:
        return self.overhead + steps * self.step + epochs * self.epoch


def calibrate(model: Any, data: Data, fit_kwargs: dict[str, Any] | None, seed: int,
              per_epoch: int = 4, epochs: int = 3) -> Cost:
    """Time a tiny arm (``epochs`` x ``per_epoch`` steps, then scoring) of ``model``."""
    import keras

    batches: list[float] = []
    ends: list[float] = []

    class Marks(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches.append(time.perf_counter())

        def on_epoch_end(self, epoch, logs=None):
            ends.append(time.perf_counter())

    start = time.perf_counter()
    settings = fit_settings(fit_kwargs)
    rows = min(len(data.x), per_epoch * settings["batch_size"])
    arm = fresh_copy(model, seed)
    arm.fit(data.x[:rows], data.y[:rows], epochs=epochs, callbacks=[Marks()], verbose=0, **settings)
    score(arm, data)
    total = time.perf_counter() - start
    spe = max(1, math.ceil(rows / settings["batch_size"]))
    inner = [b - a for i, (a, b) in enumerate(zip(batches, batches[1:]), 1) if i % spe]
    step = float(np.median(inner)) if inner else (ends[-1] - ends[0]) / max(1, spe * (epochs - 1))
    epoch = max(0.0, float(np.median(np.diff(ends))) - spe * step) if len(ends) > 1 else 0.0
    return Cost(max(0.0, total - len(batches) * step - len(ends) * epoch), step, epoch)


def current_learning_rate(model: Any) -> float | None:
    try:
        rate = float(model.optimizer.learning_rate.numpy())
    except Exception:
        try:
            rate = float(model.get_compile_config()["optimizer"]["config"]["learning_rate"])
        except Exception:
            return None
    return rate if rate > 0 else None
