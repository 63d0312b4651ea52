"""What a library call (numpy, ``np.random``, Keras datasets and utils, ``train_test_split``) or an
array method (``astype``, ``reshape``, reductions) returns, given evaluated arguments.

Each function returns an abstract value, :data:`~.data_objects.TOP` when the call is not one
it knows.  ``note`` is the interpreter's record of arguments that may meet a prediction.
"""

from __future__ import annotations

import ast
from typing import Any, Callable

import numpy as np

from . import data_calls
from .data_objects import TOP, Ref, Rng
from .data_values import Arr, Split, astype, kind_name, matmul
from .names import keras_path
from .text import SourceText

#: numpy functions that build an array from a sequence of items.
_SEQUENCE_READERS = ("array", "asarray", "stack", "column_stack", "fromiter")
_REDUCTIONS = ("sum", "mean", "max", "min", "std", "var", "argmax", "argmin")


def rng_call(method: str, args: list, kw: dict, line: int) -> Any:
    """A draw from a numpy generator (``seed`` returns None)."""
    if method == "seed":
        return None
    value = data_calls.rng_draw(method, args, kw, line)
    return value if value is not None else TOP


def array_method(value: Arr, method: str, args: list, kw: dict, line: int) -> Any:
    """``value.method(*args, **kw)``."""
    if method == "astype" and args:
        kind = kind_name(args[0].path if isinstance(args[0], Ref) else args[0])
        return astype(value, kind) if kind else TOP
    if method in ("reshape", "flatten", "ravel", "squeeze", "copy", "transpose"):
        replay = None
        if value.replay is not None:
            shape = tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else tuple(args)
            try:
                replay = getattr(value.replay, method)(*([shape] if method == "reshape" else []))
            except Exception:
                replay = None
        shape = replay.shape if replay is not None else _reshaped(value.shape, method, args)
        rows_kept = method != "transpose" and bool(shape) and bool(value.shape) and shape[0] == value.shape[0]
        return value.but(replay=replay, shape=shape, onehot=value.onehot if method == "copy" else None,
                         order=value.order if rows_kept else None, index=value.index and rows_kept)
    if method in (*_REDUCTIONS, "cumsum"):
        return _reduce(value, method, args, kw)
    if method in ("clip",):
        return data_calls.numpy_call("clip", [value, *args], kw, line) or TOP
    return TOP


def library(path: str, args: list, kw: dict, node: ast.Call, text: SourceText,
            note: Callable[[list], None]) -> Any:
    """The call of the library function at dotted ``path``."""
    line = node.lineno
    if path.startswith("numpy.random."):
        name = path[len("numpy.random."):]
        if name in ("default_rng", "RandomState", "Generator"):
            return Rng()
        return rng_call(name, args, kw, line)
    if path.startswith("numpy."):
        return _numpy(path[len("numpy."):], args, kw, node, text, note)
    keras = keras_path(path + ".")
    keras = keras[:-1] if keras else None
    if keras and keras.startswith("datasets.") and keras.endswith(".load_data"):
        return data_calls.load_data(keras.split(".")[1], line) or TOP
    if keras in ("utils.to_categorical", "utils.np_utils.to_categorical") or path.endswith("np_utils.to_categorical"):
        labels = args[0] if args else kw.get("y", TOP)
        classes = args[1] if len(args) > 1 else kw.get("num_classes")
        return data_calls.to_categorical(labels, classes, line) or TOP
    if path.endswith("train_test_split") and args and all(isinstance(a, Arr) for a in args):
        out = []
        for position, value in enumerate(args):
            for part in ("train", "test"):
                out.append(value.but(split=Split(("tts", line, position), part, made=line), shape=None, replay=None,
                                     lines=value.lines + (line,)))
        return out
    note(args)
    return TOP


def _numpy(name: str, args: list, kw: dict, node: ast.Call, text: SourceText, note: Callable[[list], None]) -> Any:
    line = node.lineno
    if name in ("concatenate", "vstack", "row_stack") and args and isinstance(args[0], (list, tuple)):
        return data_calls.concatenate(list(args[0]), kw.get("axis", 0) if name == "concatenate" else 0,
                                      line) or TOP
    if name == "digitize" and len(args) >= 2:
        return data_calls.digitize(args[0], args[1]) or TOP
    if name in ("quantile", "percentile") and len(args) >= 2:
        return data_calls.quantile(args[0], args[1]) or TOP
    if name in _REDUCTIONS and args and isinstance(args[0], Arr):
        return _reduce(args[0], name, args[1:], kw)
    if name in ("sort", "argsort") and args and isinstance(args[0], Arr):
        return _sorted(args[0], name, kw)
    if name in ("repeat", "tile") and len(args) >= 2:
        return data_calls.repeat(name, args[0], args[1], data_calls.arg(args, kw, 2, "axis"), line) or TOP
    if name in data_calls.SET_ROUTINES:
        return data_calls.set_routine(name, args, kw, line) or TOP
    if name in ("matmul", "dot") and len(args) == 2 and all(
            isinstance(a, Arr) and a.shape is not None and 1 <= len(a.shape) <= (2 if name == "dot" else 32)
            for a in args):
        return matmul(*args)
    if name in _SEQUENCE_READERS and args and isinstance(args[0], (list, tuple, data_calls.Seq, data_calls.Gen)):
        return _sequence(name, args, kw, line)
    note(args)
    value = data_calls.numpy_call(name, args, kw, line)
    if isinstance(value, Arr) and args and isinstance(args[0], Arr) and args[0].split is not None and \
            name in ("log", "log1p", "sqrt", "exp", "tanh", "clip"):
        plain_call = isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords
        form = f"{text.segment(node.func)}({{}})" if plain_call else None
        value = value.but(split=args[0].split.then((name,), form, line, text.segment(node)))
    elif isinstance(value, Arr) and args and isinstance(args[0], Arr) and name in (
            "asarray", "array", "copy", "float32", "float64", "int32", "int64", "uint8"):
        value = value.but(split=args[0].split, pieces=args[0].pieces)
    return value if value is not None else TOP


def _sequence(name: str, args: list, kw: dict, line: int) -> Any:
    """``np.array``/``np.stack``/``np.column_stack``/``np.fromiter`` of a list, a comprehension or a generator."""
    items = args[0]
    dtype = data_calls.arg(args, kw, 1, "dtype") if name in ("array", "asarray", "fromiter") else None
    dtype = dtype.path if isinstance(dtype, Ref) else dtype
    if isinstance(items, data_calls.Gen):
        if name != "fromiter":
            return TOP  # ``np.array(generator)`` is a 0-d object array, ``np.stack`` refuses one
        items = items.take()
    if name == "fromiter":
        if dtype is None or any(isinstance(v, Arr) and v.shape != () for v in (
                [items.item] if isinstance(items, data_calls.Seq) else items)):
            return TOP
    if name == "column_stack":
        return data_calls.column_stack(items, line) or TOP
    axis = data_calls.arg(args, kw, 1, "axis", 0) if name == "stack" else 0
    return data_calls.stack(items, axis, dtype, line) or TOP


def _reshaped(shape: tuple | None, method: str, args: list) -> tuple | None:
    if shape is None:
        return None
    size = 1
    for dim in shape:
        size *= dim
    if method in ("flatten", "ravel"):
        return (size,)
    if method == "copy":
        return shape
    if method == "reshape":
        dims = tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else tuple(args)
        if not all(isinstance(d, int) for d in dims) or not dims:
            return None
        known = 1
        for d in dims:
            known *= d if d != -1 else 1
        if dims.count(-1) == 1 and known and size % known == 0:
            dims = tuple(size // known if d == -1 else d for d in dims)
        return dims if -1 not in dims else None
    return None


def _reduce(value: Arr, name: str, args: list, kw: dict) -> Arr:
    axis = kw.get("axis", args[0] if args else None)
    replay = None
    if value.replay is not None and (axis is None or isinstance(axis, int)):
        try:
            replay = getattr(value.replay, name)(axis=axis)
        except Exception:
            replay = None
        replay = replay if replay is None or isinstance(replay, np.ndarray) else np.asarray(replay)
    shape = replay.shape if replay is not None else None
    # across columns (axis >= 1 of a 2-D or wider array) the rows keep their order
    order = value.order if isinstance(axis, int) and not isinstance(axis, bool) and value.shape and len(
        value.shape) >= 2 and axis % len(value.shape) != 0 else None
    if name in ("argmax", "argmin"):
        top = (value.shape[axis] - 1) if value.shape and isinstance(axis, int) else float("inf")
        return Arr(0.0, float(top), "int", True, shape, replay, value.random, lines=value.lines, order=order)
    if name in ("mean", "max", "min"):
        return value.but(replay=replay, shape=shape, integral=value.integral and name != "mean", split=None,
                         pieces=None, onehot=None, reach=None, order=order, index=False)
    return Arr(kind="float", shape=shape, replay=replay, random=value.random, lines=value.lines,
               lo=0.0 if name in ("std", "var") or value.lo >= 0 else float("-inf"), order=order)


def _sorted(value: Arr, name: str, kw: dict) -> Arr:
    replay = None
    if value.replay is not None:
        try:
            replay = getattr(np, name)(value.replay, axis=kw.get("axis", -1), kind=kw.get("kind"))
        except Exception:
            replay = None
    if name == "argsort":
        top = float(value.shape[-1] - 1) if value.shape else float("inf")
        return Arr(0.0, top, "int", True, value.shape, replay, value.random, lines=value.lines)
    return value.but(replay=replay, split=None, pieces=None, order=None, index=False)
