"""A training script as a stdlib ``ast`` index: calls, assignments by name, import aliases.

Script-level edit handlers (:mod:`autofix.source.script_edits`) read it to
decide which expressions to change; the plan builds it once per rewrite
(:attr:`autofix.source._plan.Plan.script_index`).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from typing import Any

from ..spec import Origin
from .text import SourceText


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument ``name`` of ``call`` (None when not passed)."""
    return next((k.value for k in call.keywords if k.arg == name), None)


class ScriptIndex:
    """One script as a stdlib ``ast`` tree: calls, assignments by name, import aliases."""

    def __init__(self, code: str):
        self.tree = ast.parse(code)
        self.text = SourceText(code, "<script>")
        self.calls: list[ast.Call] = []
        self.assigns: dict[str, list[ast.Assign]] = defaultdict(list)
        self.aliases: dict[str, str] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                self.calls.append(node)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.assigns[node.targets[0].id].append(node)
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
        for call in self.calls:
            found = self.origin(call)
            if (found.line, found.col) == (where.line, where.col):
                return call
        return None

    def callee(self, call: ast.Call) -> str:
        """The called name (``EarlyStopping`` for ``keras.callbacks.EarlyStopping``), aliases resolved."""
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return self.aliases.get(name, name)

    def value_of(self, node: ast.expr | None, before_line: int) -> ast.expr | None:
        """A name's value from its last plain assignment above ``before_line`` (else the node)."""
        if not isinstance(node, ast.Name):
            return node
        earlier = [a for a in self.assigns.get(node.id, ()) if a.lineno < before_line]
        return earlier[-1].value if earlier else node
