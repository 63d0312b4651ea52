"""Abstract data values for the source path's data-flow reading (numpy only, no Keras).

An :class:`Arr` describes an array a script builds without running the script:

* ``lo``/``hi``: a sound over-approximation of every element (interval arithmetic,
  infinite ends allowed; ``hi_open`` marks ``[lo, hi)`` as ``rng.random()`` gives);
* ``kind`` (``bool``, ``int``, ``uint8``, ``float``), ``integral`` (every value is a whole
  number, e.g. floats from ``astype("float32")`` of labels) and the full ``shape``;
* ``replay``: the script's own recipe replayed by the interpreter on its own draws
  (``None`` once any step is not understood): witnesses of what the data reaches,
  its spread and order, never a measured value of the real data;
* ``reach``: values the real data certainly attains where no replay exists (documented
  dataset facts), mapped through the monotone steps after them;
* ``onehot`` (class count of one-hot rows), ``split`` (which train/held-out part of
  one source it is, and the elementwise operations applied to that part alone),
  ``prediction`` (a ``predict()`` result) and the script ``lines`` that built it;
* ``order``: the random reorderings its rows went through since their source, as a tuple
  of :class:`Perm` tokens (``()``: the source order; ``None``: not known), and ``index``
  (the value is a reordering of ``arange(len)`` that indexing applies to other rows).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np

INF = math.inf
#: Largest replay (elements) the interpreter draws; bigger arrays get no replay.
MAX_REPLAY = 400_000


@dataclass(frozen=True)
class Split:
    """One part of a train/held-out split: ``source`` names the split (one array cut in two, one
    ``load_data()``, or one function of the script whose result is made by two calls), ``part`` is
    ``"train"``/``"test"`` (or the call's position), ``ops`` the elementwise operations applied to
    this part after the split (``("/", 255.0)``), ``line`` where the first of them was written,
    ``text`` the expression.  ``forms`` holds one template per op (``"{} / 255.0"``; None when the
    operation cannot be written again), ``at`` the Origin of an expression that is this part alone
    before any op (the slice ``y[n:]``; None when none is), ``made`` the line the part was made on."""

    source: Any
    part: Any
    ops: tuple = ()
    line: int | None = None
    text: str = ""
    forms: tuple = ()
    at: Any = None
    made: int | None = None
    #: per op, ``(Origin of the ``a op b`` expression, whether the array is its left operand)`` or None
    written: tuple = ()

    def then(self, key: tuple, form: str | None, line: int | None, text: str, written: Any = None) -> "Split":
        """This part after one more elementwise operation ``key`` (written ``form``, at ``written``)."""
        return replace(self, ops=self.ops + (key,), forms=self.forms + (form,), line=self.line or line,
                       text=text or self.text, written=self.written + (written,))


@dataclass(frozen=True)
class Perm:
    """One random reordering of rows, by the call that drew it (``line``, ``col``, the callee's text
    ``call``); ``seeded`` when its generator had a seed (two such draws may be the same permutation)."""

    line: int
    col: int
    seeded: bool = False
    call: str = ""


@dataclass(frozen=True, eq=False)
class Arr:
    lo: float = -INF
    hi: float = INF
    kind: str = "float"
    integral: bool = False
    shape: tuple | None = None
    replay: Any = None
    random: bool = False
    reach: tuple | None = None
    onehot: int | None = None
    lines: tuple = ()
    split: Split | None = None
    #: after ``concatenate([a[:n] op, a[n:]])``: (bound, {part: Split}) so a later ``[:n]`` finds its part
    pieces: Any = None
    prediction: bool = False
    hi_open: bool = False
    order: tuple | None = None
    index: bool = False

    def but(self, **changes: Any) -> "Arr":
        """A copy with ``changes`` to its fields (``dataclasses.replace`` without re-running ``__init__``)."""
        copy = object.__new__(Arr)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    @property
    def rows(self) -> int | None:
        return self.shape[0] if self.shape else None


def make(lo: float, hi: float, kind: str, shape: tuple | None, replay: Any = None, *, line: int | None = None,
         random: bool = False, reach: tuple | None = None, hi_open: bool = False) -> Arr:
    """A source array (an RNG draw, ``np.zeros``, a dataset)."""
    integral = kind in ("bool", "int", "uint8")
    if replay is not None and (not isinstance(replay, np.ndarray) or replay.size > MAX_REPLAY):
        replay = None
    return Arr(float(lo), float(hi), kind, integral, shape, replay, random, reach,
               lines=(line,) if line else (), hi_open=hi_open, order=())


def scalar(value: Any) -> Arr:
    """A Python number as an abstract value."""
    kind = "bool" if isinstance(value, bool) else "int" if isinstance(value, int) else "float"
    return Arr(float(value), float(value), kind, float(value).is_integer(), (), np.asarray(value), order=())


def kind_of(dtype: Any) -> str:
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return "bool"
    if dtype == np.uint8:
        return "uint8"
    return "int" if np.issubdtype(dtype, np.integer) else "float"


def concat_pieces(value: Arr, key: Any, part: str) -> Split | None:
    """The split part ``value[:key]``/``value[key:]`` stands for when ``value`` concatenates the two
    parts of one split at the same bound (``np.concatenate([y[:n] / 100, y[n:]])[:n]``)."""
    if value.pieces is None:
        return None
    source, parts = value.pieces
    return parts.get(part) if source[-1] == key else None


def row_order(*values: Arr) -> tuple | None:
    """The row order of an elementwise result: the operands' common order (scalars have none)."""
    orders = {v.order for v in values if v.shape != ()}
    return orders.pop() if len(orders) == 1 else () if not orders else None


def reordered(value: Arr, perm: Perm) -> Arr:
    """``value`` with its rows put in the new random order ``perm``."""
    return value.but(order=value.order + (perm,) if value.order is not None else None)


def merge_lines(*values: Arr) -> tuple:
    return tuple(sorted({line for v in values for line in v.lines}))


def _mul(a: float, b: float) -> float:
    return 0.0 if a == 0 or b == 0 else a * b


def _interval(op: str, a: Arr, b: Arr) -> tuple[float, float]:
    if op == "+":
        return a.lo + b.lo, a.hi + b.hi
    if op == "-":
        return a.lo - b.hi, a.hi - b.lo
    if op == "*":
        products = [_mul(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
        return min(products), max(products)
    if op in ("/", "//"):
        if b.lo <= 0 <= b.hi:
            return -INF, INF
        quotients = [_mul(x, 1 / y) if math.isfinite(y) else 0.0 for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
        lo, hi = min(quotients), max(quotients)
        return (math.floor(lo), math.floor(hi)) if op == "//" else (lo, hi)
    if op == "%" and b.lo == b.hi and b.lo > 0:
        if a.lo >= 0 and a.hi < b.lo:
            return a.lo, a.hi
        return 0.0, (b.lo - 1 if a.integral and b.integral else b.lo)
    if op == "**" and b.lo == b.hi and float(b.lo).is_integer() and b.lo >= 0:
        p = int(b.lo)
        ends = [a.lo ** p if math.isfinite(a.lo) else (INF if p % 2 == 0 else -INF), a.hi ** p]
        if p % 2 == 0:
            low = 0.0 if a.lo <= 0 <= a.hi else min(abs(a.lo), abs(a.hi)) ** p
            return low, max(abs(a.lo), abs(a.hi)) ** p
        return min(ends), max(ends)
    return -INF, INF


def _result_kind(op: str, a: Arr, b: Arr) -> str:
    kinds = {a.kind, b.kind}
    if "float" in kinds or op in ("/", "**") and not (b.integral and b.lo >= 0):
        return "float"
    if op == "/":
        return "float"
    if kinds == {"uint8"} or kinds == {"uint8", "bool"} or ("uint8" in kinds and b.shape == ()):
        return "uint8"
    return "int"


def _affine_reach(op: str, a: Arr, b: Arr) -> tuple | None:
    """``reach`` through an operation with a constant (monotone in the array)."""
    if a.reach is None or b.shape != () or b.lo != b.hi:
        return None
    c = b.lo
    mapped = {"+": lambda v: v + c, "-": lambda v: v - c, "*": lambda v: v * c,
              "/": lambda v: v / c if c else None}.get(op)
    if mapped is None or (op == "/" and not c):
        return None
    ends = sorted(mapped(v) for v in a.reach)
    return tuple(ends)


_NP_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide, "//": np.floor_divide,
    "%": np.mod, "**": np.power,
}


def replay_op(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn`` on replays (None when a replay is missing or numpy refuses)."""
    if any(a is None for a in args):
        return None
    try:
        with np.errstate(all="ignore"):
            out = fn(*args)
    except Exception:
        return None
    return out if isinstance(out, np.ndarray) and out.size <= MAX_REPLAY else (
        np.asarray(out) if np.isscalar(out) else None)


def broadcast(a: tuple | None, b: tuple | None) -> tuple | None:
    if a is None or b is None:
        return None
    try:
        return tuple(np.broadcast_shapes(a, b))
    except ValueError:
        return None


def binop(op: str, a: Arr, b: Arr) -> Arr:
    """``a op b`` for arithmetic ``op`` (``+ - * / // % **``)."""
    lo, hi = _interval(op, a, b)
    kind = _result_kind(op, a, b)
    if kind == "uint8" and (lo < 0 or hi > 255):  # wraps around
        lo, hi = 0.0, 255.0
    integral = kind != "float" or (a.integral and b.integral and op in ("+", "-", "*", "//", "%"))
    replay = replay_op(_NP_OPS[op], a.replay, b.replay)
    if replay is not None and kind != "float" and replay.dtype.kind == "f" and op not in ("/",):
        kind = "float"
    constant = b.shape == () and b.lo == b.hi
    hi_open = a.hi_open and constant and (op in ("+", "-") or op in ("*", "/") and b.lo > 0)
    return Arr(lo, hi, kind, integral, broadcast(a.shape, b.shape), replay, a.random or b.random,
               _affine_reach(op, a, b), lines=merge_lines(a, b), prediction=a.prediction or b.prediction,
               hi_open=bool(hi_open), order=row_order(a, b))


def compare(a: Arr, b: Arr, fn: Callable[[Any, Any], Any]) -> Arr:
    """A comparison or logical operation: 0/1 values."""
    return Arr(0.0, 1.0, "bool", True, broadcast(a.shape, b.shape), replay_op(fn, a.replay, b.replay),
               a.random or b.random, lines=merge_lines(a, b), prediction=a.prediction or b.prediction,
               order=row_order(a, b))


def hull(a: Arr, b: Arr) -> Arr:
    """The value that is ``a`` in some rows and ``b`` in others (no replay)."""
    kind = a.kind if a.kind == b.kind else "float" if "float" in (a.kind, b.kind) else "int"
    return Arr(min(a.lo, b.lo), max(a.hi, b.hi), kind, a.integral and b.integral,
               a.shape if a.shape == b.shape else None, None, a.random or b.random, lines=merge_lines(a, b))


def choose(test: Any, a: Arr, b: Arr) -> Arr:
    """``a if test else b`` with a test the interpreter cannot decide: the hull of both, the
    replay picking per the test's replay (``np.where``)."""
    both = hull(a, b)
    condition = test.replay if isinstance(test, Arr) else None
    replay = replay_op(np.where, condition, a.replay, b.replay)
    shape = broadcast(a.shape, b.shape)
    shape = broadcast(shape, test.shape) if isinstance(test, Arr) else shape
    return both.but(shape=shape, replay=replay, random=both.random or isinstance(test, Arr) and test.random)


def matmul(a: Arr, b: Arr) -> Arr:
    """``a @ b``: sums of products (non-negative when both operands are), the shape numpy gives."""
    replay = replay_op(np.matmul, a.replay, b.replay)
    shape = replay.shape if replay is not None else None
    if shape is None and a.shape is not None and b.shape is not None:
        try:
            shape = np.matmul(np.broadcast_to(0.0, a.shape), np.broadcast_to(0.0, b.shape)).shape
        except ValueError:
            shape = None
    integral = a.integral and b.integral and "float" not in (a.kind, b.kind)
    return Arr(0.0 if a.lo >= 0 and b.lo >= 0 else -INF, INF, "int" if integral else "float", integral, shape,
               replay, a.random or b.random, lines=merge_lines(a, b), prediction=a.prediction or b.prediction,
               order=a.order if a.shape is not None and len(a.shape) == 2 else None)


def rewritten(a: Arr) -> Arr:
    """``a`` after a loop wrote some of its elements in place: same shape and dtype, any values of it."""
    lo, hi = {"bool": (0.0, 1.0), "uint8": (0.0, 255.0)}.get(a.kind, (-INF, INF))
    return a.but(lo=lo, hi=hi, integral=a.kind != "float", replay=None, reach=None, onehot=None, split=None,
                 pieces=None, hi_open=False)


#: Monotone (non-decreasing) elementwise functions: interval ends map to interval ends.
MONOTONE: dict[str, Callable[[float], float]] = {
    "tanh": math.tanh, "arctan": math.atan, "exp": lambda v: math.exp(min(v, 700)),
    "log": lambda v: math.log(v) if v > 0 else -INF, "log1p": lambda v: math.log1p(v) if v > -1 else -INF,
    "sqrt": lambda v: math.sqrt(max(v, 0.0)), "floor": math.floor, "ceil": math.ceil,
    "round": round, "rint": round, "expm1": lambda v: math.expm1(min(v, 700)), "sign": lambda v: (v > 0) - (v < 0),
    "cbrt": lambda v: math.copysign(abs(v) ** (1 / 3), v),
}
_BOUNDED = {"sin": (-1.0, 1.0), "cos": (-1.0, 1.0)}


#: ``np.<name>(a)`` functions :func:`unary` reads, elementwise.
ELEMENTWISE = frozenset((*MONOTONE, *_BOUNDED, "abs", "absolute", "fabs", "square", "negative"))


def _safe(fn: Callable[[float], float], v: float) -> float:
    if math.isinf(v):
        try:
            return fn(v)
        except (OverflowError, ValueError):
            return v
    return fn(v)


def unary(name: str, a: Arr) -> Arr | None:
    """``np.<name>(a)`` for the elementwise functions the interpreter knows (None otherwise)."""
    fn = getattr(np, name, None)
    replay = replay_op(fn, a.replay) if fn is not None else None
    if name in MONOTONE:
        lo, hi = _safe(MONOTONE[name], a.lo), _safe(MONOTONE[name], a.hi)
        reach = tuple(_safe(MONOTONE[name], v) for v in a.reach) if a.reach else None
        integral = a.integral or name in ("floor", "ceil", "round", "rint", "sign")
        kind = a.kind if name in ("sign",) or (a.kind != "float" and name in ("floor", "ceil", "round", "rint")) \
            else "float"
        return a.but(lo=lo, hi=hi, kind=kind, integral=integral, replay=replay, reach=reach, hi_open=False,
                     split=None, pieces=None)
    if name in _BOUNDED:
        lo, hi = _BOUNDED[name]
        return a.but(lo=lo, hi=hi, kind="float", integral=False, replay=replay, reach=None, split=None, pieces=None)
    if name in ("abs", "absolute", "fabs", "square"):
        low = 0.0 if a.lo <= 0 <= a.hi else min(abs(a.lo), abs(a.hi))
        high = max(abs(a.lo), abs(a.hi))
        if name == "square":
            low, high = low * low, high * high
        return a.but(lo=low, hi=high, kind="float" if name != "abs" else a.kind, replay=replay, reach=None,
                     split=None, pieces=None, hi_open=False)
    if name in ("negative",):
        return binop("*", a, scalar(-1))
    return None


def negate(a: Arr) -> Arr:
    return binop("*", a, scalar(-1)).but(kind=a.kind if a.kind != "bool" else "int")


def clip(a: Arr, low: float | None, high: float | None) -> Arr:
    lo = a.lo if low is None else min(max(a.lo, low), high if high is not None else INF)
    hi = a.hi if high is None else max(min(a.hi, high), low if low is not None else -INF)
    replay = replay_op(lambda v: np.clip(v, low, high), a.replay)
    return a.but(lo=lo, hi=hi, replay=replay, reach=None, split=None, pieces=None, hi_open=False)


def astype(a: Arr, kind: str) -> Arr:
    """``a.astype(kind)``: truncation towards zero for integer kinds (``[0, 1)`` becomes ``{0}``)."""
    dtype = {"bool": np.bool_, "int": np.int64, "uint8": np.uint8, "float": np.float32}[kind]
    replay = replay_op(lambda v: v.astype(dtype), a.replay)
    if kind == "float":
        return a.but(kind="float", replay=replay)
    if kind == "bool":
        return a.but(lo=0.0, hi=1.0, kind="bool", integral=True, replay=replay, reach=None)

    def trunc(v: float, is_hi: bool) -> float:
        if math.isinf(v):
            return v
        if is_hi and a.hi_open and float(v).is_integer() and v > 0:
            return v - 1
        return float(math.trunc(v))

    lo, hi = trunc(a.lo, False), trunc(a.hi, True)
    if kind == "uint8" and (lo < 0 or hi > 255):
        lo, hi = 0.0, 255.0
    reach = tuple(float(math.trunc(v)) for v in a.reach) if a.reach and a.integral else None
    return a.but(lo=lo, hi=hi, kind=kind, integral=True, replay=replay, reach=reach, hi_open=False)


def kind_name(dtype_text: Any) -> str | None:
    """The kind of a dtype argument (``"float32"``, ``int``, ``np.uint8``), or None."""
    text = str(dtype_text).rsplit(".", 1)[-1].lower()
    if text in ("float", "float16", "float32", "float64", "double", "single", "half"):
        return "float"
    if text in ("int", "int8", "int16", "int32", "int64", "long", "uint16", "uint32", "uint64", "intp"):
        return "int"
    if text == "uint8":
        return "uint8"
    if text in ("bool", "bool_"):
        return "bool"
    return None
