"""A fast, source-order walk over a stdlib ``ast`` tree with ``visit_<Node>`` hooks.

``ast.NodeVisitor`` goes through ``iter_child_nodes``/``iter_fields`` generators
and visits every leaf, down to each ``Name``'s ``Load()`` context; on a training
script that costs more than parsing it.  :class:`Walker` computes, once per node
type, which visitor to call and which fields can hold child nodes, and never
descends into leaves (names, constants, contexts, operators), which roughly
halves the time of a full walk.  :func:`nodes` is ``ast.walk`` without the
generator per node and without contexts and operators.
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


#: Fields that never hold a node, for :func:`nodes` (which lists names and constants too).
_NO_NODES = _NOT_CHILDREN - {"names"} | {"asname", "kwd_attrs", "rest", "tag"}
#: Node type -> the fields :func:`nodes` reads (none for nodes whose fields hold no node).
_NODE_FIELDS: dict[type, tuple[str, ...]] = {
    kind: () if kind in (ast.Constant, ast.Name, ast.Global, ast.Nonlocal, ast.MatchSingleton)
    else tuple(f for f in kind._fields if f not in _NO_NODES)
    for kind in (getattr(ast, n) for n in dir(ast)) if isinstance(kind, type) and issubclass(kind, ast.AST)}


def nodes(tree: ast.AST):
    """Every node of ``tree`` breadth first, in ``ast.walk``'s order, less the contexts and
    operators (``Load()``, ``Add()``, ``Eq()``): about 3x faster than ``ast.walk``."""
    fields_of = _NODE_FIELDS
    todo = [tree]
    for node in todo:
        if node is None:  # a ``**`` entry's key in a dict display, a keyword-only parameter without default
            continue
        yield node
        for field in fields_of[type(node)]:
            child = getattr(node, field)
            if type(child) is list:
                todo.extend(child)
            elif child is not None:
                todo.append(child)
