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
from libcst.metadata import CodePosition, CodeRange

from ..spec import Origin
from .positions import END, NEWLINE, Chunk, end_of, module_range, start_of, top_chunks, whole

Change = Callable[[cst.CSTNode], cst.CSTNode]


class NotApplicable(Exception):
    """An edit this script's shape does not allow (e.g. no fit() call to edit)."""


class SourceTree:
    """A parsed libcst module plus each node's source range, to find nodes by position.

    Ranges are computed a statement at a time, the first time a position in it
    is looked up (:mod:`.positions`): the simple statement line holding it when
    the node is found there, else the top-level statement, else (a statement
    not where ``ast`` says) the whole module at once, as ``PositionProvider``
    gives it.
    """

    def __init__(self, module: cst.Module, code: str | None = None):
        self.module = module
        self._code = code
        self._quote: str | None = None
        self._chunks: list[Chunk] | None = None
        self._firsts: list[int] = []  # each chunk's first line; [0]: one chunk, the whole module
        self._by_id: dict[int, Chunk] = {}  # id of a statement (or header/footer line) -> its chunk
        self._module_span: CodeRange | None = None
        self._line_starts: list[int] | None = None
        self._known: dict[int, CodeRange] = {}  # id of a node -> its range, for the chunks looked at

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
    def ranges(self) -> dict[cst.CSTNode, CodeRange]:
        """node -> CodeRange (0-based columns) of every node (computes them all)."""
        out: dict[cst.CSTNode, CodeRange] = {}
        for chunk in list(self._top_chunks()):
            out.update(chunk.ranges or {})
        out[self.module] = self.module_span
        return out

    @property
    def module_span(self) -> CodeRange:
        if self._module_span is None:
            self._module_span = module_range(self.module, self.code)
        return self._module_span

    def line_offset(self, line: int) -> int | None:
        """Offset in :attr:`code` of the first character of 1-based ``line`` (None past the end)."""
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in NEWLINE.finditer(self.code))]
        return self._line_starts[line - 1] if 0 < line <= len(self._line_starts) else None

    def source_of(self, node: cst.CSTNode) -> str | None:
        """The script's text of an unparenthesized expression found in this tree, else None: what
        ``code_of`` generates for it, except that continuation lines keep the block's indentation."""
        span = self._known.get(id(node))
        if span is None or not isinstance(node, cst.BaseExpression) or getattr(node, "lpar", None) \
                or getattr(node, "rpar", None):
            return None
        start, end = self.line_offset(span.start.line), self.line_offset(span.end.line)
        return None if start is None or end is None else self.code[start + span.start.column:end + span.end.column]

    def find(self, where: Origin | None, kind: type = cst.CSTNode) -> Any:
        """The ``kind`` node spanning exactly ``where`` (1-based Origin columns), else the
        smallest ``kind`` node containing it, else None."""
        if where is None or where.line is None or where.col is None:
            return None
        start = (where.line, where.col - 1)
        end = (where.end_line or where.line, (where.end_col or where.col) - 1)
        return self._search(kind, start, end, exact=True)

    def enclosing(self, node: cst.CSTNode, kind: type) -> Any:
        """The smallest ``kind`` node containing ``node`` (``node`` itself when it is one), else None."""
        span = self.span(node)
        return None if span is None else self._search(kind, start_of(span), end_of(span), exact=False)

    def _search(self, kind: type, start: tuple[int, int], end: tuple[int, int], exact: bool) -> Any:
        """:meth:`find` (``exact``: a node spanning exactly ``start``..``end`` first) and :meth:`enclosing`.

        In the simple statement line holding the span, when one does (a node outside it that
        contains the span contains the whole line: the innermost one is inside, but for the block
        of that one line); else in the top-level chunk; then the module (last among nodes of equal
        range)."""
        chunk = self._chunk_at(start, end)
        if chunk is None:
            return self._module_containing(kind, start, end)
        if chunk.ranges is None and self._firsts != [0]:
            line = self._line_at(chunk, start, end)
            if line is not None and self._positions(line) is not None:
                found = line.exact(kind, start, end) if exact else None
                if found is None:
                    found = line.containing(kind, start, end)
                    # a block of this one line has its range, and comes after it: outside the line
                    if found is not None and issubclass(cst.IndentedBlock, kind) and \
                            line.ranges[found] == line.ranges[line.nodes[0]]:  # type: ignore[index]
                        found = None
                if found is not None:
                    return found
        ranges = self._positions(chunk)
        if ranges is None:  # fell back to the whole module
            chunk = self._chunks[0]  # type: ignore[index]
            ranges = chunk.ranges or {}
        found = chunk.exact(kind, start, end) if exact else None
        if found is None:
            found = chunk.containing(kind, start, end)
            if found is not None and ranges[found] == self.module_span and isinstance(self.module, kind):
                found = self.module
        return found if found is not None else self._module_containing(kind, start, end)

    def span(self, node: cst.CSTNode) -> CodeRange | None:
        """The range of ``node`` (statements not looked at yet are computed until it is found)."""
        if node is self.module:
            return self.module_span
        span = self._known.get(id(node))
        if span is not None:
            return span
        for _ in self._top_chunks():  # computes the chunks not looked at yet, one by one
            span = self._known.get(id(node))
            if span is not None:
                return span
        return None

    def spans(self, ids: set[int]) -> dict[int, CodeRange]:
        """id -> range of the nodes of ``ids`` (statements not looked at yet are computed until all are found)."""
        found = {key: self._known[key] for key in ids if key in self._known}
        if id(self.module) in ids:
            found[id(self.module)] = self.module_span
        if len(found) < len(ids):
            for _ in self._top_chunks():
                found.update((key, self._known[key]) for key in ids if key in self._known)
                if len(found) == len(ids):
                    break
        return found

    def visit_span(self, node: cst.CSTNode) -> CodeRange | None:
        """The range of ``node`` where known without computing more; a statement not looked at yet
        gets the lines it spans (none of its nodes was found, so no edit starts in it)."""
        if node is self.module:
            return self.module_span
        span = self._known.get(id(node))
        if span is not None:
            return span
        self._all()
        chunk = self._by_id.get(id(node))
        if chunk is not None and chunk.ranges is None:
            return CodeRange(CodePosition(chunk.first, 0), CodePosition(chunk.last, END))
        return None

    # -- chunks ------------------------------------------------------------------------------
    def _positions(self, chunk: Chunk) -> dict[cst.CSTNode, CodeRange] | None:
        """The chunk's ranges (recorded in ``_known``); None when a top-level chunk is not where ast
        says (the whole module is then one chunk) or a line chunk is not."""
        fresh = chunk.ranges is None
        ranges = chunk.positions(self.module, self.code, self.line_offset)
        if ranges is None:
            if not chunk.indents:  # (a line's failure: its top-level statement's chunk is computed instead)
                self._whole()
            return None
        if fresh:
            self._known.update((id(node), span) for node, span in ranges.items())
        return ranges

    def _line_at(self, chunk: Chunk, start: tuple[int, int], end: tuple[int, int]) -> Chunk | None:
        """The simple statement line of top-level ``chunk`` holding the span (its lines, the first time,
        are recorded by statement for :meth:`visit_span`)."""
        new = chunk.lines_known is False
        line = chunk.line_at(self.module, start, end)
        if new:
            self._by_id.update((id(inner.nodes[0]), inner) for inner in chunk.lines(self.module))
        return line

    def _all(self) -> list[Chunk]:
        if self._chunks is None:
            chunks = top_chunks(self.module, self.code, self.module_span)
            if chunks is None:
                self._whole()
            else:
                self._chunks = chunks
                self._by_id = {id(node): c for c in chunks for node in c.nodes}
                self._firsts = [c.first for c in chunks]
        return self._chunks  # type: ignore[return-value]

    def _top_chunks(self):
        """Every top-level chunk, its ranges computed (the chunks looked at first)."""
        chunks = self._all()
        yield from [c for c in chunks if c.ranges is not None]
        for chunk in chunks:
            if chunk.ranges is None:
                if self._positions(chunk) is None:  # fell back to the whole module
                    yield from self._chunks  # type: ignore[misc]
                    return
                yield chunk

    def _chunk_at(self, start: tuple[int, int], end: tuple[int, int]) -> Chunk | None:
        """The top-level chunk whose lines hold ``start``; an empty span at the start of a chunk's first
        line may also be in the chunk before (nodes there end where it starts): the whole module's."""
        chunks = self._all()
        if self._firsts == [0]:
            return chunks[0]
        at = bisect.bisect_right(self._firsts, start[0]) - 1
        if at > 0 and start == end == (chunks[at].first, 0):
            self._whole()
            return self._chunks[0]  # type: ignore[index]
        return chunks[at] if at >= 0 and start[0] <= chunks[at].last else None

    def _module_containing(self, kind: type, start: tuple[int, int], end: tuple[int, int]) -> Any:
        span = self.module_span
        inside = start_of(span) <= start and end <= end_of(span)
        return self.module if inside and isinstance(self.module, kind) else None

    def _whole(self) -> None:
        """Fall back to the ranges of the whole module in one chunk (``PositionProvider``'s)."""
        chunk = whole(self.module)
        self._known = {id(node): span for node, span in (chunk.ranges or {}).items()}
        self._chunks, self._by_id, self._firsts = [chunk], {}, [0]


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
