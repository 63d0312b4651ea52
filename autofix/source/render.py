"""Render edit values as libcst nodes, in the script's own style (rewriting only)."""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

from ..values import Opaque
from . import legacy
from .literal import literal_of_code
from .signatures import positional

_EMPTY = cst.Module([])


def code_of(node: cst.CSTNode) -> str:
    """The source text of a libcst node."""
    return _EMPTY.code_for_node(node)

#: Loss names to their Keras class names (for object-style losses).
LOSS_CLASSES = {
    "binary_crossentropy": "BinaryCrossentropy", "categorical_crossentropy": "CategoricalCrossentropy",
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
    "binary_focal_crossentropy": "BinaryFocalCrossentropy",
    "categorical_focal_crossentropy": "CategoricalFocalCrossentropy",
    "mean_squared_error": "MeanSquaredError", "mean_absolute_error": "MeanAbsoluteError",
}
OPTIMIZER_CLASSES = {
    "adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop", "adamw": "AdamW", "nadam": "Nadam",
    "adamax": "Adamax", "adagrad": "Adagrad", "adadelta": "Adadelta", "ftrl": "Ftrl", "lion": "Lion",
}


def source_text(value: Any, quote: str = '"') -> str:
    """Python source for a plain value; strings use ``quote``."""
    if isinstance(value, Opaque):
        return value.text
    if isinstance(value, str):
        body = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
        return f"{quote}{body}{quote}"
    if isinstance(value, tuple):
        inner = ", ".join(source_text(v, quote) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(source_text(v, quote) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{source_text(k, quote)}: {source_text(v, quote)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        return repr(value)
    return repr(value)


def expression(value: Any, quote: str = '"') -> cst.BaseExpression:
    return cst.parse_expression(source_text(value, quote))


def quote_of(node: cst.CSTNode, default: str, tree: Any = None) -> str:
    """The quote character of the first plain string inside ``node`` (its text cut from the script
    when ``tree``, the :class:`~._plan.SourceTree` it was found in, has it)."""
    text = tree.source_of(node) if tree is not None else None
    match = re.search(r"(?<![\w\\])[rbuRBU]?(['\"])", code_of(node) if text is None else text)
    return match.group(1) if match else default


def call_text(callee: str, kwargs: dict[str, Any], quote: str) -> str:
    return f"{callee}(" + ", ".join(f"{k}={source_text(v, quote)}" for k, v in kwargs.items()) + ")"


def _argument_key(kind: str, class_name: str, index: int, arg: cst.Arg) -> str | None:
    if arg.star:
        return None
    if arg.keyword is not None:
        return legacy.normal_kwarg(kind, class_name, arg.keyword.value) if kind in (
            "layer", "optimizer", "fit") else arg.keyword.value
    names = positional(kind, class_name)
    return names[index] if index < len(names) else None


def set_argument(call: cst.Call, kind: str, class_name: str, key: str, value: Any, quote: str,
                 keep_value: bool = False) -> cst.Call:
    """``call`` with argument ``key`` set to ``value`` (smallest change).

    An existing argument keeps its position and spacing (a legacy keyword is
    renamed); a missing one is appended as a keyword in the call's own
    ``k=v`` / ``k = v`` style.  With ``keep_value`` (the argument already has
    this value, e.g. through a name) an existing argument keeps its expression.
    """
    args = list(call.args)
    for index, arg in enumerate(args):
        if _argument_key(kind, class_name, index, arg) != key:
            continue
        changes: dict[str, Any] = {}
        if arg.keyword is not None and arg.keyword.value != key:
            changes["keyword"] = arg.keyword.with_changes(value=key)
        if keep_value:
            pass
        elif literal_of_code(code_of(arg.value)) != value or isinstance(value, Opaque) and code_of(arg.value) != value.text:
            changes["value"] = expression(value, quote_of(arg.value, quote))
        args[index] = arg.with_changes(**changes)
        return call.with_changes(args=args)
    keyword_args = [a for a in args if a.keyword is not None]
    equal = keyword_args[-1].equal if keyword_args else cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    new = cst.Arg(value=expression(value, quote), keyword=cst.Name(key), equal=equal)
    if args and isinstance(args[-1].comma, cst.Comma):
        new = new.with_changes(comma=args[-1].comma)
        args[-1] = args[-1].with_changes(comma=_separator(args))
    args.append(new)
    return call.with_changes(args=args)


def override_unpacked(call: cst.Call, key: str, value: Any, quote: str) -> cst.Call:
    """``call`` with ``**settings`` (its last ``**`` argument) turned into ``**dict(settings, key=value)``:
    the one mapping Python reads keeps every other entry and this call alone gets the new value (the dict
    itself, which other calls may read, is not changed). A ``**dict(settings, ...)`` override already there
    gets ``key`` set in it."""
    args = list(call.args)
    index = max(i for i, arg in enumerate(args) if arg.star == "**")
    inner = args[index].value
    if not (isinstance(inner, cst.Call) and isinstance(inner.func, cst.Name) and inner.func.value == "dict"):
        inner = cst.Call(func=cst.Name("dict"), args=[cst.Arg(value=inner)])
    inner = set_argument(inner, "dict", "dict", key, value, quote)
    args[index] = args[index].with_changes(value=inner)
    return call.with_changes(args=args)


_CONSTANTS = frozenset({"True", "False", "None"})


def variable_argument(call: cst.Call, kind: str, class_name: str, key: str,
                      modules: frozenset[str] = frozenset()) -> str | None:
    """The code of argument ``key`` when the script passes it through a variable (``epochs=EPOCHS``,
    ``activation=activation``, ``cfg["lr"]``, ``self.units * 2``): writing a literal there would cut the
    variable out of this call, so a fix that changes the value must be made where the value is set.
    Calls (``len(x)``, ``keras.initializers.Ones()``) and attributes of the imported ``modules``
    (``keras.activations.relu``) are values, not variables."""
    for index, arg in enumerate(call.args):
        if _argument_key(kind, class_name, index, arg) == key:
            return code_of(arg.value) if _is_variable(arg.value, modules) else None
    return None


def _is_variable(node: cst.BaseExpression, modules: frozenset[str]) -> bool:
    if isinstance(node, cst.Name):
        return node.value not in _CONSTANTS
    if isinstance(node, cst.Subscript):  # cfg["epochs"] is a setting; x.shape[0] and sizes[-1] are values
        return any(isinstance(getattr(element.slice, "value", None), (cst.SimpleString, cst.ConcatenatedString))
                   for element in node.slice)
    if isinstance(node, cst.Attribute):  # self.units, args.epochs (not keras.activations.relu)
        root = node
        while isinstance(root, cst.Attribute):
            root = root.value
        return isinstance(root, cst.Name) and root.value not in modules
    if isinstance(node, cst.BinaryOperation):
        return _is_variable(node.left, modules) or _is_variable(node.right, modules)
    if isinstance(node, cst.UnaryOperation):
        return _is_variable(node.expression, modules)
    return False


def _separator(args: list[cst.Arg]) -> cst.Comma:
    """A comma like the ones between the existing arguments."""
    for arg in args[:-1]:
        if isinstance(arg.comma, cst.Comma):
            return arg.comma
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def rename_callee(func: cst.BaseExpression, name: str) -> cst.BaseExpression:
    if isinstance(func, cst.Attribute):
        return func.with_changes(attr=func.attr.with_changes(value=name))
    if isinstance(func, cst.Name):
        return func.with_changes(value=name)
    return func


def callee_prefix(func: cst.BaseExpression) -> str | None:
    """``'layers.'`` for ``layers.Dense``; ``''`` for a bare ``Dense``."""
    if isinstance(func, cst.Attribute):
        return code_of(func.value) + "."
    return "" if isinstance(func, cst.Name) else None
