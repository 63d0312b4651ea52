"""Indexing an abstract array: ``a[idx]`` read (rows, columns, splits) and ``a[idx] = v`` written."""

from __future__ import annotations

import ast
from typing import Any

from .data_values import Arr, Split, concat_pieces
from .text import SourceText


class Bound:
    """A slice bound the interpreter cannot compute (``x[:n]`` with ``n`` opaque): its source text."""

    def __init__(self, value: Any, node: ast.Slice):
        self.key = ("bound", ast.dump(node.upper if node.upper is not None else node.lower))


def replay_index(index: Any) -> Any:
    """``index`` as numpy can apply it to a replay (ValueError when part of it is opaque)."""
    if isinstance(index, tuple):
        return tuple(replay_index(i) for i in index)
    if isinstance(index, Arr):
        if index.replay is None:
            raise ValueError("no replay")
        return index.replay
    if isinstance(index, slice):
        if any(isinstance(p, Bound) for p in (index.start, index.stop, index.step)):
            raise ValueError("opaque bound")
        return index
    if isinstance(index, (int, type(None), type(Ellipsis))):
        return index
    raise ValueError("opaque index")


def index_shape(shape: tuple | None, index: Any) -> tuple | None:
    """The shape of ``a[index]`` from ``a``'s shape alone (slices, ints, integer arrays of known shape)."""
    if shape is None:
        return None
    import numpy as np

    def fake(i: Any) -> Any:
        if isinstance(i, Arr):
            if i.kind == "bool" or i.shape is None:
                raise ValueError("mask")
            return np.zeros(i.shape, dtype=np.intp)
        return replay_index(i)

    try:
        parts = tuple(fake(i) for i in index) if isinstance(index, tuple) else fake(index)
        return np.lib.stride_tricks.as_strided(np.zeros(1), shape=shape, strides=(0,) * len(shape))[parts].shape
    except Exception:
        return None


def item(value: Arr, idx: Any, node: ast.expr, text: SourceText) -> Arr:
    """``a[idx]``: the elements keep their interval; ``a[:n]``/``a[n:]`` are the two parts of a split."""
    rows = idx[0] if isinstance(idx, tuple) and idx else idx
    replay = None
    if value.replay is not None:
        try:
            replay = value.replay[replay_index(idx)]
        except Exception:
            replay = None
    shape = replay.shape if replay is not None else index_shape(value.shape, idx)
    onehot = value.onehot
    if isinstance(idx, int) or isinstance(idx, tuple) and len(idx) > 1 and not (
            isinstance(idx[1], slice) and idx[1] == slice(None)):
        onehot = None  # a column (or element) of one-hot rows is not one-hot
    result = value.but(replay=replay, shape=shape, onehot=onehot, lines=value.lines + (node.lineno,),
                       random=value.random or isinstance(idx, Arr) and idx.random)
    result = result.but(order=_rows_order(value, rows, idx), index=value.index and isinstance(rows, Arr) and rows.index)
    if isinstance(idx, Arr) and value.onehot and value.shape == (value.onehot, value.onehot):
        result = result.but(shape=(*idx.shape, value.onehot) if idx.shape is not None else None,
                            split=idx.split, order=idx.order)  # ``np.eye(k)[labels]``: one-hot labels
    if isinstance(rows, slice) and rows.step is None and (rows.start is None) != (rows.stop is None):
        bound = rows.stop if rows.start is None else rows.start
        part = "train" if rows.start is None else "test"
        key = bound.key if isinstance(bound, Bound) else bound
        segment = text.segment(node) if isinstance(node, ast.Subscript) else ""
        piece = concat_pieces(value, key, part)
        result = result.but(split=piece or Split(("rows", id(value), key), part, (), None, segment,
                                                 at=text.origin(node) if segment else None, made=node.lineno),
                            pieces=None)
    return result


def _rows_order(value: Arr, rows: Any, idx: Any) -> tuple | None:
    """The row order of ``value[idx]``: kept by a slice of rows (or of columns only), followed by a
    reordering index (``x[perm]``), unknown otherwise (a mask, a single row, other integer arrays)."""
    if value.order is None:
        return None
    if isinstance(rows, slice) and rows.step is None:
        return value.order
    if isinstance(rows, Arr) and rows.index and (not isinstance(idx, tuple) or all(
            isinstance(i, slice) and i == slice(None) for i in idx[1:])):
        return value.order + rows.order if rows.order is not None else None
    return None


def stored(old: Arr, idx: Any, new: Arr) -> Arr:
    """``old`` after ``old[idx] = new``: it keeps its rows, some of them change."""
    replay = None
    if old.replay is not None and new.replay is not None:
        try:
            replay = old.replay.copy()
            replay[replay_index(idx)] = new.replay
        except Exception:
            replay = None
    lo, hi = min(old.lo, new.lo), max(old.hi, new.hi)
    if old.kind == "uint8" and (lo < 0 or hi > 255):
        lo, hi = 0.0, 255.0
    return old.but(lo=lo, hi=hi, replay=replay, reach=None, hi_open=False, onehot=None,
                   integral=old.integral and (new.integral or old.kind != "float"),
                   random=old.random or new.random, lines=old.lines + new.lines)
