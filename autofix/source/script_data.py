"""The ``DataSpec`` a script shows: :class:`~.data_flow.DataFlow`'s values at each model's fit() call.

Facts come from three places, in this order of trust: the interval and label
facts (sound over-approximations: labels in 0..9, one-hot rows of 3 columns),
documented dataset facts (``reach``), and the replay of the script's recipe
(statistics and witnesses; exact when no random draw feeds the value).  What
none of them shows stays ``UNKNOWN``.  ``DataSpec.origin`` names the script
lines that built ``x`` and ``y``.
"""

from __future__ import annotations

import ast
import math
from typing import Any, Sequence

import numpy as np

from ..data import data_facts
from ..spec import DataSpec, Origin, SplitMismatch
from ..values import UNKNOWN, is_known
from .data_flow import DataFlow
from .data_objects import Use
from .data_values import Arr
from .text import SourceText

#: Quantiles a random replay's targets certainly reach in the real data (rows are i.i.d.).
_WITNESS = (0.005, 0.995)


def attach(tree: Any, text: SourceText, specs: Sequence[Any]) -> None:
    """Set ``spec.data`` of each model whose fit() call the script's data reaches visibly."""
    wanted = {(s.fit_call.line, s.fit_call.col): s for s in specs
              if getattr(s, "fit_call", None) is not None and s.data is None}
    if not wanted:
        return
    flow = DataFlow(text).run(tree)
    for node, values in flow.fits.values():
        where = text.origin(node)
        spec = wanted.get((where.line, where.col))
        if spec is not None:
            data = script_data(values["x"], values["y"], flow.uses, text.path)
            if data is not None:
                spec.data = data


def script_data(x: Any, y: Any, uses: Sequence[Use] = (), path: str | None = None) -> DataSpec | None:
    """A DataSpec from fit()'s abstract ``x`` and ``y`` (None when the script shows nothing of them)."""
    apart = shuffled_apart(x, y)
    xa, ya = (v if isinstance(v, Arr) and not v.prediction else None for v in (x, y))
    if xa is None and ya is None and apart is None:
        return None
    spec = DataSpec()
    if xa is not None and xa.replay is not None and ya is not None and ya.replay is not None and \
            xa.replay.shape[:1] == ya.replay.shape[:1] and xa.replay.ndim >= 1:
        measured = data_facts(xa.replay, ya.replay)
        if measured is not None:
            spec = measured
            if xa.random or ya.random:  # counts of a random replay are not the data's
                spec.class_counts = UNKNOWN
                spec.label_runs = UNKNOWN
    if xa is not None:
        _input_facts(spec, xa)
    if ya is not None:
        _label_facts(spec, ya)
    spec.split_mismatch = tuple(_mismatches(xa, ya, uses, path)) or UNKNOWN
    spec.shuffled_apart = apart or UNKNOWN
    lines = sorted({line for v in (xa, ya) if v is not None for line in v.lines})
    spec.origin = (f"script line {lines[0]}" if len(lines) == 1 else f"script lines {lines[0]}-{lines[-1]}") \
        if lines else "the script"
    known = [getattr(spec, k) for k in ("n_samples", "x_min", "x_std", "label_kind", "y_min", "split_mismatch",
                                        "shuffled_apart")]
    return spec if any(is_known(v) for v in known) else None


def shuffled_apart(x: Any, y: Any) -> tuple | None:
    """``(line, role, call)`` when the rows of ``x`` and ``y`` went through different random reorderings:
    the first one ``role`` (``"x"``, ``"y"``) got alone, ``"both"`` when each got its own (not when
    those come from seeded generators, whose draws may be the same permutation).  None when an order
    is not known or they agree."""
    if not (isinstance(x, Arr) and isinstance(y, Arr)) or x.order is None or y.order is None or x.order == y.order:
        return None
    same = next((i for i, (a, b) in enumerate(zip(x.order, y.order)) if a != b), min(len(x.order), len(y.order)))
    xs, ys = x.order[same:], y.order[same:]
    if xs and ys:
        return None if any(p.seeded for p in xs + ys) else (xs[0].line, "both", xs[0].call)
    return (xs[0].line, "x", xs[0].call) if xs else (ys[0].line, "y", ys[0].call)


def _input_facts(spec: DataSpec, x: Arr) -> None:
    if x.shape:
        spec.n_samples, spec.x_shape = x.shape[0], tuple(x.shape[1:])
    if is_known(spec.x_min):  # measured on the replay
        return
    if x.lo == x.hi and math.isfinite(x.lo):
        spec.x_min = spec.x_max = spec.x_mean = x.lo
        spec.x_std = 0.0
    elif x.replay is not None and x.replay.size and x.replay.dtype.kind in "biuf":
        values = x.replay.astype(np.float64)
        spec.x_min, spec.x_max = float(values.min()), float(values.max())
        spec.x_mean, spec.x_std = float(values.mean()), float(values.std())
    elif x.reach is not None and all(math.isfinite(v) for v in x.reach) and x.reach == (x.lo, x.hi):
        spec.x_min, spec.x_max = x.reach  # documented dataset facts (mean and spread unknown)


def _label_facts(spec: DataSpec, y: Arr) -> None:
    shape = y.shape
    if shape is not None and len(shape) == 2 and shape[1] == 1:
        shape = shape[:1]
    if shape is not None:
        spec.y_shape = tuple(shape)
    column = shape is not None and len(shape) == 1
    if y.onehot:
        spec.label_kind, spec.n_classes = "onehot", y.onehot
    elif y.integral and y.lo >= 0 and math.isfinite(y.hi) and column:
        spec.label_kind = "binary" if y.hi <= 1 else "integer"
        attained = y.reach is not None and y.reach[1] == y.hi or y.replay is not None and y.replay.size and \
            float(np.max(y.replay)) == y.hi
        spec.n_classes = 2 if y.hi <= 1 else int(y.hi) + 1 if attained else UNKNOWN
    elif y.replay is not None and y.replay.dtype.kind == "f" and y.replay.size and \
            not np.all(np.mod(y.replay, 1) == 0) or y.kind == "float" and y.reach is not None and not y.integral:
        spec.label_kind = "continuous"
    elif is_known(spec.label_kind) and not y.integral:
        pass  # measured on an exact replay
    else:
        # a random replay's kind is not the data's, except multi-hot rows: thresholding draws gives them
        # whatever the seed (rows of 0/1 whose sums vary)
        keep = is_known(spec.label_kind) and (not y.random or spec.label_kind == "multilabel")
        spec.label_kind = spec.label_kind if keep else UNKNOWN
    if y.replay is not None and y.replay.size and y.replay.dtype.kind in "biuf":
        values = y.replay.astype(np.float64)
        if np.all(np.isfinite(values)):
            low, high = np.quantile(values, _WITNESS) if y.random and values.size >= 400 else (values.min(),
                                                                                               values.max())
            spec.y_min, spec.y_max = float(low), float(high)
    elif y.reach is not None and all(math.isfinite(v) for v in y.reach):
        spec.y_min, spec.y_max = y.reach


_OP_WORDS = {"/": "divided by", "*": "multiplied by", "-": "shifted by -", "+": "shifted by +", "//": "floor-divided by",
             "**": "raised to the power", "%": "taken modulo"}


def render_op(op: tuple) -> str:
    """``("/", 255.0)`` -> ``"/ 255"``; ``("log1p",)`` -> ``"np.log1p"``."""
    if len(op) == 1:
        return f"np.{op[0]}"
    value = op[1]
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{op[0]} {text}"


def _mismatches(x: Arr | None, y: Arr | None, uses: Sequence[Use], path: str | None):
    """fit()'s ``x``/``y`` against the held-out parts of the same source that are evaluated: the first
    evaluated part whose elementwise operations differ (as :func:`same_ops` reads them) from fit()'s."""
    for role, value in (("x", x), ("y", y)):
        split = value.split if value is not None else None
        if split is None:
            continue
        for use in uses:
            other = use.value.split
            if other is None or other.source != split.source or other.part == split.part or \
                    use.role not in (None, role) or same_ops(other.ops, split.ops):
                continue
            line = split.line if split.ops else other.line
            repair = split.forms if split.ops and not other.ops and None not in split.forms else None
            yield SplitMismatch(role, tuple(render_op(o) for o in split.ops), tuple(render_op(o) for o in other.ops),
                                Origin(path, line or use.line, 1), split.text, use.text or other.text, use.line,
                                (split.made, other.made), repair, _repair_at(other, use, uses, repair) if repair else None,
                                split.written[0] if len(split.written) == 1 and not other.ops else None)
            break


def _repair_at(part, use: Use, uses: Sequence[Use], forms: tuple) -> Origin | None:
    """Where the held-out ``part`` is written alone: the expression that made it (``y[n:]``) unless that
    expression also makes another split's part (a slice inside a helper function) or the operations read
    names (``- mean``: bound after the split), else the evaluated expression (``validation_data=(x_test,
    ...)``)."""
    if part.at is not None and not any(form_names(f) for f in forms) and not any(
            u.value.split.at == part.at and u.value.split.source != part.source for u in uses):
        return part.at
    return use.at


def form_names(form: str) -> set[str]:
    """The names an operation template (``"({} - mean) / std"``) reads besides its array."""
    tree = ast.parse(form.format("_"), mode="eval")
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id != "_"}


class _ShapeBlind(ast.NodeTransformer):
    """``a.shape``, ``a.size``, ``a.ndim``, ``len(a)`` -> ``_.shape`` ...: reads of a size, not of values."""

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if node.attr in ("shape", "size", "ndim") and isinstance(node.value, ast.Name):
            return ast.Attribute(ast.Name("_"), node.attr)
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        if isinstance(node.func, ast.Name) and node.func.id == "len" and len(node.args) == 1 and \
                isinstance(node.args[0], ast.Name) and not node.keywords:
            return ast.Call(node.func, [ast.Name("_")], [])
        return self.generic_visit(node)


def _sizes_blind(text: str) -> str:
    """An operand's text with the arrays it reads only the size of renamed ``_``: the noise
    ``np.random.normal(0, 0.1, size=x_train.shape)`` is the same operation as the one drawn with
    ``size=x_test.shape`` on the held-out split."""
    try:
        return ast.unparse(_ShapeBlind().visit(ast.parse(text, mode="eval")))
    except (SyntaxError, ValueError):
        return text


def _canonical(op: tuple) -> tuple:
    """``* c`` as ``/ (1/c)`` and ``- c`` as ``+ (-c)``, to 9 significant digits: one key per scaling;
    a written operand with the sizes it reads blanked (:func:`_sizes_blind`)."""
    if len(op) == 2 and isinstance(op[1], str):
        return op[0], _sizes_blind(op[1])
    if len(op) != 2 or not isinstance(op[1], float) or not math.isfinite(op[1]):
        return op
    sign, value = op
    if sign == "*" and value != 0:
        sign, value = "/", 1 / value
    elif sign == "-":
        sign, value = "+", -value
    return sign, float(f"{value:.9g}")


def same_ops(a: tuple, b: tuple) -> bool:
    """Whether two parts went through the same elementwise operations (``/ 255`` is ``* (1/255)``)."""
    return tuple(map(_canonical, a)) == tuple(map(_canonical, b))
