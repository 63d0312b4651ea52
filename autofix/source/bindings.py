"""What a whole module shows about its names before the source-order walk: call sites, mutations, rebinding.

The extractor (:mod:`autofix.source.extract`) follows a name to the expression
it is bound to.  That is only sound when nothing else changes the value: a
parameter takes whatever its callers pass, a dict can be ``update``-d, a global
can be assigned again before a function reads it.  :class:`ModuleFacts` reads
the module once (:func:`~.walk.nodes`) so that the walk can tell these cases apart
and keep the value ``Opaque`` rather than pick one.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from typing import Any, Callable

from .walk import nodes

#: Methods that change a dict or list in place.
MUTATING_METHODS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "append", "extend", "insert",
                              "remove", "__setitem__", "__delitem__", "__ior__"})
#: Decorators that leave a function's parameters as the callers pass them.
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})
#: The other node kinds :class:`ModuleFacts` reads.
_RARE = frozenset({ast.arg, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Subscript, ast.AugAssign,
                   ast.Global, ast.Assign})


def key_of(node: ast.expr) -> str | None:
    """The binding a name or ``self.attr`` expression refers to (``"x"``, ``"self.model"``)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return f"self.{node.attr}"
    return None


class ModuleFacts:
    """Call sites by callee, names used other than by calling them, mutated and rebound names."""

    def __init__(self, tree: ast.Module):
        self.calls_by_name: dict[str, list[ast.Call]] = defaultdict(list)
        self.calls_by_attr: dict[str, list[ast.Call]] = defaultdict(list)
        #: names/attributes loaded other than as a call's callee (passed on, stored: called from anywhere)
        self.escaped: set[str] = set()
        #: ``d[k] = v``, ``del d[k]``, ``d += ...``, ``d.update(...)``, ``d["k"].append(...)``, ``global d``:
        #: never a literal; also a name whose object another name mutates (``cfg = CONFIG``, ``tweak(CONFIG)``
        #: with ``def tweak(c): c["k"] = 1``, ``def build(c=CONFIG)``: :meth:`_shared_mutations`)
        self.mutated: set[str] = set()
        #: module-level names bound more than once (a function reading one may see any of them)
        self.rebound: set[str] = set()
        #: names bound inside some function (parameters, assignments): a call argument may mean a local
        self.local_names: set[str] = set()
        self._defined: dict[str, int] = defaultdict(int)
        #: ``(a, b)``: name ``b`` may be bound to the object name ``a`` holds (``b = a``)
        self._aliases: list[tuple[str, str]] = []
        self._functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        callees: set[int] = set()
        stores: dict[str, int] = defaultdict(int)
        Name, Call, Attribute, Load = ast.Name, ast.Call, ast.Attribute, ast.Load  # locals: a hot loop
        escaped, by_name, by_attr = self.escaped, self.calls_by_name, self.calls_by_attr
        for node in nodes(tree):  # breadth first: a call is seen before its callee expression
            kind = type(node)
            if kind is Name:
                if type(node.ctx) is Load:
                    if id(node) not in callees:
                        escaped.add(node.id)
                else:
                    stores[node.id] += 1
            elif kind is Call:
                func = node.func
                if type(func) is Name:
                    callees.add(id(func))
                    by_name[func.id].append(node)
                elif type(func) is Attribute:
                    callees.add(id(func))
                    by_attr[func.attr].append(node)
                    if func.attr in MUTATING_METHODS:
                        self._mutate(func.value)
            elif kind is Attribute:
                if type(node.ctx) is Load and id(node) not in callees:
                    escaped.add("." + node.attr)
            elif kind in _RARE:
                self._rare(node, kind)
        counts: dict[str, int] = defaultdict(int)
        for stmt in _module_level(tree.body):
            for name in _assigned(stmt):
                counts[name] += 1
        self.rebound = {name for name, count in counts.items() if count > 1}
        self._shared_mutations()
        # a name stored more often than the module level stores it is (also) some function's local
        self.local_names.update(name for name, count in stores.items() if count > counts.get(name, 0))

    def _rare(self, node: ast.AST, kind: type) -> None:
        if kind is ast.arg:
            self.local_names.add(node.arg)
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            self._defined[node.name] += 1
            if kind is not ast.ClassDef:
                self._functions.append(node)
        elif kind is ast.Assign:
            if type(node.value) is ast.Name:
                self._aliases.extend((node.value.id, t.id) for t in node.targets if type(t) is ast.Name)
        elif kind is ast.Subscript:
            if type(node.ctx) is not ast.Load:
                self._mutate(node.value)
        elif kind is ast.AugAssign:
            self._mutate(node.target)
        else:  # ast.Global
            self.mutated.update(node.names)

    def _mutate(self, node: ast.expr) -> None:
        while isinstance(node, ast.Subscript) or isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "get":  # ``d["k"].append(...)``, ``d["a"]["b"] = 1`` change ``d``
            node = node.value if isinstance(node, ast.Subscript) else node.func.value
        key = key_of(node)
        if key is not None:
            self.mutated.add(key)

    def _shared_mutations(self) -> None:
        """A name is mutated when a name that may hold its object is: ``b = a`` then ``b["k"] = 1``; a
        parameter of the script's function mutated in its body makes every name passed to it (by any
        call of that name, or as its default) mutated too. Conservative: names, not scopes, are matched."""
        params: dict[str, set[str]] = defaultdict(set)
        defaults: list[tuple[str, str]] = []
        for func in self._functions:
            args = func.args
            every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
            params[func.name].update(a.arg for a in every)
            positional = args.posonlyargs + args.args
            named = list(zip(positional[len(positional) - len(args.defaults):], args.defaults)) + [
                (a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
            defaults.extend((d.id, a.arg) for a, d in named if isinstance(d, ast.Name))
        passed: list[tuple[str, str]] = list(self._aliases) + defaults
        for name, names in params.items():
            for call in self.calls_by_name.get(name, []) + self.calls_by_attr.get(name, []):
                values = [a.value if isinstance(a, ast.Starred) else a for a in call.args] + [
                    k.value for k in call.keywords]
                passed.extend((v.id, p) for v in values if isinstance(v, ast.Name) for p in names)
        changed = True
        while changed:
            changed = False
            for source, holder in passed:
                if holder in self.mutated and source not in self.mutated:
                    self.mutated.add(source)
                    changed = True

    def call_sites(self, func: ast.FunctionDef, cls: str | None) -> list[ast.Call] | None:
        """Every call of ``func`` in the module (a method's through any ``x.name(...)``, ``__init__``'s
        through the class); None when it may be called from elsewhere (passed on, defined twice)."""
        if self._defined[func.name] > 1 or any(_decorator(d) not in _PLAIN_DECORATORS for d in func.decorator_list):
            return None
        if cls is None:
            return None if func.name in self.escaped else list(self.calls_by_name[func.name])
        if func.name == "__init__":
            if cls in self.escaped or self._defined[cls] > 1:  # a subclass, a factory: other arguments
                return None
            # ``super().__init__(...)`` calls a base class's __init__ (no subclass of ``cls``: it is not escaped)
            return list(self.calls_by_name[cls]) + [call for call in self.calls_by_attr["__init__"]
                                                    if not _is_super(call.func.value)]
        if f".{func.name}" in self.escaped:
            return None
        return list(self.calls_by_attr[func.name])


def parameter_values(func: ast.FunctionDef, calls: list[ast.Call] | None, method: bool,
                     plain: Callable[[ast.expr], Any]) -> dict[str, ast.expr | None]:
    """What each parameter of ``func`` is bound to while its body is read at its definition.

    A parameter every call leaves out is its default; one every call passes as
    the same literal (``plain`` gives it, None when the argument is not one) is
    that argument; anything else, and every parameter of a function called
    from places the module does not show (``calls`` is None), is None (Opaque).
    """
    args = func.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    skip = 1 if method and not any(_decorator(d) == "staticmethod" for d in func.decorator_list) else 0
    names = positional[skip:] + [a.arg for a in args.kwonlyargs]
    defaults: dict[str, ast.expr] = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    defaults.update((a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None)
    out: dict[str, ast.expr | None] = {name: None for name in positional[:skip]}
    if args.vararg:
        out[args.vararg.arg] = None
    if args.kwarg:
        out[args.kwarg.arg] = None
    passed: dict[str, list[ast.expr]] = {name: [] for name in names}
    for call in calls if calls is not None else ():
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            calls = None  # ``f(*args)`` / ``f(**kw)``: any parameter may be given
            break
        bound = dict(zip(positional[skip:], call.args))
        bound.update((k.arg, k.value) for k in call.keywords if k.arg in passed)
        for name in names:
            if name in bound:
                passed[name].append(bound[name])
            elif name in defaults:
                passed[name].append(defaults[name])
            else:
                passed[name].append(None)  # a call missing a required argument (raises): unknown
    for name in names:
        if calls is None:
            out[name] = None
        elif not passed[name] or all(node is defaults.get(name) for node in passed[name]):
            out[name] = defaults.get(name)
        else:
            values = [plain(node) if node is not None else None for node in passed[name]]
            first = values[0]
            same = first is not None and all(v is not None and type(v) is type(first) and v == first
                                             for v in values)
            out[name] = passed[name][0] if same else None
    return out


def _is_super(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def _decorator(node: ast.expr) -> str:
    node = node.func if isinstance(node, ast.Call) else node
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _module_level(body: list[ast.stmt]):
    """The module's statements, into its ``if``/``for``/``while``/``try``/``with`` blocks (not functions, classes)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                yield from _module_level(inner)


def _assigned(stmt: ast.AST) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [n for target in stmt.targets for n in _target_names(target)]
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)) and getattr(stmt, "value", None) is not None:
        return _target_names(stmt.target)
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return _target_names(stmt.target)
    return []


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for el in target.elts for n in _target_names(el)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []
