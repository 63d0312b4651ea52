"""A training script as a stdlib ``ast`` index: calls, assignments by name, import aliases.

Script-level edit handlers (:mod:`autofix.source.script_edits`) read it to
decide which expressions to change; the plan builds it once per rewrite
(:attr:`autofix.source._plan.Plan.script_index`).
"""

from __future__ import annotations

import ast
import contextlib
from collections import defaultdict
from functools import cached_property
from typing import Any, Iterator

from ..spec import Origin
from .bindings import key_of
from .text import SourceText


#: code -> its stdlib ``ast`` tree, while :func:`shared_trees` is active (else None).
_TREES: dict[str, ast.Module] | None = None


@contextlib.contextmanager
def shared_trees() -> Iterator[None]:
    """Within this block, :func:`parse` parses each text once: the check of a script, the ranges of
    its rewrite and its :class:`ScriptIndex` read one tree (no reader changes it)."""
    global _TREES
    outer = _TREES
    _TREES = {} if outer is None else outer
    try:
        yield
    finally:
        _TREES = outer


def parse(code: str, path: str = "<unknown>") -> ast.Module:
    """``ast.parse(code, path)``, once per text inside :func:`shared_trees`."""
    trees = _TREES
    if trees is None:
        return ast.parse(code, path)
    tree = trees.get(code)
    if tree is None:
        tree = trees[code] = ast.parse(code, path)
    return tree


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument ``name`` of ``call`` (None when not passed)."""
    return next((k.value for k in call.keywords if k.arg == name), None)


class ScriptIndex:
    """One script as a stdlib ``ast`` tree: calls, assignments by name, import aliases."""

    def __init__(self, code: str):
        self.tree = parse(code)
        self.text = SourceText(code, "<script>")
        self.calls: list[ast.Call] = []
        self.assigns: dict[str, list[ast.Assign]] = defaultdict(list)
        self.aliases: dict[str, str] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                self.calls.append(node)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and key_of(node.targets[0]) is not None:
                self.assigns[key_of(node.targets[0])].append(node)
            elif isinstance(node, ast.ImportFrom):
                self.aliases.update({a.asname: a.name for a in node.names if a.asname})
        #: positions already edited in this plan (an edit must not wrap twice)
        self.done: set[tuple[Any, ...]] = set()

    def origin(self, node: ast.AST) -> Origin:
        return self.text.origin(node)

    def call_at(self, where: Origin | None) -> ast.Call | None:
        """The call whose range starts where ``where`` starts."""
        if where is None or where.line is None:
            return None
        return self._call_starts.get((where.line, where.col))

    @cached_property
    def _call_starts(self) -> dict[tuple[Any, Any], ast.Call]:
        """(line, column) of a call's start -> the first call (in :attr:`calls` order) starting there."""
        starts: dict[tuple[Any, Any], ast.Call] = {}
        for call in self.calls:
            found = self.origin(call)
            starts.setdefault((found.line, found.col), call)
        return starts

    @cached_property
    def block_sizes(self) -> dict[int, int]:
        """id of a statement -> how many statements its block (``body``, ``orelse``, ``finalbody``) holds;
        the first block found in ``ast.walk`` order for a statement listed in two."""
        sizes: dict[int, int] = {}
        for node in ast.walk(self.tree):
            for field in ("body", "orelse", "finalbody"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    for stmt in block:
                        sizes.setdefault(id(stmt), len(block))
        return sizes

    def callee(self, call: ast.Call) -> str:
        """The called name (``EarlyStopping`` for ``keras.callbacks.EarlyStopping``), aliases resolved."""
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return self.aliases.get(name, name)

    def value_of(self, node: ast.expr | None, before_line: int) -> ast.expr | None:
        """A name's value from its last plain assignment above ``before_line``; a ``self.attr``'s
        from its one assignment in the script, when that is above (else the node)."""
        key = key_of(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
        if key is None:
            return node
        assigns = self.assigns.get(key, ())
        followed = isinstance(node, ast.Name) or len(assigns) == 1
        earlier = [a for a in assigns if a.lineno < before_line] if followed else []
        return earlier[-1].value if earlier else node
