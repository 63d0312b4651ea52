"""What the numpy, RNG and Keras data calls of a script produce, as :class:`~.data_values.Arr`.

Each function takes evaluated arguments (``args``: positional values, ``kw``: keywords)
and returns an abstract value, or None when the call is not one it knows (the
interpreter then treats the result as opaque).  Replays are drawn from the
interpreter's own generator, never from the script's seed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .data_values import (ELEMENTWISE, INF, MAX_REPLAY, Arr, Perm, Split, astype, clip, kind_name, make, merge_lines,
                          reordered, replay_op, scalar, unary)

#: The generator random replays draw from; :func:`reset_draws` restarts it for each script, so a
#: script's replayed values depend on that script alone (not on the files checked before it).
_SEED = 20240607
_DRAW = np.random.default_rng(_SEED)


def reset_draws() -> None:
    """Restart the replay generator (at the start of each script's data interpretation)."""
    global _DRAW
    _DRAW = np.random.default_rng(_SEED)


def _size(value: Any) -> tuple | None:
    """A ``size=``/shape argument as a tuple of ints (None when not literal)."""
    if value is None:
        return ()
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value,)
    if isinstance(value, (tuple, list)) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return tuple(value)
    return None


def _num(value: Any) -> float | None:
    if isinstance(value, Arr) and value.shape == () and value.lo == value.hi:
        return value.lo
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _draw(shape: tuple, fn) -> Any:
    return fn(shape) if math.prod(shape) <= MAX_REPLAY else None


def arg(args: list, kw: dict, index: int, name: str, default: Any = None) -> Any:
    """Argument ``name`` of a call, by keyword or at position ``index``."""
    if name in kw:
        return kw[name]
    return args[index] if len(args) > index else default


def rng_draw(method: str, args: list, kw: dict, line: int, perm: Perm | None = None) -> Arr | None:
    """``rng.<method>(...)`` of a ``default_rng`` generator or the legacy ``np.random`` module; ``perm``
    names the reordering a ``permutation`` draw makes."""
    if method in ("normal", "standard_normal", "randn"):
        if method == "randn":
            shape = _size(tuple(args)) if args else ()
            loc, scale = 0.0, 1.0
        else:
            loc = _num(arg(args, kw, 0, "loc", 0.0)) if method == "normal" else 0.0
            scale = _num(arg(args, kw, 1, "scale", 1.0)) if method == "normal" else 1.0
            shape = _size(arg(args, kw, 2 if method == "normal" else 0, "size"))
        if loc is None or scale is None or shape is None:
            return None
        return make(-INF, INF, "float", shape, _draw(shape, lambda s: _DRAW.normal(loc, scale, s)),
                    line=line, random=True)
    if method in ("uniform", "random", "rand", "random_sample", "sample"):
        if method == "uniform":
            low, high = _num(arg(args, kw, 0, "low", 0.0)), _num(arg(args, kw, 1, "high", 1.0))
            shape = _size(arg(args, kw, 2, "size"))
        else:
            low, high = 0.0, 1.0
            shape = _size(tuple(args)) if method == "rand" else _size(arg(args, kw, 0, "size"))
        if low is None or high is None or shape is None:
            return None
        return make(min(low, high), max(low, high), "float", shape,
                    _draw(shape, lambda s: _DRAW.uniform(low, high, s)), line=line, random=True, hi_open=True)
    if method in ("integers", "randint"):
        low, high = _num(arg(args, kw, 0, "low")), arg(args, kw, 1, "high")
        shape = _size(arg(args, kw, 2, "size"))
        high = _num(high) if high is not None else None
        if low is None or shape is None:
            return None
        if high is None:
            low, high = 0.0, low
        top = high if kw.get("endpoint") is True else high - 1
        if top < low:
            return None
        return make(low, top, "int", shape, _draw(shape, lambda s: _DRAW.integers(low, top, s, endpoint=True)),
                    line=line, random=True)
    if method == "choice":
        population, shape = arg(args, kw, 0, "a"), _size(arg(args, kw, 1, "size"))
        if isinstance(population, int) and shape is not None and population > 0:
            p = kw.get("p")
            weights = np.asarray(p, float) if isinstance(p, (list, tuple)) and len(p) == population else None
            return make(0, population - 1, "int", shape,
                        _draw(shape, lambda s: _DRAW.choice(population, s, p=weights)), line=line, random=True)
        return None
    if method == "permutation":
        count = arg(args, kw, 0, "x")
        if isinstance(count, int) and count > 0:
            index = make(0, count - 1, "int", (count,), _draw((count,), lambda s: _DRAW.permutation(s[0])),
                         line=line, random=True)
            return index.but(order=(perm,), index=True) if perm is not None else index.but(order=None)
        if isinstance(count, Arr):  # the rows in a new order: same values, replay reordered
            return shuffled(count, perm)
    return None


def shuffled(value: Arr, perm: Perm | None) -> Arr:
    """``rng.shuffle(a)`` (in place) / ``rng.permutation(a)``: the rows in the new order ``perm``
    (an unknown order without it)."""
    value = value.but(replay=replay_op(_DRAW.permutation, value.replay), random=True)
    return reordered(value, perm) if perm is not None else value.but(order=None)


#: ``keras.datasets.<name>.load_data()``, from the Keras API documentation
#: (keras.io/api/datasets): shapes of (x_train, y_train, x_test, y_test), pixel or feature
#: range, label kind and class count.  ``reach``: the documented range the data attains.
DATASETS: dict[str, dict[str, Any]] = {
    # "60,000 28x28 grayscale images of the 10 digits", uint8 arrays, digit labels 0-9
    "mnist": dict(x=((60000, 28, 28), (10000, 28, 28)), y=((60000,), (10000,)), x_range=(0, 255), x_kind="uint8",
                  classes=10),
    # "60,000 28x28 grayscale images of 10 fashion categories", uint8, labels 0-9
    "fashion_mnist": dict(x=((60000, 28, 28), (10000, 28, 28)), y=((60000,), (10000,)), x_range=(0, 255),
                          x_kind="uint8", classes=10),
    # "50,000 32x32 color training images", uint8 RGB, labels (num_samples, 1) in 0-9
    "cifar10": dict(x=((50000, 32, 32, 3), (10000, 32, 32, 3)), y=((50000, 1), (10000, 1)), x_range=(0, 255),
                    x_kind="uint8", classes=10),
    # same images, 100 fine classes (labels 0-99) by default
    "cifar100": dict(x=((50000, 32, 32, 3), (10000, 32, 32, 3)), y=((50000, 1), (10000, 1)), x_range=(0, 255),
                     x_kind="uint8", classes=100),
    # "25,000 movies reviews ... labeled by sentiment (positive/negative)": x are lists of word indices
    "imdb": dict(x=None, y=((25000,), (25000,)), classes=2),
    # "11,228 newswires from Reuters, labeled over 46 topics": x are lists of word indices
    "reuters": dict(x=None, y=None, classes=46),
    # "Targets: float scalars, typically between 10 and 50 that represent the home prices in k$" (13 features)
    "boston_housing": dict(x=((404, 13), (102, 13)), y=((404,), (102,)), y_range=(10.0, 50.0)),
    # "the median house value for California districts, in dollars" (8 features); values of 1e5 and more occur
    "california_housing": dict(x=None, y=None, y_range=(None, 100000.0)),
}


def load_data(name: str, line: int) -> tuple | None:
    """``(x_train, y_train), (x_test, y_test)`` of a Keras dataset, each part tagged with its split."""
    facts = DATASETS.get(name)
    if facts is None:
        return None
    parts = []
    for index, part in enumerate(("train", "test")):
        x = y = None
        if facts.get("x") is not None:
            low, high = facts.get("x_range", (-INF, INF))
            x = make(low, high, facts.get("x_kind", "float"), facts["x"][index], line=line,
                     reach=(low, high) if "x_range" in facts else None)
        classes = facts.get("classes")
        y_shape = facts["y"][index] if facts.get("y") else None
        if classes:
            y = make(0, classes - 1, "int", y_shape, line=line, reach=(0, classes - 1))
        elif "y_range" in facts:
            low, high = facts["y_range"]
            y = make(0 if low is None else low, INF, "float", y_shape, line=line,
                     reach=(low if low is not None else INF, high))
        tagged = [v.but(split=Split(("load", name, line, role), part, made=line)) if v is not None else None
                  for role, v in (("x", x), ("y", y))]
        parts.append(tuple(tagged))
    return tuple(parts)


def to_categorical(labels: Any, classes: Any, line: int) -> Arr | None:
    """``to_categorical(y, k)``: one-hot rows of ``k`` columns (``k`` from the labels when not given)."""
    if not isinstance(labels, Arr):
        return None
    count = classes if isinstance(classes, int) else (int(labels.hi) + 1 if labels.integral and math.isfinite(
        labels.hi) and classes is None and labels.lo >= 0 else None)
    if count is None:  # one-hot rows of an unknown width, in the labels' row order
        return Arr(0.0, 1.0, "float", True, None, lines=merge_lines(labels) + (line,), order=labels.order) \
            if labels.integral and labels.lo >= 0 else None
    shape = labels.shape
    if shape is not None and len(shape) >= 2 and shape[-1] == 1:
        shape = shape[:-1]
    replay = replay_op(lambda v: np.eye(count, dtype="float32")[v.reshape(v.shape[:1] or (1,)).astype(int)]
                       if v.ndim <= 1 or v.shape[-1] == 1 else None, labels.replay)
    return Arr(0.0, 1.0, "float", True, (*shape, count) if shape is not None else None, replay, labels.random,
               onehot=count, lines=merge_lines(labels) + (line,), split=labels.split, order=labels.order)


def numpy_call(name: str, args: list, kw: dict, line: int) -> Any:
    """``np.<name>(...)`` for the array constructors and elementwise functions the interpreter knows."""
    if name in ("zeros", "ones", "empty", "full", "zeros_like", "ones_like"):
        if name.endswith("_like"):
            base = args[0] if args else None
            shape = base.shape if isinstance(base, Arr) else None
        else:
            shape = _size(arg(args, kw, 0, "shape"))
        fill = 0.0 if name.startswith("zeros") else 1.0 if name.startswith("ones") else _num(arg(args, kw, 1, "fill_value"))
        if shape is None or fill is None or name == "empty":
            return None
        kind = kind_name(kw.get("dtype", "float")) or "float"
        return make(fill, fill, kind, shape, _draw(shape, lambda s: np.full(s, fill)), line=line,
                    reach=(fill, fill)).but(integral=float(fill).is_integer())
    if name in ("arange", "linspace"):
        numbers = [_num(a) for a in args]
        if not numbers or any(n is None for n in numbers):
            return None
        if name == "arange" and all(isinstance(a, int) and not isinstance(a, bool) for a in args):
            numbers = list(args)  # integer bounds give an integer range
        values = np.arange(*numbers) if name == "arange" else np.linspace(*numbers[:2], int(numbers[2]) if len(
            numbers) > 2 else int(_num(kw.get("num", 50)) or 50))
        if values.size == 0 or values.size > MAX_REPLAY:
            return None
        kind = "int" if values.dtype.kind == "i" else "float"
        return make(values.min(), values.max(), kind, values.shape, values, line=line,
                    reach=(float(values.min()), float(values.max()))).but(
            integral=bool(np.all(values == np.round(values))), index=name == "arange" and len(args) == 1)
    if name == "eye" and isinstance(arg(args, kw, 0, "N"), int):
        count = args[0]
        return make(0, 1, "float", (count, count), np.eye(count), line=line).but(integral=True, onehot=count)
    if name in ("clip",) and args and isinstance(args[0], Arr):
        low, high = _num(arg(args, kw, 1, "a_min")), _num(arg(args, kw, 2, "a_max"))
        return clip(args[0], low, high)
    if args and isinstance(args[0], Arr) and not kw.get("out"):
        if name in ("asarray", "array", "copy", "float32", "float64", "int32", "int64", "uint8", "ascontiguousarray"):
            kind = kind_name(kw.get("dtype", name if name not in ("asarray", "array", "copy", "ascontiguousarray") else ""))
            return astype(args[0], kind) if kind else args[0]
        return unary(name, args[0])
    if len(args) == 1 and not kw and _num(args[0]) is not None and name in ELEMENTWISE:  # ``np.sqrt(10)``
        return unary(name, scalar(args[0]))
    return None


def concatenate(parts: list, axis: Any, line: int) -> Arr | None:
    """``np.concatenate([a, b, ...])`` along rows: the hull of the parts, split pieces kept."""
    if not parts or not all(isinstance(p, Arr) for p in parts) or axis not in (0, None):
        return None
    lo, hi = min(p.lo for p in parts), max(p.hi for p in parts)
    kinds = {p.kind for p in parts}
    kind = kinds.pop() if len(kinds) == 1 else "float" if "float" in kinds else "int"
    shapes = [p.shape for p in parts]
    shape = None
    if all(s for s in shapes) and len({s[1:] for s in shapes}) == 1:
        shape = (sum(s[0] for s in shapes), *shapes[0][1:])
    replay = replay_op(lambda *r: np.concatenate(r), *[p.replay for p in parts])
    pieces = None
    splits = [p.split for p in parts]
    if len(parts) == 2 and all(splits) and splits[0].source == splits[1].source and \
            (splits[0].part, splits[1].part) == ("train", "test"):
        pieces = (splits[0].source, {"train": splits[0], "test": splits[1]})
    return Arr(lo, hi, kind, all(p.integral for p in parts), shape, replay, any(p.random for p in parts),
               lines=merge_lines(*parts) + (line,), pieces=pieces, onehot=parts[0].onehot if len(
                   {p.onehot for p in parts}) == 1 else None)


class Seq:
    """A sequence of ``count`` items the interpreter did not enumerate (a long comprehension), each
    within ``item``: what ``np.array``/``np.stack`` of it holds; ``replay``, when given, is the
    items' replay computed at once (an elementwise item of each number of a 1-D source)."""

    def __init__(self, item: Arr, count: int, replay: Any = None):
        self.item, self.count, self.replay = item, count, replay


class Gen:
    """A generator expression's items (a list, or a :class:`Seq`): ``list()``, ``tuple()`` and
    ``np.fromiter`` read it; ``np.array`` of it is an object scalar, not an array of the items."""

    def __init__(self, items: Any):
        self.items = items

    def take(self) -> Any:
        """The items, once: a generator read again is empty."""
        items, self.items = self.items, []
        return items


def _element(value: Any, line: int) -> Arr | None:
    if isinstance(value, Arr):
        return value
    if isinstance(value, (bool, int, float)):
        return scalar(value)
    return stack(value, 0, None, line) if isinstance(value, (list, tuple)) else None  # nested lists


def _joined_kind(kinds: set) -> str:
    if len(kinds) == 1:
        return next(iter(kinds))
    return "float" if "float" in kinds else "uint8" if kinds <= {"bool", "uint8"} else "int"


def stack(items: Any, axis: Any, dtype: Any, line: int) -> Arr | None:
    """``np.stack(items, axis)`` / ``np.array(items)`` of equal-shaped arrays or numbers (a new axis)."""
    if isinstance(items, Seq):
        parts, count = [items.item], items.count
    elif isinstance(items, (list, tuple)) and items:
        parts, count = [_element(v, line) for v in items], len(items)
    else:
        return None
    if not isinstance(axis, int) or isinstance(axis, bool) or any(p is None or p.shape is None for p in parts) or \
            len({p.shape for p in parts}) != 1:
        return None
    inner = parts[0].shape
    axis = axis + len(inner) + 1 if axis < 0 else axis
    if not 0 <= axis <= len(inner):
        return None
    replay = replay_op(lambda *r: np.stack(r, axis=axis), *[p.replay for p in parts]) if not isinstance(
        items, Seq) else items.replay if inner == () and items.replay is not None and \
        items.replay.shape == (count,) else None
    value = Arr(min(p.lo for p in parts), max(p.hi for p in parts), _joined_kind({p.kind for p in parts}),
                all(p.integral for p in parts), (*inner[:axis], count, *inner[axis:]), replay,
                any(p.random for p in parts), lines=merge_lines(*parts) + (line,),
                prediction=any(p.prediction for p in parts))
    kind = kind_name(dtype) if dtype is not None else None
    return astype(value, kind) if kind else value if dtype is None else None


def column_stack(items: Any, line: int) -> Arr | None:
    """``np.column_stack(items)``: 1-D items become the columns (2-D ones are joined side by side)."""
    parts = [_element(v, line) for v in items] if isinstance(items, (list, tuple)) and items else None
    if parts is None or any(p is None or p.shape is None for p in parts):
        return None
    if all(len(p.shape) == 1 for p in parts):
        return stack(parts, 1, None, line)
    if not all(len(p.shape) == 2 for p in parts) or len({p.shape[0] for p in parts}) != 1:
        return None
    replay = replay_op(lambda *r: np.column_stack(r), *[p.replay for p in parts])
    return Arr(min(p.lo for p in parts), max(p.hi for p in parts), _joined_kind({p.kind for p in parts}),
               all(p.integral for p in parts), (parts[0].shape[0], sum(p.shape[1] for p in parts)), replay,
               any(p.random for p in parts), lines=merge_lines(*parts) + (line,))


def repeat(name: str, values: Any, counts: Any, axis: Any, line: int) -> Arr | None:
    """``np.repeat(a, k)`` / ``np.tile(a, k)``: ``a``'s values, more rows."""
    base = values if isinstance(values, Arr) else stack(values, 0, None, line) if isinstance(
        values, (list, tuple)) and values else None
    plain_counts = isinstance(counts, int) and not isinstance(counts, bool) or isinstance(counts, (list, tuple)) and \
        all(isinstance(c, int) and not isinstance(c, bool) for c in counts)
    reps = counts if plain_counts else counts.replay if isinstance(counts, Arr) and counts.integral else None
    if base is None or reps is None or not (axis is None or isinstance(axis, int)):
        return None
    extra = {"axis": axis} if name == "repeat" and axis is not None else {}
    replay = replay_op(lambda v: getattr(np, name)(v, reps, **extra), base.replay)
    random = base.random or isinstance(counts, Arr) and counts.random
    shape = replay.shape if replay is not None and not (isinstance(counts, Arr) and counts.random) else None
    return base.but(shape=shape, replay=replay, random=random, reach=None, split=None, pieces=None, onehot=None,
                    lines=base.lines + (line,), order=None, index=False)


#: numpy's set routines: sorted unique values of the first argument (``union1d``: of both).
SET_ROUTINES = {"unique": np.unique, "setdiff1d": np.setdiff1d, "intersect1d": np.intersect1d,
                "union1d": np.union1d}


def set_routine(name: str, args: list, kw: dict, line: int) -> Arr | None:
    """``np.setdiff1d(a, b)`` and its kin: a 1-D sorted array within ``a``'s values (``union1d``:
    within both); its length is known only from a replay of no random draw."""
    if kw or len(args) != (1 if name == "unique" else 2) or not all(isinstance(a, Arr) for a in args):
        return None
    first = args[0]
    within = list(args) if name == "union1d" else [first]
    replay = replay_op(SET_ROUTINES[name], *[a.replay for a in args])
    random = any(a.random for a in args)
    shape = replay.shape if replay is not None and not random else None
    return Arr(min(a.lo for a in within), max(a.hi for a in within), _joined_kind({a.kind for a in args}),
               all(a.integral for a in within), shape, replay, random, lines=merge_lines(*args) + (line,))


def digitize(values: Any, bins: Any) -> Arr | None:
    """``np.digitize(x, bins)`` with ``k`` bins: integers in 0..k."""
    count = len(bins) if isinstance(bins, (list, tuple)) else bins.shape[0] if isinstance(
        bins, Arr) and bins.shape and len(bins.shape) == 1 else None
    if not isinstance(values, Arr) or count is None:
        return None
    replay = replay_op(np.digitize, values.replay, bins.replay if isinstance(bins, Arr) else np.asarray(bins))
    return Arr(0.0, float(count), "int", True, values.shape, replay, values.random, lines=values.lines)


def quantile(values: Any, q: Any) -> Arr | None:
    """``np.quantile(x, qs)`` / ``np.percentile``: values inside the input's range."""
    if not isinstance(values, Arr):
        return None
    shape = (len(q),) if isinstance(q, (list, tuple)) else () if isinstance(q, (int, float)) else None
    replay = replay_op(np.quantile, values.replay, np.asarray(q)) if shape is not None else None
    return Arr(values.lo, values.hi, "float", False, shape, replay, values.random, lines=values.lines)
