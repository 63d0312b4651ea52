"""List comprehensions and generator expressions in the data interpreter.

``[e for v in it if c]`` over a sequence the interpreter knows (a ``range`` of literal
bounds, a tuple or list, the rows of an array of known shape) is enumerated item by
item when it has at most :data:`MAX_UNROLL` items: the result is the list of each
item's value, replays included.  A longer ``range`` or array (single ``for``, no
``if``) is read once with one abstract item standing for all (its interval and dtype):
a :class:`~.data_calls.Seq` with no replay.  Anything else is opaque.  A generator
expression gives the same items wrapped in a :class:`~.data_calls.Gen`.
"""

from __future__ import annotations

import ast
from collections import ChainMap
from typing import Any

import numpy as np

from . import data_index
from .data_calls import Gen, Seq
from .data_objects import TOP, Ref, plain
from .data_values import ELEMENTWISE, Arr, scalar

#: Items a comprehension is enumerated over one by one (longer ones get one abstract item).
MAX_UNROLL = 64


def evaluate(interp: Any, node: ast.ListComp | ast.GeneratorExp, env: dict) -> Any:
    """The value of the comprehension ``node`` (TOP when its items are not known)."""
    source = interp.eval(node.generators[0].iter, env)  # once: later ones per item of the first
    out: list = []
    if _enumerate(interp, node, 0, source, env, out):
        items: Any = out
    else:
        items = _abstract(interp, node, source, env)
        if items is None:
            _touch(interp, node, env)
            return TOP
    return Gen(items) if isinstance(node, ast.GeneratorExp) else items


def _enumerate(interp: Any, node: Any, level: int, source: Any, env: Any, out: list) -> bool:
    generator = node.generators[level]
    items = None if generator.is_async else _items(interp, source, generator.iter)
    if items is None or len(items) > MAX_UNROLL:
        return False
    for item in items:
        local = ChainMap({}, env)
        _bind(generator.target, item, local)
        tests = [interp.eval(test, local) for test in generator.ifs]
        if not all(isinstance(t, bool) for t in tests):
            return False  # an item kept or not by a value the interpreter cannot decide
        if not all(tests):
            continue
        if level + 1 < len(node.generators):
            inner = interp.eval(node.generators[level + 1].iter, local)
            if not _enumerate(interp, node, level + 1, inner, local, out):
                return False
        else:
            out.append(interp.eval(node.elt, local))
            if len(out) > MAX_UNROLL:
                return False
    return True


def _items(interp: Any, value: Any, node: ast.expr) -> list | None:
    """The items of an iterable the interpreter knows, in order (None otherwise)."""
    if isinstance(value, range):
        return list(value) if len(value) <= MAX_UNROLL else None
    if isinstance(value, (tuple, list)):
        return list(value)
    if isinstance(value, Gen) and isinstance(value.items, list) and len(value.items) <= MAX_UNROLL:
        return value.take()
    if isinstance(value, Arr) and value.shape and value.shape[0] <= MAX_UNROLL and not value.prediction:
        return [data_index.item(value, index, node, interp.text) for index in range(value.shape[0])]
    return None


def _abstract(interp: Any, node: Any, source: Any, env: dict) -> Seq | None:
    """One item standing for all the items of a long ``range`` or array (no replay)."""
    if len(node.generators) != 1 or node.generators[0].ifs or node.generators[0].is_async:
        return None
    if isinstance(source, range) and len(source):
        item: Any = Arr(float(min(source[0], source[-1])), float(max(source[0], source[-1])), "int", True, ())
        count = len(source)
    elif isinstance(source, Arr) and source.shape and not source.prediction:
        item = source.but(shape=source.shape[1:], replay=None, reach=None, onehot=None, split=None, pieces=None)
        count = source.shape[0]
    elif isinstance(source, Seq):
        item, count = source.item, source.count
    else:
        return None
    local = ChainMap({}, env)
    target = node.generators[0].target
    _bind(target, item, local)
    value = interp.eval(node.elt, local)
    if plain(value):
        value = scalar(value)
    if not isinstance(value, Arr):
        return None
    return Seq(value.but(replay=None), count, _vector_replay(interp, node, source, env, count))


def _vector_replay(interp: Any, node: Any, source: Any, env: dict, count: int) -> Any:
    """The items' replay computed at once: the item is an elementwise expression of one number of a
    1-D source (``255.0 if v > 0 else 0.0``, ``np.log1p(v) * 2``), so binding the loop name to the
    whole source gives each item's value in its place."""
    target = node.generators[0].target
    if not isinstance(target, ast.Name):
        return None
    if isinstance(source, range):
        whole = Arr(float(min(source[0], source[-1])), float(max(source[0], source[-1])), "int", True, (count,),
                    np.arange(source.start, source.stop, source.step))
    elif isinstance(source, Arr) and source.shape is not None and len(source.shape) == 1 and source.replay is not None:
        whole = source
    else:
        return None
    local = ChainMap({}, env)
    local[target.id] = whole
    if not _elementwise(interp, node.elt, target.id, local):
        return None
    value = interp.eval(node.elt, local)
    replay = value.replay if isinstance(value, Arr) else None
    return replay if replay is not None and replay.shape == (count,) else None


def _elementwise(interp: Any, node: ast.expr, name: str, env: Any) -> bool:
    """``node`` computes each number from ``name`` alone: arithmetic, comparisons, ``a if c else b``,
    numbers and ``np.<elementwise>(...)`` calls; other names are plain numbers."""
    for sub in ast.walk(node):
        if isinstance(sub, (ast.expr_context, ast.operator, ast.cmpop, ast.unaryop, ast.Constant, ast.BinOp,
                            ast.UnaryOp, ast.IfExp)):
            continue
        if isinstance(sub, ast.Compare) and len(sub.ops) == 1:
            continue
        if isinstance(sub, ast.Name):
            if sub.id != name and not plain(interp.eval(sub, env)) and not _callee(sub, node):
                return False
        elif isinstance(sub, ast.Call):
            func = interp.eval(sub.func, env)
            if not (isinstance(func, Ref) and func.path.startswith("numpy.") and func.path[6:] in ELEMENTWISE
                    and len(sub.args) == 1 and not sub.keywords):
                return False
        elif not (isinstance(sub, ast.Attribute) and _callee(sub, node)):
            return False
    return True


def _callee(part: ast.expr, tree: ast.expr) -> bool:
    """``part`` is (the root of) the function a call in ``tree`` names (``np`` in ``np.exp(v)``)."""
    for call in ast.walk(tree):
        if isinstance(call, ast.Call):
            func = call.func
            while isinstance(func, ast.Attribute) and func is not part:
                func = func.value
            if func is part:
                return True
    return False


def _touch(interp: Any, node: Any, env: dict) -> None:
    """An opaque comprehension's parts read once with opaque items: calls inside still count
    (``[rows.append(v) for v in load()]`` changes ``rows``)."""
    local = ChainMap({}, env)
    for index, generator in enumerate(node.generators):
        if index:
            interp.eval(generator.iter, local)
        _bind(generator.target, TOP, local)
        for test in generator.ifs:
            interp.eval(test, local)
    interp.eval(node.elt, local)


def _bind(target: ast.expr, value: Any, env: Any) -> None:
    """The loop target bound to one item (a tuple target unpacks a tuple or list item)."""
    if isinstance(target, ast.Name):
        env[target.id] = value
    elif isinstance(target, (ast.Tuple, ast.List)):
        parts = value if isinstance(value, (tuple, list)) and len(value) == len(target.elts) else None
        for index, element in enumerate(target.elts):
            _bind(element, parts[index] if parts is not None else TOP, env)
    else:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                env[sub.id] = TOP
