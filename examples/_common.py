"""Helpers shared by the seed examples: measuring the user's symptom.

Each example's ``train.py`` stays readable on its own; only the bookkeeping
(predicted classes, majority share, fit-vs-evaluate gap, loading a sibling
example by path) lives here.
"""

from __future__ import annotations

import importlib.util
import pathlib
import sys
import time

import numpy as np

EXAMPLES = pathlib.Path(__file__).resolve().parent


def load_example(name: str):
    """Import ``examples/<name>/train.py`` (or any ``.py`` path) as a module."""
    path = pathlib.Path(name)
    if not path.suffix:
        path = EXAMPLES / name / "train.py"
    module_name = f"autofix_example_{path.parent.name}_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def predicted_classes(model, x, batch_size=256) -> np.ndarray:
    """Class indices the model predicts: threshold 0.5 for one unit, argmax otherwise."""
    p = np.asarray(model.predict(x, batch_size=batch_size, verbose=0))
    if p.ndim == 1 or p.shape[-1] == 1:
        return (p.reshape(-1) > 0.5).astype(np.int64)
    return p.argmax(axis=-1)


def class_indices(y) -> np.ndarray:
    """Class indices from 0/1, integer or one-hot labels."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=-1)
    return y.reshape(-1).astype(np.int64)


def accuracy(model, x, y) -> float:
    """True (argmax / threshold) accuracy, independent of the compiled metric."""
    return float(np.mean(predicted_classes(model, x) == class_indices(y)))


def majority_share(model, x) -> tuple[int, float]:
    """(most predicted class, share of inputs predicted as it)."""
    pred = predicted_classes(model, x)
    values, counts = np.unique(pred, return_counts=True)
    i = int(counts.argmax())
    return int(values[i]), float(counts[i] / len(pred))


def to_binary(y) -> np.ndarray:
    """0/1 labels for a 1-sigmoid-unit head (argmax of one-hot rows)."""
    return class_indices(y).astype("float32")


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
