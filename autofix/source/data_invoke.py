"""Calls in the data interpreter: the script's own functions and classes (arguments in, ``return``
out), ``fit()`` (its ``x``, ``y`` and ``validation_data`` recorded), ``predict()``/``evaluate()``
(held-out uses), builtins, and library calls and array methods (:mod:`.data_methods`).

:class:`Calls` runs a function body with :meth:`block`, which the subclass
:class:`~.data_flow.DataFlow` (statements) provides.
"""

from __future__ import annotations

import ast
from collections import ChainMap
from typing import Any

from . import data_calls, data_methods, data_order
from .data_exprs import Expressions
from .data_objects import TOP, Func, Instance, Ref, Rng, Use, join, method_of, plain
from .data_calls import Gen, Seq
from .data_values import Arr, Split, rewritten
from .text import SourceText

_FIT = ("fit", "fit_generator")
_EVALUATE = ("predict", "predict_generator", "evaluate", "predict_on_batch", "test_on_batch", "predict_proba",
             "predict_classes")
#: ndarray methods that change the array in place (``resize`` its shape too).
_IN_PLACE = ("sort", "fill", "resize", "put", "partition", "itemset", "setfield")
#: Values that are, or may hold, what :meth:`Calls.escape` makes opaque.
_HOLDERS = (list, dict, tuple, Gen)
#: Nested calls of the script's own functions followed before their result is opaque.
_MAX_DEPTH = 8


class Calls(Expressions):
    """``fits`` maps each fit() call node to its ``(x, y, validation)`` values."""

    def __init__(self, text: SourceText):
        super().__init__(text)
        self.fits: dict[int, tuple[ast.Call, dict[str, Any]]] = {}
        self.depth = 0
        self._returns: list[list[Any]] = []

    def block(self, body: list[ast.stmt], env: dict) -> None:
        raise NotImplementedError  # data_flow.DataFlow

    def call(self, node: ast.Call, env: dict) -> Any:
        func = self.eval(node.func, env)
        args = [self.eval(a, env) if not isinstance(a, ast.Starred) else TOP for a in node.args]
        kw = {k.arg: self.eval(k.value, env) for k in node.keywords if k.arg is not None}
        for k in node.keywords:
            if k.arg is None:
                unpacked = self.eval(k.value, env)
                if isinstance(unpacked, dict):
                    kw.update((key, v) for key, v in unpacked.items() if isinstance(key, str) and key not in kw)
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        if method is not None and _named(node.func.value):
            self.escape([self.eval(node.func.value, env)], env)  # ``rows.append(v)`` changes ``rows``
        numpy = isinstance(func, Ref) and func.path.startswith("numpy.") and not func.path.startswith("numpy.random.")
        builtin = isinstance(node.func, ast.Name) and node.func.id in _PURE and func is TOP
        if not (numpy or builtin):  # the call may change a list it is given
            self.escape([*args, *kw.values()], env)
        if method in _FIT and not isinstance(func, Func):
            self.record_fit(node, args, kw)
            return TOP
        if method in _EVALUATE and not isinstance(func, Func):
            written = {k.arg: k.value for k in node.keywords}
            self.note_uses([Arr(prediction=True), *args, kw.get("x"), kw.get("y")],
                           self.text.segment(node.args[0]) if node.args else "", node.lineno,
                           [None, *node.args, written.get("x"), written.get("y")],
                           [None, *(("x", "y") + (None,) * len(args))[:len(args)], "x", "y"])
            return data_order.predicted(args, node.lineno) if method.startswith("predict") else TOP
        if method in data_order.FLOWS and not isinstance(func, Func):
            return data_order.flow(node, kw)
        if isinstance(func, Func):
            return self.invoke(func, node, args, kw, env)
        if isinstance(func, ast.ClassDef):
            instance = Instance(func)
            init = method_of(func, "__init__")
            if init is not None:
                self.invoke(Func(init, instance), node, args, kw, env)
            return instance
        rng = data_order.rng_of(func, self.legacy)
        if rng is not None and rng[1] == "seed" and rng[0] is self.legacy:
            self.legacy = Rng(seeded=True)  # later legacy draws may repeat earlier ones
            return None
        if rng is not None and rng[1] in ("default_rng", "RandomState", "Generator"):
            return data_order.seeded_generator(args, kw)
        if rng is not None:
            return data_order.rng_call(rng[0], rng[1], node, args, kw, env)
        if isinstance(func, Ref) and func.path.startswith("sklearn.") and func.path.endswith("utils.shuffle"):
            return data_order.sklearn_shuffle(node, args, kw)
        if isinstance(func, tuple) and func[0] == "arr-method":
            if func[2] in _IN_PLACE and isinstance(node.func.value, ast.Name):  # ``x.sort()``, ``x.resize(n)``
                env[node.func.value.id] = rewritten(func[1]) if func[2] != "resize" else TOP
                return None
            if args and args[0] is TOP and isinstance(node.args[0], ast.Name) and node.args[0].id in (
                    "int", "float", "bool") and node.args[0].id not in env:
                args = [node.args[0].id, *args[1:]]  # ``astype(int)``: the builtin type
            return data_methods.array_method(func[1], func[2], args, kw, node.lineno)
        if isinstance(func, Ref):
            return data_methods.library(func.path, args, kw, node, self.text, self.note_uses)
        if isinstance(node.func, ast.Name) and node.func.id in _BUILTINS and node.func.id not in env:
            return _BUILTINS[node.func.id](args)
        self.note_uses(args)
        return TOP

    def escape(self, values: list, env: Any) -> None:
        """Lists, dicts and generators among ``values`` may be changed (or read) by the call: every name bound to one
        (or to a tuple holding one, or an instance attribute) becomes opaque."""
        if not any(isinstance(v, _HOLDERS) for v in values):  # the common case: nothing to walk
            return
        mutable = {id(v) for v in _walk(values) if isinstance(v, (list, dict, Gen))}
        if not mutable:
            return
        for scope in (*getattr(env, "maps", (env,)), self.globals):
            for name, value in list(scope.items()):
                if isinstance(value, Instance):
                    for attr, held in list(value.attrs.items()):
                        if any(id(v) in mutable for v in _walk([held])):
                            value.attrs[attr] = TOP
                elif any(id(v) in mutable for v in _walk([value])):
                    scope[name] = TOP

    def record_fit(self, node: ast.Call, args: list, kw: dict) -> None:
        values = {"x": args[0] if args else kw.get("x", TOP), "y": args[1] if len(args) > 1 else kw.get("y", TOP),
                  "validation": kw.get("validation_data", TOP)}
        validation = values["validation"]
        written = next((k.value for k in node.keywords if k.arg == "validation_data"), None)
        if isinstance(validation, (tuple, list)):
            elts = written.elts if isinstance(written, (ast.Tuple, ast.List)) and \
                len(written.elts) == len(validation) else [None] * len(validation)
            for v, elt, role in zip(validation, elts, ("x", "y", None)):
                if isinstance(v, Arr) and v.split is not None:
                    self.uses.append(Use(v, self.text.segment(elt) if elt is not None else v.split.text, node.lineno,
                                         self.text.origin(elt) if elt is not None else None, role))
        seen = self.fits.get(id(node))
        if seen is not None:
            values = {k: join(seen[1][k], v) for k, v in values.items()}
        self.fits[id(node)] = (node, values)

    def invoke(self, func: Func, node: ast.Call, args: list, kw: dict, env: dict) -> Any:
        """The value ``func`` returns (the join of its ``return`` values; None when it has none)."""
        if self.depth >= _MAX_DEPTH:
            return TOP
        spec = func.node.args
        params = [a.arg for a in spec.posonlyargs + spec.args]
        local: Any = {} if func.scope is None else ChainMap({}, func.scope)  # a closure reads its definer's names
        given = ([func.owner] if func.owner is not None else []) + list(args)
        defaults = spec.defaults
        for index, name in enumerate(params):
            if index < len(given):
                local[name] = given[index]
            elif name in kw:
                local[name] = kw[name]
            elif index >= len(params) - len(defaults):
                local[name] = self.eval(defaults[index - (len(params) - len(defaults))], self.globals)
            else:
                local[name] = TOP
        for arg, default in zip(spec.kwonlyargs, spec.kw_defaults):
            local[arg.arg] = kw.get(arg.arg, self.eval(default, self.globals) if default is not None else TOP)
        for extra in (spec.vararg, spec.kwarg):
            if extra is not None:
                local[extra.arg] = TOP
        self.depth += 1
        self._returns.append([])
        try:
            self.block(func.node.body, local)
        finally:
            self.depth -= 1
            returned = self._returns.pop()
        if not returned:
            return None
        value = returned[0]
        for other in returned[1:]:
            value = join(value, other)
        if not any(isinstance(v, Arr) for v in _walk([*args, *kw.values()])):
            value = _produced(value, ("call", id(func.node)), (node.lineno, node.col_offset), node.lineno)
        return value


def _produced(value: Any, source: tuple, part: tuple, line: int) -> Any:
    """``value`` with each array in it that belongs to no split tagged as this call's part of the
    split ``source`` (the function, and the array's place in what it returns): two calls of one
    data-making function given no arrays (``load("train")``, ``load("test")``) make two parts of
    one source, as ``x[:n]`` and ``x[n:]`` are."""
    if isinstance(value, Arr):
        return value if value.split is not None or value.prediction else value.but(
            split=Split(source, part, made=line))
    if isinstance(value, tuple) and len(value) <= 16:
        return tuple(_produced(v, (*source, i), part, line) for i, v in enumerate(value))
    return value


def _named(node: ast.expr) -> bool:
    """``name`` or ``name.attr...``: evaluating it has no side effect."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _walk(values: list) -> list:
    """``values`` and what tuples and lists among them hold."""
    out, stack = [], list(values)
    while stack:
        value = stack.pop()
        out.append(value)
        if isinstance(value, (tuple, list)) and len(out) < 10_000:
            stack.extend(value)
    return out


def _len(args: list) -> Any:
    value = args[0] if args else None
    if isinstance(value, Arr) and value.shape:
        return value.shape[0]
    if isinstance(value, Seq):
        return value.count
    return len(value) if isinstance(value, (tuple, list, range)) else TOP


def _number(cast):
    def convert(args: list) -> Any:
        value = args[0] if args else 0
        if plain(value):
            return cast(value)
        if isinstance(value, Arr) and value.shape == () and value.lo == value.hi:
            return cast(value.lo)
        return TOP
    return convert


def _range(args: list) -> Any:
    if 1 <= len(args) <= 3 and all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        try:
            return range(*args)
        except ValueError:  # a zero step
            return TOP
    return TOP


def _sequence(cast):
    def convert(args: list) -> Any:
        value = args[0] if len(args) == 1 else None
        if isinstance(value, Gen):
            value = value.take()
        if isinstance(value, (tuple, list)) or isinstance(value, range) and len(value) <= _MAX_LISTED:
            return cast(value)
        return value if isinstance(value, Seq) else TOP
    return convert


#: Longest ``range`` that ``list()``/``tuple()`` spell out.
_MAX_LISTED = 10_000
#: Builtins that change no list they are given.
_PURE = ("len", "list", "tuple", "range", "int", "float", "round", "abs", "print", "sum", "min", "max", "sorted",
         "isinstance", "enumerate", "zip", "str")
_BUILTINS = {"len": _len, "int": _number(int), "float": _number(float), "round": _number(round),
             "abs": lambda args: abs(args[0]) if args and plain(args[0]) else TOP,
             "dict": lambda args: TOP, "range": _range, "list": _sequence(list), "tuple": _sequence(tuple)}
