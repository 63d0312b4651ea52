"""Data fixes (:class:`~autofix.edits.ChangeData`) applied to arrays: what ``FixResult.prepare(x, y)`` does.

A live repair cannot change the caller's arrays, so the fix loop records the data
edits and the user (or verification's arms) trains on ``prepare_arrays(edits, x, y)``:

- ``shuffle_rows``: rows of ``x`` and ``y`` in one seeded random order (the same
  permutation for both), so ``validation_split``'s tail holds every class;
- ``rescale_targets``: ``y`` mapped from its observed ``(low, high)`` onto ``[0, 1]``
  (apply it to held-out labels too: they are in the same unit).

``true_division`` needs the script's own integer division, which arrays no longer
show: it stays a suggestion (:data:`LIVE_DATA_OPS` leaves it out).
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .edits import ChangeData

#: ChangeData ops that can be applied to the arrays themselves.
LIVE_DATA_OPS = ("shuffle_rows", "rescale_targets")


def applies_to_arrays(edit: Any) -> bool:
    """Whether ``edit`` is a data edit :func:`prepare_arrays` can apply."""
    return isinstance(edit, ChangeData) and edit.op in LIVE_DATA_OPS


def prepare_arrays(edits: Iterable[ChangeData], x: Any, y: Any) -> tuple[Any, Any]:
    """``(x, y)`` after ``edits``, in order; the inputs are not modified."""
    for edit in edits:
        if edit.op == "shuffle_rows":
            x, y = _shuffled(x, y, int(edit.value or 0))
        elif edit.op == "rescale_targets":
            y = _rescaled(y, *edit.value)
        else:
            raise ValueError(f"the data edit {edit.op!r} cannot be applied to arrays: change the code that makes them")
    return x, y


def describe(edits: Iterable[ChangeData]) -> str:
    """``"shuffle the rows (seed 0), then rescale the targets from 0..255 onto [0, 1]"``."""
    words = []
    for edit in edits:
        if edit.op == "shuffle_rows":
            words.append(f"shuffle the rows of x and y together (seed {edit.value or 0})")
        elif edit.op == "rescale_targets":
            low, high = edit.value
            words.append(f"rescale the targets from {low:g}..{high:g} onto [0, 1]")
    return ", then ".join(words)


def _shuffled(x: Any, y: Any, seed: int) -> tuple[Any, Any]:
    xa, ya = np.asarray(x), np.asarray(y)
    if len(xa) != len(ya):
        raise ValueError(f"x and y have different numbers of rows ({len(xa)} vs {len(ya)}): cannot shuffle them")
    order = np.random.default_rng(seed).permutation(len(xa))
    return xa[order], ya[order]


def _rescaled(y: Any, low: float, high: float) -> np.ndarray:
    if not high > low:
        raise ValueError(f"the targets' range {low:g}..{high:g} cannot be mapped onto [0, 1]")
    return ((np.asarray(y, dtype="float64") - low) / (high - low)).astype("float32")


__all__ = ["LIVE_DATA_OPS", "applies_to_arrays", "describe", "prepare_arrays"]
