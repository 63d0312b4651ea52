"""Extract ModelSpecs from a Keras training script with stdlib ``ast`` (no Keras, no libcst).

Recognises ``Sequential([...])``, ``Sequential()`` + ``model.add(...)`` (also in
``for`` loops over a literal list), the functional API, models built in a
function and returned, ``compile(...)`` and ``fit(...)``.  Values that are not
literals become ``Opaque``; names bound once to a literal are followed.

Checking is the common case, so extraction stays on ``ast`` (about 8x faster to
parse than libcst, and no scope/qualified-name metadata to compute): names are
resolved through the script's import table, and every site is recorded as a
source position.  libcst is loaded only to rewrite (``autofix.source.rewrite``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ..keras_vocab import snake_case
from ..spec import CompileSpec, FitSpec, LayerSpec, Origin
from ..values import UNKNOWN, Opaque
from . import legacy
from .sites import CallbackUse, LegacyUse, Site, ScriptUses, SourceSpec
from .literal import literal
from .names import ApiName, ImportTable
from .signatures import positional
from .text import SourceText
from .walk import Walker

_FIT_DEFAULTS = {"epochs": 1, "batch_size": None, "shuffle": True, "class_weight": None,
                 "callbacks": [], "steps_per_epoch": None}
_FIT_METHODS = ("fit", "fit_generator")
MAX_UNROLL = 64


@dataclass
class _Model:
    """A model under construction, bound to a variable."""

    kind: str
    name: str
    origin: Origin
    layers: list[LayerSpec] = field(default_factory=list)
    sites: dict[str, Site] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    compile: CompileSpec | None = None
    fit: FitSpec = field(default_factory=FitSpec)
    fit_labels: Origin | None = None


@dataclass(frozen=True)
class _Tensor:
    layer: LayerSpec


class SourceExtractor(Walker):
    """Walks a module in source order and collects models, layers and API uses."""

    def __init__(self, text: SourceText, keras_version: Any = UNKNOWN):
        super().__init__()
        self.text = text
        self.path = text.path
        self.keras_version = keras_version
        self.imports = ImportTable()
        self.scopes: list[dict[str, Any]] = [{}]
        self.returns: dict[str, Any] = {}
        self.models: list[_Model] = []
        self.functional: list[LayerSpec] = []
        self.uses = ScriptUses()
        self.onehot_names: set[str] = set()
        self.functions: list[str] = []
        self.counts: dict[str, int] = {}
        self._sites: dict[str, Site] = {}

    # -- helpers -------------------------------------------------------------
    def origin(self, node: ast.AST) -> Origin:
        return self.text.origin(node)

    def stmt_origin(self) -> Origin | None:
        return self.origin(self.stmts[-1]) if self.stmts else None

    def api(self, node: ast.expr) -> ApiName | None:
        return self.imports.api(node)

    def lookup(self, name: str) -> Any:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def bind(self, name: str, value: Any) -> None:
        self.scopes[-1][name] = value

    def deref(self, node: ast.expr, depth: int = 0) -> ast.expr:
        """Follow a name bound to an expression (``opt = Adam(...)``)."""
        while isinstance(node, ast.Name) and depth < 8:
            bound = self.lookup(node.id)
            if not isinstance(bound, ast.expr):
                break
            node, depth = bound, depth + 1
        return node

    def value(self, node: ast.expr) -> Any:
        return literal(node, self.text.segment, self._resolve_name)

    def _resolve_name(self, name: ast.Name) -> Any:
        target = self.deref(name)
        return Opaque(name.id) if target is name else self.value(target)

    def new_name(self, class_name: str) -> str:
        base = snake_case(class_name)
        count = self.counts.get(base, 0)
        self.counts[base] = count + 1
        return base if count == 0 else f"{base}_{count}"

    def arguments(self, call: ast.Call, kind: str, class_name: str, target: str | None = None
                  ) -> dict[str, Any]:
        """Config from a call's arguments (positional names mapped, legacy names
        normalised and recorded against ``target``)."""
        names = positional(kind, class_name)
        config: dict[str, Any] = {}
        for index, arg in enumerate(call.args):
            if not isinstance(arg, ast.Starred) and index < len(names):
                config[names[index]] = self.value(arg)
        for arg in call.keywords:
            if arg.arg is None:
                continue
            key = arg.arg
            if kind in ("layer", "optimizer", "fit"):
                key = legacy.normal_kwarg(kind, class_name, key)
            if key != arg.arg:
                self.uses.legacy.append(LegacyUse(f"{kind}_kwarg", arg.arg, key, self.origin(arg),
                                                   target, self.value(arg.value)))
            config[key] = self.value(arg.value)
        return config

    def object_config(self, node: ast.expr, kind: str) -> tuple[Any, ast.expr]:
        """A loss/optimizer/metric/callback value: string, ``{class_name, config}`` or Opaque."""
        target = self.deref(node)
        if isinstance(target, ast.Call):
            found = self.api(target.func)
            if found and found.kind == kind:
                config = self.arguments(target, kind, found.name)
                return {"class_name": found.name, "config": config}, target
        elif isinstance(target, (ast.Name, ast.Attribute)) and kind == "loss":
            found = self.api(target)
            if found and found.kind == "loss_fn":
                return found.name, target
        return self.value(target), target

    # -- layers ------------------------------------------------------------
    def layer(self, call: ast.expr) -> LayerSpec | None:
        """A LayerSpec from a layer constructor call (None when it is not one)."""
        call = self.deref(call) if isinstance(call, ast.Name) else call
        if not isinstance(call, ast.Call):
            return None
        found = self.api(call.func)
        if found is None or found.kind not in ("layer", "input"):
            return None
        given = next((a.value for a in call.keywords if a.arg == "name"), None)
        name = self.value(given) if given is not None else None
        if not isinstance(name, str):
            name = self.new_name(found.name)
        config = self.arguments(call, "layer", "Input" if found.kind == "input" else found.name, name)
        if found.kind == "layer":
            config.pop("name", None)
        spec = LayerSpec(name, found.name, config, origin=self.origin(call))
        written = _callee_name(call.func)
        if written in legacy.LEGACY_CLASSES:
            self.uses.legacy.append(LegacyUse("layer_class", written, found.name, spec.origin, name))
        return spec

    def add_to(self, model: _Model, spec: LayerSpec, site: Site) -> None:
        if model.layers and model.kind == "sequential":
            spec.inbound = (model.layers[-1].name,)
        model.layers.append(spec)
        model.sites[spec.name] = site

    # -- visitors ------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        self.imports.add(node)

    visit_ImportFrom = visit_Import

    def visit_FunctionDef(self, node: ast.FunctionDef) -> bool:
        self.scopes.append({})
        self.functions.append(node.name)
        self.walk_children(node)
        self.scopes.pop()
        self.functions.pop()
        return False

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Return(self, node: ast.Return) -> None:
        if self.functions and isinstance(node.value, ast.Name):
            bound = self.lookup(node.value.id)
            if isinstance(bound, _Model):
                self.returns[self.functions[-1]] = bound

    def visit_For(self, node: ast.For) -> bool:
        items = node.iter
        if not (isinstance(node.target, ast.Name) and isinstance(items, (ast.List, ast.Tuple))
                and 0 < len(items.elts) <= MAX_UNROLL
                and ".add(" in self.text.between(node.body[0], node.body[-1])):
            return True
        for element in items.elts:
            self.bind(node.target.id, element)
            for stmt in node.body:
                self.walk(stmt)
        return False

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1:
            return
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            for name in _names(target):
                self.bind(name, None)
            return
        self.bind(target.id, self.assigned(target.id, node.value))

    def assigned(self, name: str, value: ast.expr) -> Any:
        """What a name is bound to: a model, a tensor, or the expression itself."""
        if not isinstance(value, ast.Call):
            return value
        if isinstance(value.func, ast.Call):
            spec = self.apply_layer(value, name)
            return _Tensor(spec) if spec else value
        found = self.api(value.func)
        if found is None:
            if isinstance(value.func, ast.Name) and value.func.id in self.returns:
                return self.returns[value.func.id]
            return value
        if found.kind == "input":
            spec = self.layer(value)
            if spec is not None:
                self.functional.append(spec)
                return _Tensor(spec)
        if found.kind == "sequential":
            return self.sequential(name, value)
        if found.kind == "model":
            return self.functional_model(name, value) or value
        if found.kind == "to_categorical":
            self.onehot_names.add(name)
        return value

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        found = self.api(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if found is not None and found.kind == "callback":
            config = self.arguments(node, "callback", found.name)
            self.uses.callbacks.append(CallbackUse(found.name, config, self.origin(node)))
            return
        if not isinstance(func, ast.Attribute):
            return
        method = func.attr
        if method in legacy.METHODS:
            self.uses.legacy.append(LegacyUse("method", method, legacy.METHODS[method],
                                               self.text.attr_origin(func)))
        owner = self.lookup(func.value.id) if isinstance(func.value, ast.Name) else None
        if not isinstance(owner, _Model):
            return
        if method == "add" and node.args:
            spec = self.layer(node.args[0])
            if spec is not None:
                self.add_to(owner, spec, Site("add", self.stmt_origin()))
        elif method == "compile":
            self.compile(owner, node)
        elif method in _FIT_METHODS:
            self.fit(owner, node)

    # -- models -------------------------------------------------------------
    def sequential(self, name: str, call: ast.Call) -> _Model:
        model = _Model("sequential", name, self.origin(call))
        self.models.append(model)
        arg = next((a for a in call.args if not isinstance(a, ast.Starred)), None)
        arg = next((a.value for a in call.keywords if a.arg == "layers"), arg)
        items = self.deref(arg) if arg is not None else None
        if isinstance(items, ast.List):
            container = self.origin(items)
            for element in items.elts:
                spec = self.layer(element)
                if spec is not None:
                    self.add_to(model, spec, Site("list", container=container, element=self.origin(element)))
        given = next((a.value for a in call.keywords if a.arg == "name"), None)
        if given is not None and isinstance(self.value(given), str):
            model.name = self.value(given)
        return model

    def apply_layer(self, call: ast.Call, target: str | None) -> LayerSpec | None:
        """``Layer(...)(x)``: a functional layer fed by the tensors in ``x``."""
        spec = self.layer(call.func)
        if spec is None:
            return None
        inbound = []
        for arg in call.args[:1]:
            for node in _elements(arg):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Call):
                    inner = self.apply_layer(node, None)
                    tensor = _Tensor(inner) if inner else None
                else:
                    tensor = self.lookup(node.id) if isinstance(node, ast.Name) else None
                if isinstance(tensor, _Tensor):
                    inbound.append(tensor.layer.name)
        spec.inbound = tuple(inbound)
        self.functional.append(spec)
        self._sites[spec.name] = Site("functional" if target else "inline", self.stmt_origin(),
                                      apply=self.origin(call), target=target)
        return spec

    def functional_model(self, name: str, call: ast.Call) -> _Model | None:
        args = {key: a for key, a in zip(("inputs", "outputs"), call.args) if not isinstance(a, ast.Starred)}
        args.update({a.arg: a.value for a in call.keywords if a.arg in ("inputs", "outputs")})
        ins = [self.lookup(n.id) for n in _elements(args.get("inputs")) if isinstance(n, ast.Name)]
        outs = [self.lookup(n.id) for n in _elements(args.get("outputs")) if isinstance(n, ast.Name)]
        if not outs or not all(isinstance(t, _Tensor) for t in ins + outs):
            return None
        by_name = {spec.name: spec for spec in self.functional}
        keep: set[str] = set()
        frontier = [t.layer.name for t in outs]
        while frontier:
            current = frontier.pop()
            if current in keep or current not in by_name:
                continue
            keep.add(current)
            frontier.extend(by_name[current].inbound)
        model = _Model("functional", name, self.origin(call),
                       inputs=tuple(t.layer.name for t in ins), outputs=tuple(t.layer.name for t in outs))
        for spec in self.functional:
            if spec.name in keep:
                model.layers.append(spec)
                model.sites[spec.name] = self._sites.get(spec.name, Site("inline"))
        self.models.append(model)
        return model

    def compile(self, model: _Model, call: ast.Call) -> None:
        spec = CompileSpec(loss=None, optimizer="rmsprop", metrics=[], origin=self.origin(call))
        kwargs = _kwargs(call, positional("compile", ""))
        if "optimizer" in kwargs:
            spec.optimizer, node = self.object_config(kwargs["optimizer"], "optimizer")
            spec.optimizer_origin = self.origin(node)
        if "loss" in kwargs:
            spec.loss, node = self.object_config(kwargs["loss"], "loss")
            spec.loss_origin = self.origin(node)
        if "metrics" in kwargs:
            metrics = self.deref(kwargs["metrics"])
            if isinstance(metrics, (ast.List, ast.Tuple)):
                spec.metrics = [self.object_config(el, "metric")[0] for el in metrics.elts]
            else:
                spec.metrics = self.value(metrics)
        model.compile = spec

    def fit(self, model: _Model, call: ast.Call) -> None:
        spec = FitSpec(origin=self.origin(call))
        kwargs = _kwargs(call, positional("fit", ""))
        labels = kwargs.get("y")
        if isinstance(labels, ast.Name) and labels.id in self.onehot_names:
            model.fit_labels = self.origin(labels)
        values: dict[str, Any] = dict(_FIT_DEFAULTS)
        for arg in call.keywords:
            if arg.arg is None:
                continue
            key = legacy.normal_kwarg("fit", "", arg.arg)
            if key != arg.arg:
                self.uses.legacy.append(LegacyUse("fit_kwarg", arg.arg, key, self.origin(arg),
                                                   None, self.value(arg.value)))
            spec.arg_origins[key] = self.origin(arg.value)
            if key == "callbacks":
                items = self.deref(arg.value)
                values[key] = ([self.object_config(el, "callback")[0] for el in items.elts]
                               if isinstance(items, (ast.List, ast.Tuple)) else self.value(items))
            elif key in ("validation_data", "validation_split"):
                values["validation"] = True if key == "validation_data" else self.value(arg.value)
            else:
                values[key] = self.value(arg.value)
        for key, value in values.items():
            if hasattr(spec, key) and key not in ("origin", "arg_origins"):
                setattr(spec, key, value)
        if "batch_size" in kwargs and "batch_size" not in spec.arg_origins:
            spec.batch_size = self.value(kwargs["batch_size"])
        if "epochs" in kwargs and "epochs" not in spec.arg_origins:
            spec.epochs = self.value(kwargs["epochs"])
        model.fit = spec

    # -- result --------------------------------------------------------------
    def specs(self) -> list[SourceSpec]:
        out: list[SourceSpec] = []
        seen: set[int] = set()
        for model in self.models:
            if id(model) in seen or not model.layers:
                continue
            seen.add(id(model))
            facts = ScriptUses()
            if model.fit_labels is not None:
                facts.label_encoding = "onehot"
            out.append(self._spec(model, facts))
        shared = out[0].uses if out else ScriptUses()
        shared.legacy, shared.callbacks = self.uses.legacy, self.uses.callbacks
        if not out and (shared.legacy or shared.callbacks):
            out.append(SourceSpec(layers=[], name="<script>", origin=Origin(self.path, 1, 1),
                                  keras_version=self.keras_version, uses=shared))
        return out

    def _spec(self, model: _Model, facts: ScriptUses) -> SourceSpec:
        layers = model.layers
        inputs = model.inputs or tuple(lay.name for lay in layers[:1] if lay.class_name == "InputLayer")
        outputs = model.outputs or ((layers[-1].name,) if layers else ())
        return SourceSpec(
            layers=layers, inputs=inputs, outputs=outputs, kind=model.kind,
            compile=model.compile, fit=model.fit, keras_version=self.keras_version,
            name=model.name, origin=model.origin, sites=model.sites, uses=facts,
            compile_call=model.compile.origin if model.compile else None,
            fit_call=model.fit.origin if model.fit.origin.line is not None else None,
        )


def _callee_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for el in target.elts for n in _names(el)]
    return []


def _elements(node: ast.expr | None) -> list[ast.expr]:
    if node is None:
        return []
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    return [node]


def _kwargs(call: ast.Call, positional_names: tuple[str, ...]) -> dict[str, ast.expr]:
    out: dict[str, ast.expr] = {}
    for index, arg in enumerate(call.args):
        if not isinstance(arg, ast.Starred) and index < len(positional_names):
            out[positional_names[index]] = arg
    out.update((arg.arg, arg.value) for arg in call.keywords if arg.arg is not None)
    return out


def parse(code: str, path: str = "<string>") -> ast.Module:
    """Parse a script with stdlib ``ast`` (raises SyntaxError/ValueError)."""
    return ast.parse(code, path)


def extract_tree(tree: ast.Module, text: SourceText, keras_version: Any = UNKNOWN) -> list[SourceSpec]:
    """Every model in a parsed script, as SourceSpecs (file-level API uses on the first)."""
    extractor = SourceExtractor(text, keras_version)
    extractor.walk(tree)
    return extractor.specs()


def extract_source(code: str, path: str = "<string>", keras_version: Any = UNKNOWN) -> list[SourceSpec]:
    """Parse ``code`` and extract its models."""
    return extract_tree(parse(code, path), SourceText(code, path), keras_version)
