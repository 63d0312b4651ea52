"""Keras 1 convolution signatures: a kernel given as separate arguments.

Keras 1 wrote ``Convolution2D(32, 3, 3)`` (``nb_filter, nb_row, nb_col``) and
``Convolution3D(8, 3, 3, 3)`` (``kernel_dim1..3``); Keras 3 reads the same
positions as ``filters, kernel_size, strides``, so ``Convolution2D(32, 3, 3)``
silently becomes a kernel of 3 with strides 3.  Keyword forms (``nb_row=3, nb_col=3``, ``kernel_dim1=...``) are
rejected outright.  This module maps both to one ``kernel_size`` tuple:

- :func:`kernel_arguments` (extraction, stdlib ``ast``): which arguments of a
  call form the kernel;
- :func:`merge_kernel` (rewriting, libcst): the call with those arguments
  replaced by one ``kernel_size`` argument whose elements keep their source
  text.

``Convolution1D(nb_filter, filter_length)`` already lines up with Keras 3's
``Conv1D(filters, kernel_size)`` and needs no mapping (``filter_length=`` is a
plain keyword rename, in :mod:`autofix.source.legacy`).
"""

from __future__ import annotations

import ast
from typing import Any

#: Keras 1 class -> the keywords that spelled the kernel, in order.
KERNEL_KEYWORDS: dict[str, tuple[str, ...]] = {
    "Convolution2D": ("nb_row", "nb_col"),
    "AtrousConvolution2D": ("nb_row", "nb_col"),
    "Deconvolution2D": ("nb_row", "nb_col"),
    "SeparableConvolution2D": ("nb_row", "nb_col"),
    "LocallyConnected2D": ("nb_row", "nb_col"),
    "ConvLSTM2D": ("nb_row", "nb_col"),
    "Convolution3D": ("kernel_dim1", "kernel_dim2", "kernel_dim3"),
    "Deconvolution3D": ("kernel_dim1", "kernel_dim2", "kernel_dim3"),
}
#: Keras 1 positional parameters after the kernel (they follow ``nb_filter``, the kernel).
_AFTER_KERNEL = ("init", "activation", "weights", "border_mode", "subsample")


def kernel_arguments(written: str, call: ast.Call) -> tuple[str, list[ast.expr], list[str]] | None:
    """How a Keras 1 call spells its kernel: ``("positional", [nodes], after)`` for
    ``Convolution2D(32, 3, 3, ...)`` (``after``: Keras 1 names of the positional
    arguments that follow), ``("keyword", [nodes], [])`` for ``nb_row=/nb_col=``;
    None when the call does not use a Keras 1 kernel signature."""
    names = KERNEL_KEYWORDS.get(written)
    if names is None:
        return None
    args = call.args
    if any(isinstance(a, ast.Starred) for a in args):
        return None
    dims = len(names)
    if len(args) >= 1 + dims:
        return "positional", list(args[1:1 + dims]), list(_AFTER_KERNEL[:len(args) - 1 - dims])
    given = {k.arg: k.value for k in call.keywords if k.arg in names}
    if given:
        if len(given) != dims or len(args) > 1:
            return None
        return "keyword", [given[n] for n in names], []
    return None


def merge_kernel(call: Any, written: str) -> Any:
    """A libcst ``Call`` with its Keras 1 kernel arguments merged into one
    ``kernel_size`` argument (positional stays positional, keywords become
    ``kernel_size=(...)`` where the first of them stood); unchanged when the
    call does not use a Keras 1 kernel signature."""
    import libcst as cst

    from .render import code_of

    names = KERNEL_KEYWORDS.get(written)
    if names is None or any(a.star for a in call.args):
        return call
    dims = len(names)
    positional = [a for a in call.args if a.keyword is None]
    keywords = {a.keyword.value: a for a in call.args if a.keyword is not None}
    args = list(call.args)
    if len(positional) >= 1 + dims:
        parts = positional[1:1 + dims]
        first = args.index(parts[0])
    elif all(n in keywords for n in names) and len(positional) <= 1:
        parts = [keywords[n] for n in names]
        first = min(args.index(p) for p in parts)
    else:
        return call
    tuple_text = "(" + ", ".join(code_of(p.value) for p in parts) + ")"
    merged = args[first].with_changes(value=cst.parse_expression(tuple_text))
    if merged.keyword is not None:
        merged = merged.with_changes(keyword=cst.Name("kernel_size"))
    keep = [merged if a is args[first] else a for a in args if a is args[first] or not any(a is p for p in parts)]
    if keep and not any(a is args[-1] for a in keep):  # the old last argument went: drop a dangling comma
        keep[-1] = keep[-1].with_changes(comma=args[-1].comma)
    return call.with_changes(args=keep)
