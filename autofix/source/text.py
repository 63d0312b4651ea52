"""A script's text seen through stdlib ``ast`` positions.

``ast`` gives each node ``lineno``/``col_offset``/``end_lineno``/``end_col_offset``
with columns in UTF-8 *bytes*; origins (and libcst, which the rewriter uses to
find a node again by position) count *characters*.  :class:`SourceText` converts
between the two and cuts source segments without re-splitting the text for
every node (which is what makes ``ast.get_source_segment`` slow).
"""

from __future__ import annotations

import ast
import re

from ..spec import Origin

_NEWLINE = re.compile(r"\r\n?|\n")


class SourceText:
    """Line offsets of ``code`` for origins and segments of its ast nodes."""

    def __init__(self, code: str, path: str):
        self.code = code
        self.path = path
        self._starts: list[int] | None = None
        self._ascii = code.isascii()  # byte columns are character columns

    @property
    def starts(self) -> list[int]:
        """Offset of the first character of each line (index 0 is line 1)."""
        if self._starts is None:
            self._starts = [0, *(m.end() for m in _NEWLINE.finditer(self.code))]
        return self._starts

    def column(self, line: int, byte_col: int) -> int:
        """The 0-based character column of byte column ``byte_col`` on ``line``."""
        if self._ascii:
            return byte_col
        starts = self.starts
        text = self.code[starts[line - 1]:starts[line] if line < len(starts) else len(self.code)]
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))

    def offset(self, line: int, byte_col: int) -> int:
        """Character offset into ``code`` of an ast (line, byte column) position."""
        return self.starts[line - 1] + self.column(line, byte_col)

    def segment(self, node: ast.AST) -> str:
        """The source text of ``node`` (without enclosing parentheses)."""
        return self.code[self.offset(node.lineno, node.col_offset):
                         self.offset(node.end_lineno, node.end_col_offset)]

    def between(self, first: ast.AST, last: ast.AST) -> str:
        """The source text from the start of ``first`` to the end of ``last``."""
        return self.code[self.offset(first.lineno, first.col_offset):
                         self.offset(last.end_lineno, last.end_col_offset)]

    def origin(self, node: ast.AST) -> Origin:
        """The node's range as an Origin (1-based line and column, end exclusive)."""
        return Origin(self.path, node.lineno, self.column(node.lineno, node.col_offset) + 1,
                      node.end_lineno, self.column(node.end_lineno, node.end_col_offset) + 1)

    def attr_origin(self, node: ast.Attribute) -> Origin:
        """The range of the attribute name in ``value.attr`` (it ends the node)."""
        end = self.column(node.end_lineno, node.end_col_offset)
        return Origin(self.path, node.end_lineno, end - len(node.attr) + 1, node.end_lineno, end + 1)
