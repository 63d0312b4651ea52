"""Literal values of libcst expressions; anything else is ``Opaque(text)``."""

from __future__ import annotations

import ast
from typing import Any, Callable

import libcst as cst

from ..values import Opaque

_EMPTY = cst.Module([])
_CONSTANTS = {"True": True, "False": False, "None": None}


def code_of(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)


def literal(node: cst.BaseExpression, resolve: Callable[[cst.Name], Any] | None = None) -> Any:
    """The Python value of a literal expression.

    Names are looked up with ``resolve`` (a name bound once to a literal);
    everything else becomes ``Opaque`` with the expression's source text.
    """
    if isinstance(node, cst.Name):
        if node.value in _CONSTANTS:
            return _CONSTANTS[node.value]
        if resolve is not None:
            return resolve(node)
        return Opaque(node.value)
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString)):
        try:
            return ast.literal_eval(code_of(node))
        except (ValueError, SyntaxError):
            return Opaque(code_of(node))
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = literal(node.expression, resolve)
        return -inner if isinstance(inner, (int, float)) and not isinstance(inner, bool) else Opaque(code_of(node))
    if isinstance(node, (cst.Tuple, cst.List)):
        items = [literal(el.value, resolve) if isinstance(el, cst.Element) else Opaque(code_of(node))
                 for el in node.elements]
        return tuple(items) if isinstance(node, cst.Tuple) else items
    if isinstance(node, cst.Dict):
        out = {}
        for el in node.elements:
            if not isinstance(el, cst.DictElement):
                return Opaque(code_of(node))
            key = literal(el.key, resolve)
            if isinstance(key, Opaque) or isinstance(key, (list, dict)):
                return Opaque(code_of(node))
            out[key] = literal(el.value, resolve)
        return out
    return Opaque(code_of(node))


def is_plain(value: Any) -> bool:
    """True when ``value`` holds no Opaque anywhere."""
    if isinstance(value, Opaque):
        return False
    if isinstance(value, (list, tuple)):
        return all(is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(is_plain(v) for v in value.values())
    return True
