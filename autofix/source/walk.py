"""A fast, source-order walk over a stdlib ``ast`` tree with ``visit_<Node>`` hooks.

``ast.NodeVisitor`` goes through ``iter_child_nodes``/``iter_fields`` generators
and visits every leaf, down to each ``Name``'s ``Load()`` context; on a training
script that costs more than parsing it.  :class:`Walker` computes, once per node
type, which visitor to call and which fields can hold child nodes, and never
descends into leaves (names, constants, contexts, operators), which roughly
halves the time of a full walk.
"""

from __future__ import annotations

import ast
from typing import Any

#: Node types with nothing below them worth visiting.
_LEAVES = frozenset({
    ast.Name, ast.Constant, ast.Load, ast.Store, ast.Del, ast.alias, ast.Pass, ast.Break, ast.Continue,
    ast.Global, ast.Nonlocal, type(None), str, int,
})
#: Fields that never hold a node worth visiting.
_NOT_CHILDREN = frozenset({"ctx", "op", "ops", "id", "attr", "name", "arg", "kind", "type_comment", "level",
                           "module", "names", "conversion", "simple", "is_async", "type_ignores"})
#: Statements that hold no other statements (the ``stmt`` of whatever sits in them).
SIMPLE_STATEMENTS = frozenset({ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Delete,
                               ast.Raise, ast.Assert})


class Walker:
    """Walk a tree in source order calling ``visit_<NodeType>(node)`` where defined.

    A visitor that returns False has walked (or skipped) the node's children
    itself.  ``self.stmts`` holds the simple statements being walked, innermost
    last.
    """

    #: Node type -> (visitor function or None, is a simple statement, child fields); per subclass.
    _plans: dict[type, tuple[Any, bool, tuple[str, ...]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._plans = {}

    def __init__(self) -> None:
        self.stmts: list[ast.stmt] = []

    def _plan(self, kind: type) -> tuple[Any, bool, tuple[str, ...]]:
        visit = getattr(type(self), f"visit_{kind.__name__}", None)
        fields = tuple(f for f in getattr(kind, "_fields", ()) if f not in _NOT_CHILDREN)
        plan = self._plans[kind] = (visit, kind in SIMPLE_STATEMENTS, fields)
        return plan

    def walk(self, node: ast.AST) -> None:
        """Visit ``node``, then (unless its visitor returned False) its children."""
        kind = type(node)
        visit, simple, fields = self._plans.get(kind) or self._plan(kind)
        if simple:
            self.stmts.append(node)
        if visit is None or visit(self, node) is not False:
            for field in fields:
                child = getattr(node, field)
                if type(child) is list:
                    for item in child:
                        if type(item) not in _LEAVES:
                            self.walk(item)
                elif type(child) not in _LEAVES and isinstance(child, ast.AST):
                    self.walk(child)
        if simple:
            self.stmts.pop()

    def walk_children(self, node: ast.AST) -> None:
        """Walk ``node``'s children (for a visitor that wraps them in set-up/tear-down)."""
        for field in (self._plans.get(type(node)) or self._plan(type(node)))[2]:
            child = getattr(node, field)
            for item in child if type(child) is list else (child,):
                if type(item) not in _LEAVES and isinstance(item, ast.AST):
                    self.walk(item)
