"""Data facts a training script shows, read without running it (stdlib ``ast`` + numpy).

:class:`DataFlow` is a small abstract interpreter over the statements that build
training data: assignments and unpacking, calls of the script's own functions
(arguments in, ``return`` out), methods of its classes, ``if`` branches (a name
bound differently in two branches is opaque afterwards) and loops (names a loop
assigns are opaque).  Values are :class:`~.data_values.Arr` (arrays), plain
numbers, tuples, or :data:`TOP` (anything not understood: never guessed).  At each
``fit()`` call it records the values of ``x``, ``y`` and ``validation_data``; at
each ``predict()``/``evaluate()`` call (and wherever a prediction meets another
array) the held-out values that are used for evaluation.
:func:`~.data_facts_static.attach` turns them into each model's ``DataSpec``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from . import data_calls
from .data_values import Arr, Split, astype, binop, compare, concat_pieces, kind_name, scalar, unary
from .names import ImportTable, keras_path
from .text import SourceText


class _Top:
    def __repr__(self) -> str:
        return "TOP"


#: A value the interpreter does not understand.
TOP = _Top()
#: Statements/expressions interpreted per script before giving up (long scripts stay fast).
BUDGET = 60_000
_FIT = ("fit", "fit_generator")
_EVALUATE = ("predict", "evaluate", "predict_on_batch", "test_on_batch", "predict_proba", "predict_classes")
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
           ast.Pow: "**"}


class _OutOfBudget(Exception):
    pass


@dataclass(frozen=True)
class Ref:
    """A module or function by its dotted path (``numpy.random.default_rng``)."""

    path: str


@dataclass(frozen=True)
class Rng:
    """A numpy random generator (``default_rng(...)`` or the legacy ``np.random`` module)."""


@dataclass
class Func:
    node: ast.FunctionDef
    owner: Any = None  # the instance of a bound method


@dataclass
class Instance:
    cls: ast.ClassDef
    attrs: dict = field(default_factory=dict)


@dataclass
class Use:
    """A held-out value used for evaluation: the value, its source text and line."""

    value: Arr
    text: str
    line: int


def join(a: Any, b: Any) -> Any:
    """The value a name has when it may be ``a`` or ``b``: opaque unless both agree."""
    if a is b:
        return a
    if type(a) is type(b) and isinstance(a, (int, float, str, bool)) and a == b:
        return a
    return TOP


class DataFlow:
    """Interprets a module; ``fits`` maps each fit() call node to its ``(x, y, validation)`` values."""

    def __init__(self, text: SourceText):
        self.text = text
        self.imports = ImportTable()
        self.globals: dict[str, Any] = {}
        self.fits: dict[int, tuple[ast.Call, dict[str, Any]]] = {}
        self.uses: list[Use] = []
        self.depth = 0
        self.steps = 0
        self._returns: list[list[Any]] = []

    # -- entry -------------------------------------------------------------
    def run(self, tree: ast.Module) -> "DataFlow":
        try:
            self.block(tree.body, self.globals)
        except (_OutOfBudget, RecursionError):
            pass
        return self

    # -- statements ----------------------------------------------------------
    def block(self, body: list[ast.stmt], env: dict) -> None:
        for stmt in body:
            self.stmt(stmt, env)

    def stmt(self, node: ast.stmt, env: dict) -> None:
        self.steps += 1
        if self.steps > BUDGET:
            raise _OutOfBudget
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
            env[node.name] = Func(node)
        elif kind is ast.ClassDef:
            env[node.name] = node
        elif kind is ast.If:
            self.branch(node, env)
        elif kind in (ast.For, ast.AsyncFor, ast.While):
            self.loop(node, env)
        elif kind in (ast.With, ast.AsyncWith):
            for item in node.items:
                value = self.eval(item.context_expr, env)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, TOP if value is not None else TOP, env)
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
        """The body once, with every name the loop assigns opaque before and after it."""
        self.havoc(node.body, env)
        if not isinstance(node, ast.While):
            self.eval(node.iter, env)
            self.assign(node.target, TOP, env)
        self.block(node.body, env)
        self.havoc(node.body, env)
        self.block(node.orelse, env)

    def havoc(self, body: list[ast.stmt], env: dict) -> None:
        for stmt in body:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    env[sub.id] = TOP
                elif isinstance(sub, (ast.Subscript, ast.Attribute)) and isinstance(sub.ctx, ast.Store):
                    base = sub.value
                    while isinstance(base, (ast.Subscript, ast.Attribute)):
                        base = base.value
                    if isinstance(base, ast.Name) and base.id != "self":
                        env[base.id] = TOP

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
        part = self.index(old, index, target)
        new = update(part if isinstance(part, Arr) else TOP)
        new = scalar(new) if isinstance(new, (int, float)) and not isinstance(new, bool) else new
        if not isinstance(new, Arr):
            env[target.value.id] = TOP
            return
        replay = None
        if old.replay is not None and new.replay is not None:
            try:
                replay = old.replay.copy()
                replay[_replay_index(index)] = new.replay
            except Exception:
                replay = None
        lo, hi = min(old.lo, new.lo), max(old.hi, new.hi)
        if old.kind == "uint8" and (lo < 0 or hi > 255):
            lo, hi = 0.0, 255.0
        env[target.value.id] = old.but(lo=lo, hi=hi, replay=replay, reach=None, hi_open=False,
                                       integral=old.integral and (new.integral or old.kind != "float"),
                                       random=old.random or new.random, lines=old.lines + new.lines)

    def havoc_name(self, node: ast.expr, env: dict) -> None:
        while isinstance(node, (ast.Subscript, ast.Attribute)):
            node = node.value
        if isinstance(node, ast.Name):
            env[node.id] = TOP

    def augassign(self, node: ast.AugAssign, env: dict) -> None:
        op = _BINOPS.get(type(node.op))
        rhs = self.eval(node.value, env)
        if isinstance(node.target, ast.Subscript):
            self.store_item(node.target, lambda old: self.arith(op, old, rhs, node.value) if op else TOP, env)
        elif isinstance(node.target, ast.Name):
            old = env.get(node.target.id, TOP)
            env[node.target.id] = self.arith(op, old, rhs, node.value, node) if op else TOP
        else:
            self.havoc_name(node.target, env)

    # -- expressions ---------------------------------------------------------
    def eval(self, node: ast.expr, env: dict) -> Any:
        self.steps += 1
        if self.steps > BUDGET:
            raise _OutOfBudget
        kind = type(node)
        if kind is ast.Constant:
            return node.value
        if kind is ast.Name:
            if node.id in env:
                return env[node.id]
            return self.globals.get(node.id, TOP) if env is not self.globals else TOP
        if kind in (ast.Tuple, ast.List):
            if any(isinstance(el, ast.Starred) for el in node.elts):
                return TOP
            items = [self.eval(el, env) for el in node.elts]
            return tuple(items) if kind is ast.Tuple else items
        if kind is ast.Attribute:
            return self.attribute(self.eval(node.value, env), node.attr)
        if kind is ast.Subscript:
            return self.subscript(self.eval(node.value, env), self.eval(node.slice, env), node)
        if kind is ast.Slice:
            parts = [self.eval(p, env) if p is not None else None for p in (node.lower, node.upper, node.step)]
            return slice(*[p if p is None or isinstance(p, int) else _Bound(p, node) for p in parts])
        if kind is ast.BinOp:
            op = _BINOPS.get(type(node.op))
            left, right = self.eval(node.left, env), self.eval(node.right, env)
            if op is None:
                return self.meet(left, right)
            return self.arith(op, left, right, node.right if isinstance(left, Arr) else node.left, node)
        if kind is ast.UnaryOp:
            operand = self.eval(node.operand, env)
            if isinstance(node.op, ast.USub):
                if _plain(operand):
                    return -operand
                return self.arith("*", operand, -1, node, node) if isinstance(operand, Arr) else TOP
            if isinstance(node.op, ast.Not) and isinstance(operand, bool):
                return not operand
            return self.meet(operand, operand) if isinstance(operand, Arr) else TOP
        if kind is ast.Compare:
            values = [self.eval(node.left, env), *(self.eval(c, env) for c in node.comparators)]
            if len(values) == 2 and all(_plain(v) or isinstance(v, str) for v in values):
                return _compare_plain(node.ops[0], *values)
            return self.meet(*values) if any(isinstance(v, Arr) for v in values) else TOP
        if kind is ast.IfExp:
            test = self.eval(node.test, env)
            if isinstance(test, bool):
                return self.eval(node.body if test else node.orelse, env)
            return join(self.eval(node.body, env), self.eval(node.orelse, env))
        if kind is ast.Call:
            return self.call(node, env)
        if kind in (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp):
            return TOP  # their own names would shadow the script's: not followed
        for child in ast.iter_child_nodes(node):  # comprehensions, lambdas, f-strings: calls inside still count
            if isinstance(child, ast.expr):
                self.eval(child, env)
        return TOP

    def meet(self, *values: Any) -> Any:
        """A comparison/logical result of arrays: 0/1 values; a prediction meeting held-out data is a use."""
        arrays = [v for v in values if isinstance(v, Arr)]
        if not arrays:
            return TOP
        self.note_uses(values)
        result = arrays[0]
        for other in arrays[1:]:
            result = compare(result, other, lambda a, b: a == b)
        return compare(result, result, lambda a, b: a > 0.5) if len(arrays) == 1 else result

    def note_uses(self, values: Any, text: str = "", line: int = 0) -> None:
        if any(isinstance(v, Arr) and v.prediction for v in values):
            for v in values:
                if isinstance(v, Arr) and v.split is not None and not v.prediction:
                    self.uses.append(Use(v, text or v.split.text, line or (v.lines[-1] if v.lines else 0)))

    def arith(self, op: str, left: Any, right: Any, other: ast.expr, node: ast.expr | None = None) -> Any:
        """``left op right``; an elementwise operation on one split part is recorded on it."""
        if _plain(left) and _plain(right):
            try:
                return _PY_OPS[op](left, right)
            except Exception:
                return TOP
        if not (isinstance(left, Arr) or isinstance(right, Arr)) or not all(
                isinstance(v, Arr) or _plain(v) for v in (left, right)):
            return TOP
        a = left if isinstance(left, Arr) else scalar(left)
        b = right if isinstance(right, Arr) else scalar(right)
        self.note_uses((a, b), line=node.lineno if node is not None else 0)
        result = binop(op, a, b)
        if node is not None:
            result = result.but(lines=result.lines + (node.lineno,))
        tagged = [v for v in (a, b) if v.split is not None]
        if len(tagged) == 1:
            mine, operand = (a, b) if a.split is not None else (b, a)
            key = (op, operand.lo) if operand.shape == () and operand.lo == operand.hi else (
                op, self.text.segment(other))
            split = mine.split
            result = result.but(split=Split(split.source, split.part, split.ops + (key,),
                                            split.line or (node.lineno if node else None),
                                            self.text.segment(node) if node is not None else split.text))
        return result

    def attribute(self, owner: Any, attr: str) -> Any:
        if isinstance(owner, Ref):
            if owner.path in ("numpy.random", "np.random") and attr not in ("default_rng", "RandomState", "Generator"):
                return ("rng-method", Rng(), attr)
            return Ref(f"{owner.path}.{attr}")
        if isinstance(owner, Instance):
            if attr in owner.attrs:
                return owner.attrs[attr]
            method = _method(owner.cls, attr)
            return Func(method, owner) if method is not None else TOP
        if isinstance(owner, Rng):
            return ("rng-method", owner, attr)
        if isinstance(owner, Arr):
            if attr == "shape" and owner.shape is not None:
                return owner.shape
            if attr == "ndim" and owner.shape is not None:
                return len(owner.shape)
            if attr == "T" and owner.shape is not None and len(owner.shape) <= 1:
                return owner
            return ("arr-method", owner, attr)
        return TOP

    def subscript(self, value: Any, index: Any, node: ast.expr) -> Any:
        if isinstance(value, (tuple, list)) and isinstance(index, int) and -len(value) <= index < len(value):
            return value[index]
        if isinstance(value, (tuple, list)) and isinstance(index, slice) and all(
                p is None or isinstance(p, int) for p in (index.start, index.stop, index.step)):
            return value[index]
        if isinstance(value, Arr):
            return self.index(value, index, node)
        return TOP

    def index(self, value: Arr, index: Any, node: ast.expr) -> Any:
        """``a[idx]``: the elements keep their interval; ``a[:n]``/``a[n:]`` are the two parts of a split."""
        rows = index[0] if isinstance(index, tuple) and index else index
        replay = None
        if value.replay is not None:
            try:
                replay = value.replay[_replay_index(index)]
            except Exception:
                replay = None
        shape = replay.shape if replay is not None else _index_shape(value.shape, index)
        onehot = value.onehot
        if isinstance(index, int) or isinstance(index, tuple) and len(index) > 1 and not (
                isinstance(index[1], slice) and index[1] == slice(None)):
            onehot = None  # a column (or element) of one-hot rows is not one-hot
        result = value.but(replay=replay, shape=shape, onehot=onehot, lines=value.lines + (node.lineno,),
                           random=value.random or isinstance(index, Arr) and index.random)
        if isinstance(index, Arr) and value.onehot and value.shape == (value.onehot, value.onehot):
            result = result.but(shape=(*index.shape, value.onehot) if index.shape is not None else None,
                                split=index.split)  # ``np.eye(k)[labels]``: one-hot labels
        if isinstance(rows, slice) and rows.step is None and (rows.start is None) != (rows.stop is None):
            bound = rows.stop if rows.start is None else rows.start
            part = "train" if rows.start is None else "test"
            key = bound.key if isinstance(bound, _Bound) else bound
            text = self.text.segment(node) if isinstance(node, ast.Subscript) else ""
            piece = concat_pieces(value, key, part)
            result = result.but(split=piece or Split(("rows", id(value), key), part, (), None, text), pieces=None)
        return result

    # -- calls -----------------------------------------------------------------
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
        if method in _FIT and not isinstance(func, Func):
            self.record_fit(node, args, kw)
            return TOP
        if method in _EVALUATE and not isinstance(func, Func):
            self.note_uses([Arr(prediction=True), *args, kw.get("x"), kw.get("y")],
                           self.text.segment(node.args[0]) if node.args else "", node.lineno)
            return Arr(prediction=True, lines=(node.lineno,)) if method.startswith("predict") else TOP
        if isinstance(func, Func):
            return self.invoke(func, node, args, kw, env)
        if isinstance(func, ast.ClassDef):
            instance = Instance(func)
            init = _method(func, "__init__")
            if init is not None:
                self.invoke(Func(init, instance), node, args, kw, env)
            return instance
        if isinstance(func, tuple) and func[0] == "rng-method":
            if func[2] == "shuffle" and node.args and isinstance(node.args[0], ast.Name) and isinstance(args[0], Arr):
                env[node.args[0].id] = data_calls.shuffled(args[0])  # in place
                return None
            return self.rng_call(func[2], args, kw, node)
        if isinstance(func, tuple) and func[0] == "arr-method":
            return self.array_method(func[1], func[2], args, kw, node)
        if isinstance(func, Ref):
            return self.library(func.path, args, kw, node)
        if isinstance(node.func, ast.Name) and node.func.id in _BUILTINS and node.func.id not in env:
            return _BUILTINS[node.func.id](args)
        self.note_uses(args)
        return TOP

    def record_fit(self, node: ast.Call, args: list, kw: dict) -> None:
        values = {"x": args[0] if args else kw.get("x", TOP), "y": args[1] if len(args) > 1 else kw.get("y", TOP),
                  "validation": kw.get("validation_data", TOP)}
        validation = values["validation"]
        written = next((k.value for k in node.keywords if k.arg == "validation_data"), None)
        if isinstance(validation, (tuple, list)):
            texts = [self.text.segment(e) for e in written.elts] if isinstance(written, (ast.Tuple, ast.List)) \
                and len(written.elts) == len(validation) else [""] * len(validation)
            for v, text in zip(validation, texts):
                if isinstance(v, Arr) and v.split is not None:
                    self.uses.append(Use(v, text or v.split.text, node.lineno))
        seen = self.fits.get(id(node))
        if seen is not None:
            values = {k: join(seen[1][k], v) for k, v in values.items()}
        self.fits[id(node)] = (node, values)

    def invoke(self, func: Func, node: ast.Call, args: list, kw: dict, env: dict) -> Any:
        if self.depth >= 8:
            return TOP
        spec = func.node.args
        params = [a.arg for a in spec.posonlyargs + spec.args]
        local: dict[str, Any] = {}
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
        return value

    def rng_call(self, method: str, args: list, kw: dict, node: ast.Call) -> Any:
        if method == "seed":
            return None
        value = data_calls.rng_draw(method, args, kw, node.lineno)
        return value if value is not None else TOP

    def array_method(self, value: Arr, method: str, args: list, kw: dict, node: ast.Call) -> Any:
        if method == "astype" and args:
            kind = kind_name(args[0].path if isinstance(args[0], Ref) else args[0])
            return astype(value, kind) if kind else TOP
        if method in ("reshape", "flatten", "ravel", "squeeze", "copy", "transpose"):
            replay = None
            if value.replay is not None:
                shape = tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else tuple(args)
                try:
                    replay = getattr(value.replay, method)(*([shape] if method == "reshape" else []))
                except Exception:
                    replay = None
            shape = replay.shape if replay is not None else _reshaped(value.shape, method, args)
            return value.but(replay=replay, shape=shape, onehot=value.onehot if method == "copy" else None)
        if method in ("sum", "mean", "max", "min", "std", "var", "argmax", "argmin", "cumsum"):
            return _reduce(value, method, args, kw)
        if method in ("clip",):
            return data_calls.numpy_call("clip", [value, *args], kw, node.lineno) or TOP
        return TOP

    def library(self, path: str, args: list, kw: dict, node: ast.Call) -> Any:
        line = node.lineno
        if path.startswith("numpy.random."):
            name = path[len("numpy.random."):]
            if name in ("default_rng", "RandomState", "Generator"):
                return Rng()
            return self.rng_call(name, args, kw, node)
        if path.startswith("numpy."):
            name = path[len("numpy."):]
            if name in ("concatenate", "vstack", "row_stack") and args and isinstance(args[0], (list, tuple)):
                return data_calls.concatenate(list(args[0]), kw.get("axis", 0) if name == "concatenate" else 0,
                                              line) or TOP
            if name == "digitize" and len(args) >= 2:
                return data_calls.digitize(args[0], args[1]) or TOP
            if name in ("quantile", "percentile") and len(args) >= 2:
                return data_calls.quantile(args[0], args[1]) or TOP
            if name in ("sum", "mean", "max", "min", "std", "var", "argmax", "argmin") and args and isinstance(
                    args[0], Arr):
                return _reduce(args[0], name, args[1:], kw)
            if name in ("sort", "argsort") and args and isinstance(args[0], Arr):
                return _sorted(args[0], name, kw)
            self.note_uses(args)
            value = data_calls.numpy_call(name, args, kw, line)
            if isinstance(value, Arr) and args and isinstance(args[0], Arr) and args[0].split is not None and \
                    name in ("log", "log1p", "sqrt", "exp", "tanh", "clip"):
                split = args[0].split
                value = value.but(split=Split(split.source, split.part, split.ops + ((name,),),
                                              split.line or line, self.text.segment(node)))
            elif isinstance(value, Arr) and args and isinstance(args[0], Arr) and name in (
                    "asarray", "array", "copy", "float32", "float64", "int32", "int64", "uint8"):
                value = value.but(split=args[0].split, pieces=args[0].pieces)
            return value if value is not None else TOP
        keras = keras_path(path + ".")
        keras = keras[:-1] if keras else None
        if keras and keras.startswith("datasets.") and keras.endswith(".load_data"):
            return data_calls.load_data(keras.split(".")[1], line) or TOP
        if keras in ("utils.to_categorical", "utils.np_utils.to_categorical") or path.endswith("np_utils.to_categorical"):
            labels = args[0] if args else kw.get("y", TOP)
            classes = args[1] if len(args) > 1 else kw.get("num_classes")
            return data_calls.to_categorical(labels, classes, line) or TOP
        if path.endswith("train_test_split") and args and all(isinstance(a, Arr) for a in args):
            out = []
            for position, value in enumerate(args):
                for part in ("train", "test"):
                    out.append(value.but(split=Split(("tts", line, position), part), shape=None, replay=None,
                                         lines=value.lines + (line,)))
            return out
        self.note_uses(args)
        return TOP


class _Bound:
    """A slice bound the interpreter cannot compute (``x[:n]`` with ``n`` opaque): its source text."""

    def __init__(self, value: Any, node: ast.Slice):
        self.key = ("bound", ast.dump(node.upper if node.upper is not None else node.lower))


def _replay_index(index: Any) -> Any:
    if isinstance(index, tuple):
        return tuple(_replay_index(i) for i in index)
    if isinstance(index, Arr):
        if index.replay is None:
            raise ValueError("no replay")
        return index.replay
    if isinstance(index, slice):
        if any(isinstance(p, _Bound) for p in (index.start, index.stop, index.step)):
            raise ValueError("opaque bound")
        return index
    if isinstance(index, (int, type(None), type(Ellipsis))):
        return index
    raise ValueError("opaque index")


def _index_shape(shape: tuple | None, index: Any) -> tuple | None:
    """The shape of ``a[index]`` from ``a``'s shape alone (slices, ints, integer arrays of known shape)."""
    if shape is None:
        return None
    import numpy as np

    def fake(i: Any) -> Any:
        if isinstance(i, Arr):
            if i.kind == "bool" or i.shape is None:
                raise ValueError("mask")
            return np.zeros(i.shape, dtype=np.intp)
        return _replay_index(i)

    try:
        parts = tuple(fake(i) for i in index) if isinstance(index, tuple) else fake(index)
        return np.lib.stride_tricks.as_strided(np.zeros(1), shape=shape, strides=(0,) * len(shape))[parts].shape
    except Exception:
        return None


def _reshaped(shape: tuple | None, method: str, args: list) -> tuple | None:
    if shape is None:
        return None
    size = 1
    for dim in shape:
        size *= dim
    if method in ("flatten", "ravel"):
        return (size,)
    if method == "copy":
        return shape
    if method == "reshape":
        dims = tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else tuple(args)
        if not all(isinstance(d, int) for d in dims) or not dims:
            return None
        known = 1
        for d in dims:
            known *= d if d != -1 else 1
        if dims.count(-1) == 1 and known and size % known == 0:
            dims = tuple(size // known if d == -1 else d for d in dims)
        return dims if -1 not in dims else None
    return None


def _reduce(value: Arr, name: str, args: list, kw: dict) -> Arr:
    axis = kw.get("axis", args[0] if args else None)
    replay = None
    if value.replay is not None and (axis is None or isinstance(axis, int)):
        try:
            replay = getattr(value.replay, name)(axis=axis)
        except Exception:
            replay = None
        replay = replay if replay is None or isinstance(replay, __import__("numpy").ndarray) else \
            __import__("numpy").asarray(replay)
    shape = replay.shape if replay is not None else None
    if name in ("argmax", "argmin"):
        top = (value.shape[axis] - 1) if value.shape and isinstance(axis, int) else float("inf")
        return Arr(0.0, float(top), "int", True, shape, replay, value.random, lines=value.lines)
    if name in ("mean", "max", "min"):
        return value.but(replay=replay, shape=shape, integral=value.integral and name != "mean", split=None,
                         pieces=None, onehot=None, reach=None)
    return Arr(kind="float", shape=shape, replay=replay, random=value.random, lines=value.lines,
               lo=0.0 if name in ("std", "var") or value.lo >= 0 else float("-inf"))


def _sorted(value: Arr, name: str, kw: dict) -> Arr:
    import numpy as np

    replay = None
    if value.replay is not None:
        try:
            replay = getattr(np, name)(value.replay, axis=kw.get("axis", -1), kind=kw.get("kind"))
        except Exception:
            replay = None
    if name == "argsort":
        top = float(value.shape[-1] - 1) if value.shape else float("inf")
        return Arr(0.0, top, "int", True, value.shape, replay, value.random, lines=value.lines)
    return value.but(replay=replay, split=None, pieces=None)


def _method(cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
    return next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def _is_main_guard(test: ast.expr) -> bool:
    return isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"


def _plain(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) or isinstance(value, bool)


_PY_OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
           "//": lambda a, b: a // b, "%": lambda a, b: a % b, "**": lambda a, b: a ** b}


def _compare_plain(op: ast.cmpop, a: Any, b: Any) -> Any:
    table = {ast.Eq: lambda: a == b, ast.NotEq: lambda: a != b, ast.Lt: lambda: a < b, ast.LtE: lambda: a <= b,
             ast.Gt: lambda: a > b, ast.GtE: lambda: a >= b}
    try:
        return table[type(op)]() if type(op) in table else TOP
    except TypeError:
        return TOP


def _len(args: list) -> Any:
    value = args[0] if args else None
    if isinstance(value, Arr) and value.shape:
        return value.shape[0]
    return len(value) if isinstance(value, (tuple, list)) else TOP


def _number(cast):
    def convert(args: list) -> Any:
        value = args[0] if args else 0
        if _plain(value):
            return cast(value)
        if isinstance(value, Arr) and value.shape == () and value.lo == value.hi:
            return cast(value.lo)
        return TOP
    return convert


_BUILTINS = {"len": _len, "int": _number(int), "float": _number(float), "round": _number(round),
             "abs": lambda args: abs(args[0]) if args and _plain(args[0]) else TOP,
             "dict": lambda args: TOP}
