"""A script's ``keras.Model`` subclasses: the layers ``__init__`` sets on ``self`` and the order ``call()`` applies them.

The extractor (:mod:`autofix.source.extract`) reads ``__init__`` in its walk
(so parameters and module constants resolve as anywhere else) and fills a
:class:`ModelClass` with the layers it assigns to ``self.<name>``.  This module
then reads ``call()``: a chain ``self.c(self.b(self.a(inputs)))``, a sequence
``x = self.a(inputs); x = self.b(x); return x``, and ``for layer in self.blocks:
x = layer(x)`` over a list attribute give each layer its inbound layer.  Anything
else (a branch, an operation on tensors, a layer applied twice, a layer the
reader did not see) leaves the graph unknown with the reason why: the layers are
still checked one by one, but no order is guessed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..spec import LayerSpec

#: Methods that replace how ``fit()`` computes the loss: compile()'s loss may not be the one trained.
TRAINING_METHODS = ("train_step", "compute_loss")
#: The input tensor of ``call()`` (it has no layer).
_INPUT = ""


@dataclass
class ModelClass:
    """What a script shows of one ``keras.Model`` subclass."""

    name: str
    #: ``self.<name>`` -> the layers it holds (one, or a list's elements in order)
    attributes: dict[str, list[LayerSpec]] = field(default_factory=dict)
    #: attributes holding a list of layers (``[Dense(8) for _ in range(3)]``)
    lists: set[str] = field(default_factory=set)
    #: attributes bound more than once (in both branches of an if): which one call() gets is not known
    rebound: set[str] = field(default_factory=set)
    #: layer name -> the layer feeding it; None when ``call()`` is not read (see ``notes``)
    inbound: dict[str, tuple[str, ...]] | None = None
    outputs: tuple[str, ...] = ()
    #: why a rule may see less than the class does (shown as skips)
    notes: list[str] = field(default_factory=list)
    #: the method that replaces the loss computation (``train_step``), if any
    training_method: str | None = None
    #: the class defines its own ``compile()`` (its arguments are not Keras's)
    own_compile: bool = False

    def layers(self) -> list[LayerSpec]:
        """Every layer ``__init__`` sets, in the order it sets them."""
        return [spec for specs in self.attributes.values() for spec in specs]


def read_class(model: ModelClass, node: ast.ClassDef) -> None:
    """Fill ``model``'s graph and training facts from the class body (``__init__`` is read already)."""
    methods = {stmt.name: stmt for stmt in node.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
    model.training_method = next((name for name in TRAINING_METHODS if name in methods), None)
    model.own_compile = "compile" in methods
    if model.own_compile:
        model.notes.append(f"model class {model.name} defines its own compile(): its arguments are not read "
                           "as Keras's loss, optimizer and metrics, so compile() rules are skipped")
    elif model.training_method:
        model.notes.append(f"model class {model.name} defines its own {model.training_method}(): the loss "
                           "compile() names may not be the one it trains with, so loss rules are skipped")
    call = methods.get("call")
    if call is None:
        model.notes.append(f"model class {model.name} has no call() the script shows: its layer order is "
                           "unknown, so rules that follow the graph (output head, layer order) are skipped")
        return
    graph = _CallGraph(model)
    reason = graph.read(call)
    if reason is None:
        model.inbound, model.outputs = graph.inbound, graph.outputs
    else:
        model.notes.append(f"call() of model class {model.name} {reason}: its layer order is unknown, so "
                           "rules that follow the graph (output head, layer order) are skipped")


class _Opaque(Exception):
    """``call()`` does something this reader does not follow (the message says what)."""


class _CallGraph:
    """Reads ``call()`` as layer applications on named tensors."""

    def __init__(self, model: ModelClass):
        self.model = model
        self.inbound: dict[str, tuple[str, ...]] = {}
        self.outputs: tuple[str, ...] = ()
        #: local name -> the layer whose output it holds (``_INPUT`` for call()'s input) or a layer (loop variable)
        self.names: dict[str, str | LayerSpec] = {}

    def read(self, call: ast.FunctionDef) -> str | None:
        """None when the graph was read, else why not."""
        params = [a.arg for a in call.args.posonlyargs + call.args.args][1:]
        if not params:
            return "takes no input"
        self.names[params[0]] = _INPUT
        try:
            self.block(call.body)
        except _Opaque as exc:
            return str(exc)
        if not self.outputs:
            return "returns no layer output"
        return None

    def block(self, body: list[ast.stmt]) -> None:
        for index, stmt in enumerate(body):
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):  # a docstring
                continue
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                self.names[stmt.targets[0].id] = self.tensor(stmt.value)
            elif isinstance(stmt, ast.Return) and stmt.value is not None:
                if index != len(body) - 1:
                    raise _Opaque(f"returns early (line {stmt.lineno})")
                values = stmt.value.elts if isinstance(stmt.value, ast.Tuple) else [stmt.value]
                outputs = tuple(self.tensor(v) for v in values)
                if _INPUT in outputs:
                    raise _Opaque("returns its input")
                self.outputs = outputs
            elif isinstance(stmt, ast.For) and not stmt.orelse:
                self.loop(stmt)
            else:
                raise _Opaque(f"has a {type(stmt).__name__.lower()} statement at line {stmt.lineno}")

    def loop(self, stmt: ast.For) -> None:
        """``for layer in self.blocks:`` over a list attribute of layers: unrolled."""
        attr = _self_attribute(stmt.iter)
        if attr is None or attr not in self.model.lists or attr in self.model.rebound \
                or not isinstance(stmt.target, ast.Name):
            raise _Opaque(f"loops over what the script does not show as layers (line {stmt.lineno})")
        for spec in self.model.attributes[attr]:
            self.names[stmt.target.id] = spec
            self.block(stmt.body)

    def tensor(self, node: ast.expr) -> str:
        """The layer whose output ``node`` is (``_INPUT`` for call()'s input)."""
        if isinstance(node, ast.Name) and isinstance(self.names.get(node.id), str):
            return self.names[node.id]
        if isinstance(node, ast.Call) and len(node.args) == 1 and not isinstance(node.args[0], ast.Starred) \
                and all(k.arg is not None for k in node.keywords):
            spec = self.layer(node.func)
            source = self.tensor(node.args[0])
            if spec.name in self.inbound:
                raise _Opaque(f"applies layer '{spec.name}' twice (line {node.lineno})")
            self.inbound[spec.name] = () if source == _INPUT else (source,)
            return spec.name
        raise _Opaque(f"computes something other than a layer call (line {node.lineno})")

    def layer(self, func: ast.expr) -> LayerSpec:
        attr = _self_attribute(func)
        if attr is not None:
            specs = self.model.attributes.get(attr)
            if specs is not None and len(specs) == 1 and attr not in self.model.lists | self.model.rebound:
                return specs[0]
            raise _Opaque(f"calls self.{attr} (line {func.lineno}), which its __init__ does not show as one layer")
        if isinstance(func, ast.Name) and isinstance(self.names.get(func.id), LayerSpec):
            return self.names[func.id]
        raise _Opaque(f"calls {_dotted(func)} (line {func.lineno}), not one of its layers")


def _self_attribute(node: ast.expr) -> str | None:
    """``name`` of ``self.name``."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


def _dotted(node: ast.expr) -> str:
    """``ops.concatenate(...)`` for a dotted name, else ``a computed callee``."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) + "(...)" if isinstance(node, ast.Name) else "a computed callee"
