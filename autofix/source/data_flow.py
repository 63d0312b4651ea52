"""Data facts a training script shows, read without running it (stdlib ``ast`` + numpy).

:class:`DataFlow` is a small abstract interpreter over the statements that build
training data: assignments and unpacking, ``if`` branches (a name bound differently
in two branches is opaque afterwards) and loops (names a loop assigns are opaque).
Expressions are evaluated by :mod:`.data_exprs`, calls (the script's own functions
and classes, ``fit()``, ``predict()``, libraries) by :mod:`.data_invoke`.  Values are
:class:`~.data_values.Arr` (arrays), plain numbers, tuples, or
:data:`~.data_objects.TOP` (anything not understood: never guessed).  ``fits`` holds
the values of ``x``, ``y`` and ``validation_data`` at each ``fit()`` call, ``uses``
the held-out values used for evaluation; :mod:`.script_data` turns them into each
model's ``DataSpec``.
"""

from __future__ import annotations

import ast
from typing import Any

from . import data_calls, data_index
from .data_exprs import BINOPS
from .data_calls import Gen
from .data_invoke import Calls
from .data_objects import TOP, Func, Instance, OutOfBudget, Ref, join
from .data_values import Arr, rewritten, scalar
from .names import ImportTable
from .text import SourceText
from .walk import nodes


class DataFlow(Calls):
    """Interprets a module: ``run(tree)`` fills ``fits`` and ``uses``."""

    def __init__(self, text: SourceText):
        super().__init__(text)
        self.imports = ImportTable()
        self._stored: dict[int, list[str]] = {}  # by id of a statement list: what havoc() makes opaque
        self._in_place: dict[int, list[str]] = {}  # by id of a loop body: what it writes only in place

    # -- entry -------------------------------------------------------------
    def run(self, tree: ast.Module) -> "DataFlow":
        data_calls.reset_draws()
        try:
            self.block(tree.body, self.globals)
        except (OutOfBudget, RecursionError):
            pass
        return self

    # -- statements ----------------------------------------------------------
    def block(self, body: list[ast.stmt], env: dict) -> None:
        for stmt in body:
            self.stmt(stmt, env)

    def stmt(self, node: ast.stmt, env: dict) -> None:
        self.tick()
        kind = type(node)
        if kind is ast.Assign:
            value = self.eval(node.value, env)
            for target in node.targets:
                self.assign(target, value, env, node.value)
        elif kind is ast.AnnAssign and node.value is not None:
            self.assign(node.target, self.eval(node.value, env), env, node.value)
        elif kind is ast.AugAssign:
            self.augassign(node, env)
        elif kind is ast.Expr:
            self.eval(node.value, env)
        elif kind is ast.Return:
            if self._returns:
                self._returns[-1].append(self.eval(node.value, env) if node.value is not None else None)
        elif kind in (ast.Import, ast.ImportFrom):
            self.imports.add(node)
            for alias in node.names:
                name = alias.asname or alias.name.split(".", 1)[0]
                if name != "*":
                    env[name] = Ref(self.imports.aliases.get(name, name))
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef):
            env[node.name] = Func(node, scope=env if env is not self.globals else None)
        elif kind is ast.ClassDef:
            env[node.name] = node
        elif kind is ast.If:
            self.branch(node, env)
        elif kind in (ast.For, ast.AsyncFor, ast.While):
            self.loop(node, env)
        elif kind in (ast.With, ast.AsyncWith):
            for item in node.items:
                self.eval(item.context_expr, env)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, TOP, env)
            self.block(node.body, env)
        elif kind is ast.Try or kind.__name__ == "TryStar":
            self.block(node.body, env)
            for handler in node.handlers:  # a handler may run instead: what it binds is opaque
                self.havoc(handler.body, env)
            self.block(node.orelse, env)
            self.block(node.finalbody, env)

    def branch(self, node: ast.If, env: dict) -> None:
        if _is_main_guard(node.test):
            self.block(node.body, env)
            return
        test = self.eval(node.test, env)
        if isinstance(test, bool):  # ``if y.ndim == 1`` with a known shape
            self.block(node.body if test else node.orelse, env)
            return
        first, second = dict(env), dict(env)
        self.block(node.body, first)
        self.block(node.orelse, second)
        for name in set(first) | set(second):
            env[name] = join(first.get(name, TOP), second.get(name, TOP))

    def loop(self, node: ast.stmt, env: dict) -> None:
        """The body once, with every name the loop assigns opaque before and after it; an array the
        loop only writes in place (``x[i] = v``, ``x[:, j] *= s``, ``x += v``) keeps its shape and dtype."""
        names = self._in_place.get(id(node.body))
        if names is None:
            names = self._in_place[id(node.body)] = _in_place_names(node.body)
        kept = {name: rewritten(env[name]) for name in names if isinstance(env.get(name), Arr) and env[name].shape}
        self.havoc(node.body, env)
        env.update(kept)
        if not isinstance(node, ast.While):
            source = self.eval(node.iter, env)
            if isinstance(source, Gen):
                source.take()  # a generator is read once
            self.assign(node.target, TOP, env)
        self.block(node.body, env)
        self.havoc(node.body, env)
        env.update(kept)
        self.block(node.orelse, env)

    def havoc(self, body: list[ast.stmt], env: dict) -> None:
        """Every name ``body`` binds or stores into (``a[i] = v``, ``a.x = v``) becomes opaque."""
        names = self._stored.get(id(body))
        if names is None:  # a loop's body is havocked twice, and again for each enclosing loop
            names = self._stored[id(body)] = _stored_names(body)
        for name in names:
            env[name] = TOP

    def assign(self, target: ast.expr, value: Any, env: dict, node: ast.expr | None = None) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = value if isinstance(value, (tuple, list)) and len(value) == len(target.elts) else None
            if items is None and isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == len(target.elts):
                items = [self.eval(el, env) for el in node.elts]
            for index, element in enumerate(target.elts):
                inner = node.elts[index] if isinstance(node, (ast.Tuple, ast.List)) and items is not None and len(
                    node.elts) == len(target.elts) else None
                self.assign(element, items[index] if items is not None else TOP, env, inner)
        elif isinstance(target, ast.Attribute):
            owner = self.eval(target.value, env)
            if isinstance(owner, Instance):
                owner.attrs[target.attr] = value
        elif isinstance(target, ast.Subscript):
            self.store_item(target, lambda old: value, env)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, TOP, env)

    def store_item(self, target: ast.Subscript, update, env: dict) -> None:
        """``a[idx] = v`` / ``a[idx] += v``: ``a`` keeps its rows, some of them change."""
        if not isinstance(target.value, ast.Name):
            self.havoc_name(target.value, env)
            return
        old = env.get(target.value.id, TOP)
        index = self.eval(target.slice, env)
        if not isinstance(old, Arr):
            if isinstance(old, (list, dict)):
                env[target.value.id] = TOP
            return
        part = data_index.item(old, index, target, self.text)
        new = update(part if isinstance(part, Arr) else TOP)
        new = scalar(new) if isinstance(new, (int, float)) and not isinstance(new, bool) else new
        env[target.value.id] = data_index.stored(old, index, new) if isinstance(new, Arr) else rewritten(old)

    def havoc_name(self, node: ast.expr, env: dict) -> None:
        while isinstance(node, (ast.Subscript, ast.Attribute)):
            node = node.value
        if isinstance(node, ast.Name):
            env[node.id] = TOP

    def augassign(self, node: ast.AugAssign, env: dict) -> None:
        op = BINOPS.get(type(node.op))
        rhs = self.eval(node.value, env)
        if isinstance(node.target, ast.Subscript):
            self.store_item(node.target, lambda old: self.arith(op, old, rhs, node.value) if op else TOP, env)
        elif isinstance(node.target, ast.Name):
            old = env.get(node.target.id, TOP)
            env[node.target.id] = self.arith(op, old, rhs, node.value, node) if op else TOP
        else:
            self.havoc_name(node.target, env)


def _stored_names(body: list[ast.stmt]) -> list[str]:
    """The names ``body`` stores to or into, in ``ast.walk`` order."""
    names: dict[str, None] = {}
    for stmt in body:
        for sub in nodes(stmt):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names[sub.id] = None
            elif isinstance(sub, (ast.Subscript, ast.Attribute)) and isinstance(sub.ctx, ast.Store):
                base = sub.value
                while isinstance(base, (ast.Subscript, ast.Attribute)):
                    base = base.value
                if isinstance(base, ast.Name) and base.id != "self":
                    names[base.id] = None
    return list(names)


def _in_place_names(body: list[ast.stmt]) -> list[str]:
    """The names ``body`` writes only element-wise (``a[i] = v``, ``a[i][j] += v``) or with in-place
    arithmetic (``a *= s``): an array keeps its shape and dtype through such writes."""
    augmented = {id(sub.target) for stmt in body for sub in nodes(stmt) if isinstance(sub, ast.AugAssign)}
    written: dict[str, bool] = {}
    for stmt in body:
        for sub in nodes(stmt):
            if isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
                written[sub.id] = written.get(sub.id, True) and id(sub) in augmented
            elif isinstance(sub, (ast.Subscript, ast.Attribute)) and not isinstance(sub.ctx, ast.Load):
                base, elementwise = sub, isinstance(sub.ctx, ast.Store)
                while isinstance(base, (ast.Subscript, ast.Attribute)):
                    elementwise = elementwise and isinstance(base, ast.Subscript)
                    base = base.value
                if isinstance(base, ast.Name):
                    written[base.id] = written.get(base.id, True) and elementwise
    return [name for name, kept in written.items() if kept]


def _is_main_guard(test: ast.expr) -> bool:
    return isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
