"""Literal values of ``ast`` expressions; anything else is ``Opaque(text)``."""

from __future__ import annotations

import ast
from typing import Any, Callable

from ..values import Opaque

Segment = Callable[[ast.AST], str]


def literal(node: ast.expr, segment: Segment, resolve: Callable[[ast.expr], Any] | None = None) -> Any:
    """The Python value of a literal expression.

    Names, and reads of a dict entry with a literal key (``cfg["units"]``,
    ``cfg.get("units", 8)``: :func:`entry_read`), are looked up with
    ``resolve`` (a name bound once to a literal, an entry of a dict the
    script shows); everything else becomes ``Opaque`` with the expression's
    source text (cut by ``segment``).
    """
    if isinstance(node, ast.Constant):
        return node.value if node.value is not Ellipsis else Opaque(segment(node))
    if isinstance(node, ast.Name):
        return resolve(node) if resolve is not None else Opaque(node.id)
    if resolve is not None and entry_read(node) is not None:
        return resolve(node)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = literal(node.operand, segment, resolve)
        if isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return -inner
        return Opaque(segment(node))
    if isinstance(node, (ast.Tuple, ast.List)):
        if any(isinstance(el, ast.Starred) for el in node.elts):
            return Opaque(segment(node))
        items = [literal(el, segment, resolve) for el in node.elts]
        return tuple(items) if isinstance(node, ast.Tuple) else items
    if isinstance(node, ast.Dict):
        out = {}
        for key_node, value_node in zip(node.keys, node.values):
            key = literal(key_node, segment, resolve) if key_node is not None else None
            if key_node is None or isinstance(key, (Opaque, list, dict)):
                return Opaque(segment(node))
            out[key] = literal(value_node, segment, resolve)
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Add)):
        return _sequence_op(node, literal(node.left, segment, resolve), literal(node.right, segment, resolve),
                            segment)
    return Opaque(segment(node))


def entry_read(node: ast.expr) -> tuple[ast.expr, str, ast.expr | None, bool] | None:
    """``(container, key, default, is_get)`` of ``d["key"]`` or ``d.get("key"[, default])`` with a string
    literal key; None for any other expression (``d[k]``, ``x.shape[0]``, ``d.get(k)``)."""
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(node.ctx, ast.Load) and isinstance(key, ast.Constant) and isinstance(key.value, str):
            return node.value, key.value, None, False
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
            and not node.keywords and 1 <= len(node.args) <= 2 \
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.func.value, node.args[0].value, node.args[1] if len(node.args) == 2 else None, True
    return None


def dict_entries(node: ast.expr) -> dict[str, ast.expr] | None:
    """The value expression of each key of a dict display with string literal keys (``{"units": 1}``) or
    of ``dict(units=1)``; None for anything else (``{**base}``, ``dict(base, units=1)``, a non-literal key)."""
    if isinstance(node, ast.Dict):
        if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys):
            return None
        return {k.value: v for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args \
            and all(k.arg is not None for k in node.keywords):
        return {k.arg: k.value for k in node.keywords}
    return None


#: The longest sequence ``(32,) * 8`` or ``[a] + [b]`` is evaluated to.
MAX_SEQUENCE = 1024


def _sequence_op(node: ast.BinOp, left: Any, right: Any, segment: Segment) -> Any:
    """``(32,) * 8``, ``8 * [32]``, ``[64] + [32]`` of literals; anything else (numbers too) is Opaque."""
    if isinstance(node.op, ast.Mult):
        if isinstance(right, (list, tuple)) and isinstance(left, int):
            left, right = right, left
        if isinstance(left, (list, tuple)) and isinstance(right, int) and not isinstance(right, bool) \
                and 0 <= len(left) * right <= MAX_SEQUENCE:
            return left * right
    elif type(left) is type(right) and isinstance(left, (list, tuple)) and len(left) + len(right) <= MAX_SEQUENCE:
        return left + right
    return Opaque(segment(node))


def literal_of_code(text: str) -> Any:
    """The literal value of an expression's source text (Opaque when it is none)."""
    from .text import SourceText

    wrapped = f"(\n{text}\n)"
    try:
        tree = ast.parse(wrapped, mode="eval")
    except (SyntaxError, ValueError):
        return Opaque(text)
    return literal(tree.body, SourceText(wrapped, "").segment)


def is_plain(value: Any) -> bool:
    """True when ``value`` holds no Opaque anywhere."""
    if isinstance(value, Opaque):
        return False
    if isinstance(value, (list, tuple)):
        return all(is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(is_plain(v) for v in value.values())
    return True
