"""The plan a source rewrite fills: node-level operations found by source position.

:class:`SourceTree` is a parsed libcst module that finds nodes by the
positions extraction recorded (:func:`node_at`); :class:`Plan` collects the
operations every edit handler (:mod:`autofix.source.rewrite`,
:mod:`autofix.source.script_edits`) asks for, which one transformer pass then
applies.  This module sits below both handler modules.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from functools import cached_property
from typing import Any, Callable

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from ..spec import Origin

Change = Callable[[cst.CSTNode], cst.CSTNode]


class NotApplicable(Exception):
    """An edit this script's shape does not allow (e.g. no fit() call to edit)."""


class SourceTree:
    """A parsed libcst module plus each node's source range, to find nodes by position."""

    def __init__(self, module: cst.Module, code: str | None = None):
        self.module = module
        self._code = code
        self._ranges: Any = None
        self._starts: dict[tuple[int, int], list[cst.CSTNode]] | None = None
        self._quote: str | None = None
        #: kind -> its nodes sorted by range, for containment searches (:meth:`_containing`)
        self._kinds: dict[type, Any] = {}

    @classmethod
    def parse(cls, code: str) -> SourceTree:
        return cls(cst.parse_module(code), code)

    @property
    def code(self) -> str:
        """The module's text (generated once: libcst regenerates it on every ``module.code``)."""
        if self._code is None:
            self._code = self.module.code
        return self._code

    @property
    def quote(self) -> str:
        """The quote most string arguments in the script use (computed once)."""
        if self._quote is None:
            self._quote = _dominant_quote(self.code)
        return self._quote

    @property
    def ranges(self) -> Any:
        """node -> CodeRange (0-based columns, computed on first use)."""
        if self._ranges is None:
            self._ranges = _positions(self.module)
            starts: dict[tuple[int, int], list[cst.CSTNode]] = defaultdict(list)
            for node, span in self._ranges.items():
                starts[(span.start.line, span.start.column)].append(node)
            self._starts = starts
        return self._ranges

    def find(self, where: Origin | None, kind: type = cst.CSTNode) -> Any:
        """The ``kind`` node spanning exactly ``where`` (1-based Origin columns), else the
        smallest ``kind`` node containing it, else None."""
        if where is None or where.line is None or where.col is None:
            return None
        ranges = self.ranges
        start = (where.line, where.col - 1)
        end = (where.end_line or where.line, (where.end_col or where.col) - 1)
        for node in self._starts.get(start, ()):  # type: ignore[union-attr]
            span = ranges[node]
            if isinstance(node, kind) and (span.end.line, span.end.column) == end:
                return node
        return self._containing(kind, start, end)

    def enclosing(self, node: cst.CSTNode, kind: type) -> Any:
        """The smallest ``kind`` node containing ``node`` (``node`` itself when it is one), else None."""
        span = self.ranges.get(node)
        return None if span is None else self._containing(kind, _start(span), _end(span))

    def _containing(self, kind: type, start: tuple[int, int], end: tuple[int, int]) -> Any:
        """The smallest ``kind`` node containing ``start``..``end`` (the deepest of equal ones).

        Nodes of ``kind`` sorted by (start, -end, order) are searched backwards from ``start``:
        ranges nest, so the first one containing the span is the innermost; the running
        maximum of their ends stops the search once no earlier node reaches ``end``."""
        index = self._kinds.get(kind)
        if index is None:
            found = sorted((_start(span), (-span.end.line, -span.end.column), order, node, _end(span))
                           for order, (node, span) in enumerate(self.ranges.items()) if isinstance(node, kind))
            reach, ends = (0, 0), []
            for entry in found:
                reach = max(reach, entry[4])
                ends.append(reach)
            index = self._kinds[kind] = ([e[0] for e in found], [(e[3], e[4]) for e in found], ends)
        starts, nodes, reach = index
        at = bisect.bisect_right(starts, start) - 1
        while at >= 0 and reach[at] >= end:
            node, node_end = nodes[at]
            if end <= node_end:
                return node
            at -= 1
        return None


def _positions(module: cst.Module) -> Any:
    """node -> CodeRange of every node of ``module``.  ``MetadataWrapper.resolve`` runs the same
    provider, then a visit of the whole tree for batchable providers (there are none here): a
    third of the cost on a large script, so the provider is run directly when libcst allows it."""
    provider = PositionProvider()
    try:
        provider._gen_impl(module)
    except AttributeError:  # a libcst without this internal
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return provider._computed


def _start(span: CodeRange) -> tuple[int, int]:
    return span.start.line, span.start.column


def _end(span: CodeRange) -> tuple[int, int]:
    return span.end.line, span.end.column


def node_at(tree: SourceTree, where: Origin | None, kind: type = cst.CSTNode, what: str = "node") -> Any:
    """The libcst node of type ``kind`` at an Origin recorded at extraction
    (e.g. ``node_at(plan.tree, spec.fit_call, cst.Call)``, or a Site's ``stmt``
    with ``cst.SimpleStatementLine``); raises NotApplicable when there is none."""
    node = tree.find(where, kind)
    if node is None:
        raise NotApplicable(f"no {what} at {where.render() if where else 'an unknown position'} in this script")
    return node


class Plan:
    """Node-level operations, keyed by the identity of original nodes."""

    def __init__(self, tree: SourceTree):
        self.tree = tree
        self.module = module = tree.module
        self.quote = tree.quote
        self.replace: dict[int, list[Change]] = defaultdict(list)
        self.before: dict[int, list[cst.BaseStatement]] = defaultdict(list)
        self.after: dict[int, list[cst.BaseStatement]] = defaultdict(list)
        self.removed: set[int] = set()
        self.list_ops: dict[int, list[tuple[str, cst.Element, cst.BaseExpression | None]]] = defaultdict(list)
        self.imports: dict[int, list[str]] = defaultdict(list)
        #: imported class names renamed in this many calls (``from keras.layers import Convolution2D``)
        self.renamed: dict[str, int] = {}
        self.needs_keras_import = False
        #: ``import math`` and the like an edit's new expression needs (added when missing)
        self.extra_imports: list[str] = []

    def still_used(self, name: str) -> bool:
        """Whether the script uses ``name`` more often than this plan renames it."""
        import ast

        uses = sum(1 for node in ast.walk(self.script_index.tree)
                   if isinstance(node, ast.Name) and node.id == name)
        return uses > self.renamed.get(name, 0)

    def change(self, node: cst.CSTNode, fn: Change) -> None:
        self.replace[id(node)].append(fn)

    @cached_property
    def script_index(self) -> Any:
        """The script as a stdlib ``ast`` index (:class:`autofix.source.script_index.ScriptIndex`)."""
        from .script_index import ScriptIndex

        return ScriptIndex(self.tree.code)


def _dominant_quote(code: str) -> str:
    """The quote most string arguments in the script use (double on a tie)."""
    single = len(re.findall(r"[=(\[,:]\s*'", code))
    double = len(re.findall(r'[=(\[,:]\s*"', code))
    return "'" if single > double else '"'
