"""libcst node ranges computed a statement at a time (what :class:`~._plan.SourceTree` looks nodes up in).

libcst's ``PositionProvider`` regenerates the code of the whole module to
give every node its range: on a long script that is the largest cost of a
rewrite.  A :class:`Chunk` is one top-level statement (or the module's header
or footer comments), or one simple statement line inside a top-level
function, class, loop, ``if``, ``with`` or ``try``: its code alone is
regenerated, from the line where the stdlib ``ast`` of the same code says it
starts and with the indentation of its blocks, which gives the ranges
``PositionProvider`` would.  The regenerated text is compared with the code
at that line; when they differ the chunk is not used (its caller computes a
larger one, down to the whole module).
"""

from __future__ import annotations

import ast
import bisect
import re
from collections import defaultdict
from typing import Any, Sequence

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

NEWLINE = re.compile(r"\r\n?|\n")
#: ``last`` of a chunk that runs to the end of the module.
END = 1 << 30


class Chunk:
    """``nodes`` generated from line ``first`` to ``last`` under the ``indents`` of their blocks and,
    once looked at, the range of every node in them."""

    def __init__(self, nodes: Sequence[cst.CSTNode], first: int, last: int, indents: tuple[str, ...] = (),
                 source: ast.stmt | None = None):
        self.nodes, self.first, self.last, self.indents = nodes, first, last, indents
        self.source = source  # the ast statement of a top-level compound statement (for :meth:`lines`)
        self.ranges: dict[cst.CSTNode, CodeRange] | None = None
        self.failed = False  # the regenerated text is not the code at ``first``
        self.starts: dict[tuple[int, int], list[cst.CSTNode]] = {}
        #: kind -> its nodes sorted by range, for containment searches (:meth:`containing`)
        self.kinds: dict[type, Any] = {}
        self._lines: list[Chunk] | None = None
        self._line_firsts: list[int] = []

    def positions(self, module: cst.Module, code: str, line_offset) -> dict[cst.CSTNode, CodeRange] | None:
        """The ranges of this chunk's nodes (None when its text is not where ast says it starts)."""
        if self.ranges is None and not self.failed:
            self.ranges = generate(module, code, line_offset, self.nodes, self.first, self.indents)
            self.failed = self.ranges is None
            if self.ranges is not None:
                starts: dict[tuple[int, int], list[cst.CSTNode]] = defaultdict(list)
                for node, span in self.ranges.items():
                    starts[(span.start.line, span.start.column)].append(node)
                self.starts = starts
        return self.ranges

    @property
    def lines_known(self) -> bool:
        return self._lines is not None

    def lines(self, module: cst.Module) -> list[Chunk]:
        """The simple statement lines inside this top-level compound statement, in source order
        (none when its blocks cannot be paired with its ast statement's)."""
        if self._lines is None:
            out: list[Chunk] = []
            if self.source is not None and len(self.nodes) == 1:
                try:
                    _inner_lines(self.nodes[0], self.source, (), module.default_indent, out)
                except _Unpaired:
                    out = []
            self._lines = out
            self._line_firsts = [c.first for c in out]
        return self._lines

    def line_at(self, module: cst.Module, start: tuple[int, int], end: tuple[int, int]) -> Chunk | None:
        """The simple statement line inside this chunk whose lines hold ``start``..``end``; None for
        an empty span at the start of its first line (nodes of the line before may end there)."""
        lines = self.lines(module)
        at = bisect.bisect_right(self._line_firsts, start[0]) - 1
        if at < 0 or end[0] > lines[at].last or start == end == (lines[at].first, 0):
            return None
        return lines[at]

    def exact(self, kind: type, start: tuple[int, int], end: tuple[int, int]) -> Any:
        """The first ``kind`` node of this chunk spanning exactly ``start``..``end``, else None."""
        ranges = self.ranges or {}
        return next((node for node in self.starts.get(start, ())
                     if isinstance(node, kind) and end_of(ranges[node]) == end), None)

    def containing(self, kind: type, start: tuple[int, int], end: tuple[int, int]) -> Any:
        """The smallest ``kind`` node of this chunk containing ``start``..``end`` (the deepest of equal ones).

        Nodes of ``kind`` sorted by (start, -end, order) are searched backwards from ``start``:
        ranges nest, so the first one containing the span is the innermost; the running
        maximum of their ends stops the search once no earlier node reaches ``end``."""
        index = self.kinds.get(kind)
        if index is None:
            found = sorted((start_of(span), (-span.end.line, -span.end.column), order, node, end_of(span))
                           for order, (node, span) in enumerate((self.ranges or {}).items())
                           if isinstance(node, kind))
            reach, ends = (0, 0), []
            for entry in found:
                reach = max(reach, entry[4])
                ends.append(reach)
            index = self.kinds[kind] = ([e[0] for e in found], [(e[3], e[4]) for e in found], ends)
        starts, nodes, reach = index
        at = bisect.bisect_right(starts, start) - 1
        while at >= 0 and reach[at] >= end:
            node, node_end = nodes[at]
            if end <= node_end:
                return node
            at -= 1
        return None


def whole(module: cst.Module) -> Chunk:
    """One chunk of the whole module, with ``PositionProvider``'s ranges."""
    chunk = Chunk((), 1, END)
    chunk.ranges = whole_positions(module)
    starts: dict[tuple[int, int], list[cst.CSTNode]] = defaultdict(list)
    for node, span in chunk.ranges.items():
        starts[(span.start.line, span.start.column)].append(node)
    chunk.starts = starts
    return chunk


def top_chunks(module: cst.Module, code: str, module_span: CodeRange) -> list[Chunk] | None:
    """The module's header, top-level statements and footer with the lines each one's code takes
    (a statement's leading comments and blank lines included), from the stdlib ``ast`` of ``code``;
    None when they cannot be paired."""
    from .script_index import parse  # the tree the check of this text parsed, when shared

    try:
        body = parse(code).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    chunks = [Chunk(tuple(module.header), 1, 0)] if module.header else []
    at = 0
    for stmt in module.body:
        count = len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
        if at + count > len(body):
            return None
        chunks.append(Chunk((stmt,), _first_line(body[at]) - len(stmt.leading_lines), 0, (),
                            None if count > 1 or isinstance(stmt, cst.SimpleStatementLine) else body[at]))
        at += count
    if at != len(body):
        return None
    if module.footer:  # one line per comment or blank line, up to the end of the module
        chunks.append(Chunk(tuple(module.footer), module_span.end.line - len(module.footer), 0))
    for chunk, after in zip(chunks, chunks[1:]):
        if after.first <= chunk.first:
            return None
        chunk.last = after.first - 1
    if chunks:
        chunks[-1].last = END
    return chunks


class _Unpaired(Exception):
    """A compound statement whose libcst and ast blocks do not match one to one."""


def _inner_lines(stmt: cst.CSTNode, source: ast.stmt, indents: tuple[str, ...], default: str,
                 out: list[Chunk]) -> None:
    """Append a chunk for each simple statement line in the blocks of ``stmt``, in source order."""
    for block, body in _blocks(stmt, source):
        if not isinstance(block, cst.IndentedBlock):
            raise _Unpaired  # ``if x: y`` on one line
        inner = (*indents, default if block.indent is None else block.indent)
        at = 0
        for child in block.body:
            count = len(child.body) if isinstance(child, cst.SimpleStatementLine) else 1
            if at + count > len(body):
                raise _Unpaired
            if isinstance(child, cst.SimpleStatementLine):
                out.append(Chunk((child,), _first_line(body[at]) - len(child.leading_lines),
                                 body[at + count - 1].end_lineno or 0, inner))
            else:
                _inner_lines(child, body[at], inner, default, out)
            at += count
        if at != len(body):
            raise _Unpaired


def _blocks(stmt: cst.CSTNode, source: ast.stmt):
    """(libcst block, ast statements) of each block of a compound statement, in source order."""
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) and isinstance(
            source, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield stmt.body, source.body
    elif isinstance(stmt, (cst.For, cst.While)) and isinstance(source, (ast.For, ast.AsyncFor, ast.While)):
        yield stmt.body, source.body
        if stmt.orelse is not None:
            yield stmt.orelse.body, source.orelse
    elif isinstance(stmt, cst.With) and isinstance(source, (ast.With, ast.AsyncWith)):
        yield stmt.body, source.body
    elif isinstance(stmt, cst.If) and isinstance(source, ast.If):
        yield stmt.body, source.body
        if isinstance(stmt.orelse, cst.Else):
            yield stmt.orelse.body, source.orelse
        elif isinstance(stmt.orelse, cst.If):
            if len(source.orelse) != 1:
                raise _Unpaired
            yield from _blocks(stmt.orelse, source.orelse[0])
    elif isinstance(stmt, cst.Try) and isinstance(source, ast.Try):
        yield stmt.body, source.body
        if len(stmt.handlers) != len(source.handlers):
            raise _Unpaired
        for handler, ast_handler in zip(stmt.handlers, source.handlers):
            yield handler.body, ast_handler.body
        if stmt.orelse is not None:
            yield stmt.orelse.body, source.orelse
        if stmt.finalbody is not None:
            yield stmt.finalbody.body, source.finalbody
    else:
        raise _Unpaired


def _first_line(stmt: ast.stmt) -> int:
    return min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))])


def generate(module: cst.Module, code: str, line_offset, nodes: Sequence[cst.CSTNode], first: int,
             indents: tuple[str, ...]) -> dict[cst.CSTNode, CodeRange] | None:
    """node -> CodeRange of every node in ``nodes``, whose code starts at line ``first`` under
    ``indents``: their code is regenerated from there, as ``PositionProvider`` does for the whole
    module.  None when the regenerated text is not the code at that line (or libcst lacks these
    internals)."""
    provider = PositionProvider()
    state = _state(module, provider)
    if state is None:
        return None
    state.line = first
    state.indent_tokens = list(indents)
    for node in nodes:
        node._codegen(state)
    text = "".join(state.tokens)
    offset = line_offset(first)
    if offset is None or code[offset:offset + len(text)] != text and (
            module.has_trailing_newline or code[offset:] + module.default_newline != text):
        return None
    return provider._computed


def module_range(module: cst.Module, code: str) -> CodeRange:
    """The module's own range as ``PositionProvider`` gives it: from the start to the end of its code
    (a newline added when the file does not end with one)."""
    if module.has_trailing_newline and not code:
        code = module.default_newline
    elif not module.has_trailing_newline and code:
        code += module.default_newline
    segments = NEWLINE.split(code)
    return CodeRange(CodePosition(1, 0), CodePosition(len(segments), len(segments[-1])))


def whole_positions(module: cst.Module) -> Any:
    """node -> CodeRange of every node of ``module``.  ``MetadataWrapper.resolve`` runs the same
    provider, then a visit of the whole tree for batchable providers (there are none here): a
    third of the cost on a large script, so the provider is run directly when libcst allows it."""
    provider = PositionProvider()
    state = _state(module, provider)
    if state is None:  # a libcst without these internals
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    module._codegen(state)
    return provider._computed


class _Syntactic:
    """``record_syntactic_position`` of libcst's position state as a plain context manager (the same
    ranges, without a generator and ``contextlib`` wrapper per node)."""

    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: Any, node: cst.CSTNode, start_node: Any, end_node: Any):
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

    def __enter__(self) -> None:
        self.start = CodePosition(self.state.line, self.state.column)

    def __exit__(self, *exc: Any) -> None:
        state = self.state
        computed = state.provider._computed
        start = computed[self.start_node].start if self.start_node is not None else self.start
        end = computed[self.end_node].end if self.end_node is not None else CodePosition(state.line, state.column)
        computed[self.node] = CodeRange(start, end)


def _fast_state() -> Any:
    """libcst's ``PositionProvidingCodegenState`` with its two hot paths made cheaper (None when this
    libcst lacks it): a token without a line break only moves the column, and syntactic positions
    are recorded by :class:`_Syntactic`.  The ranges are the same."""
    try:
        from libcst.metadata.position_provider import PositionProvidingCodegenState
    except ImportError:
        return None

    class FastState(PositionProvidingCodegenState):  # type: ignore[misc,valid-type]
        def add_token(self, value: str) -> None:
            self.tokens.append(value)
            if "\n" in value or "\r" in value:
                self._update_position(value)
            else:
                self.column += len(value)

        def record_syntactic_position(self, node: cst.CSTNode, *, start_node: Any = None,
                                      end_node: Any = None) -> Any:
            return _Syntactic(self, node, start_node, end_node)

    return FastState


_STATE: list[Any] = []


def _state(module: cst.Module, provider: PositionProvider) -> Any:
    """A position-recording codegen state for ``module`` that fills ``provider._computed`` (None when
    this libcst lacks the internals)."""
    if not _STATE:
        _STATE.append(_fast_state())
    try:
        return _STATE[0](default_indent=module.default_indent, default_newline=module.default_newline,
                         provider=provider) if _STATE[0] is not None else None
    except TypeError:
        return None


def start_of(span: CodeRange) -> tuple[int, int]:
    return span.start.line, span.start.column


def end_of(span: CodeRange) -> tuple[int, int]:
    return span.end.line, span.end.column
