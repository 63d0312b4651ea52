"""Extract ModelSpecs from a Keras training script with libcst (no Keras import).

Recognises ``Sequential([...])``, ``Sequential()`` + ``model.add(...)`` (also in
``for`` loops over a literal list), the functional API, models built in a
function and returned, ``compile(...)`` and ``fit(...)``.  Values that are not
literals become ``Opaque``; names bound once to a literal are followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import PositionProvider, QualifiedNameProvider

from ..spec import CompileSpec, FitSpec, LayerSpec, Origin
from ..values import UNKNOWN, Opaque
from ..source import legacy
from ..source.facts import CallbackUse, LegacyUse, Site, SourceFacts, SourceSpec
from ..source.literal import literal
from ..source.names import ApiName, api_name, keras_path
from ..source.signatures import positional

_FIT_DEFAULTS = {"epochs": 1, "batch_size": None, "shuffle": True, "class_weight": None,
                 "callbacks": [], "steps_per_epoch": None}
_FIT_METHODS = ("fit", "fit_generator")
MAX_UNROLL = 64


def snake_case(name: str) -> str:
    """Keras's automatic layer-name base (``MaxPooling2D`` -> ``max_pooling2d``)."""
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


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
    compile_call: cst.Call | None = None
    fit: FitSpec = field(default_factory=FitSpec)
    fit_call: cst.Call | None = None
    fit_labels: Origin | None = None


@dataclass(frozen=True)
class _Tensor:
    layer: LayerSpec


class SourceExtractor(cst.CSTVisitor):
    """Walks a module in source order and collects models, layers and facts."""

    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider)

    def __init__(self, path: str, keras_version: Any = UNKNOWN):
        super().__init__()
        self.path = path
        self.keras_version = keras_version
        self.scopes: list[dict[str, Any]] = [{}]
        self.returns: dict[str, Any] = {}
        self.models: list[_Model] = []
        self.functional: list[LayerSpec] = []
        self.facts = SourceFacts()
        self.onehot_names: set[str] = set()
        self.star_modules: list[str] = []
        self.stmts: list[cst.CSTNode] = []
        self.functions: list[str] = []
        self.counts: dict[str, int] = {}
        self._sites: dict[str, Site] = {}

    # -- helpers -------------------------------------------------------
    def origin(self, node: cst.CSTNode) -> Origin:
        pos = self.get_metadata(PositionProvider, node, None)
        if pos is None:
            return Origin(path=self.path, node=node)
        return Origin(self.path, pos.start.line, pos.start.column + 1, pos.end.line,
                      pos.end.column + 1, node=node)

    def api(self, node: cst.BaseExpression) -> ApiName | None:
        names = {q.name for q in self.get_metadata(QualifiedNameProvider, node, set())}
        bare = node.value if isinstance(node, cst.Name) and not names else None
        return api_name(names, self.star_modules, bare)

    def lookup(self, name: str) -> Any:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def bind(self, name: str, value: Any) -> None:
        self.scopes[-1][name] = value

    def deref(self, node: cst.BaseExpression, depth: int = 0) -> cst.BaseExpression:
        """Follow a name bound to an expression (``opt = Adam(...)``)."""
        while isinstance(node, cst.Name) and depth < 8:
            bound = self.lookup(node.value)
            if not isinstance(bound, cst.BaseExpression):
                break
            node, depth = bound, depth + 1
        return node

    def value(self, node: cst.BaseExpression) -> Any:
        return literal(node, self._resolve_name)

    def _resolve_name(self, name: cst.Name) -> Any:
        target = self.deref(name)
        return Opaque(name.value) if target is name else self.value(target)

    def new_name(self, class_name: str) -> str:
        base = snake_case(class_name)
        count = self.counts.get(base, 0)
        self.counts[base] = count + 1
        return base if count == 0 else f"{base}_{count}"

    def arguments(self, call: cst.Call, kind: str, class_name: str, target: str | None = None
                  ) -> dict[str, Any]:
        """Config from a call's arguments (positional names mapped, legacy names
        normalised and recorded against ``target``)."""
        names = positional(kind, class_name)
        config: dict[str, Any] = {}
        for index, arg in enumerate(call.args):
            if arg.star:
                continue
            if arg.keyword is None:
                if index >= len(names):
                    continue
                key = names[index]
            else:
                key = arg.keyword.value
                if kind in ("layer", "optimizer", "fit"):
                    key = legacy.normal_kwarg(kind, class_name, key)
                if key != arg.keyword.value:
                    self.facts.legacy.append(LegacyUse(f"{kind}_kwarg", arg.keyword.value, key,
                                                       self.origin(arg), target, self.value(arg.value)))
            config[key] = self.value(arg.value)
        return config

    def object_config(self, node: cst.BaseExpression, kind: str) -> tuple[Any, cst.BaseExpression]:
        """A loss/optimizer/metric/callback value: string, ``{class_name, config}`` or Opaque."""
        target = self.deref(node)
        if isinstance(target, cst.Call):
            found = self.api(target.func)
            if found and found.kind == kind:
                config = self.arguments(target, kind, found.name)
                return {"class_name": found.name, "config": config}, target
        elif isinstance(target, (cst.Name, cst.Attribute)) and kind == "loss":
            found = self.api(target)
            if found and found.kind == "loss_fn":
                return found.name, target
        return self.value(target), target

    # -- layers ------------------------------------------------------------
    def layer(self, call: cst.BaseExpression, site: Site) -> LayerSpec | None:
        """A LayerSpec from a layer constructor call (None when it is not one)."""
        call = self.deref(call) if isinstance(call, cst.Name) else call
        if not isinstance(call, cst.Call):
            return None
        found = self.api(call.func)
        if found is None or found.kind not in ("layer", "input"):
            return None
        given = next((a.value for a in call.args if a.keyword and a.keyword.value == "name"), None)
        name = self.value(given) if given is not None else None
        if not isinstance(name, str):
            name = self.new_name(found.name)
        config = self.arguments(call, "layer", "Input" if found.kind == "input" else found.name, name)
        if found.kind == "layer":
            config.pop("name", None)
        spec = LayerSpec(name, found.name, config, origin=self.origin(call))
        written = _callee_name(call.func)
        if written in legacy.LEGACY_CLASSES:
            self.facts.legacy.append(LegacyUse("layer_class", written, found.name, spec.origin, name))
        return spec

    def add_to(self, model: _Model, spec: LayerSpec, site: Site) -> None:
        if model.layers and model.kind == "sequential":
            spec.inbound = (model.layers[-1].name,)
        model.layers.append(spec)
        model.sites[spec.name] = site

    # -- visitors ------------------------------------------------------------
    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar) and node.module is not None:
            module = keras_path(_dotted(node.module) + ".")
            if module is not None:
                self.star_modules.append(module.rstrip("."))

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.stmts.append(node)

    def leave_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.stmts.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append({})
        self.functions.append(node.name.value)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.pop()
        self.functions.pop()

    def visit_Return(self, node: cst.Return) -> None:
        if self.functions and isinstance(node.value, cst.Name):
            bound = self.lookup(node.value.value)
            if isinstance(bound, _Model):
                self.returns[self.functions[-1]] = bound

    def visit_For(self, node: cst.For) -> bool:
        items = node.iter
        if not (isinstance(node.target, cst.Name) and isinstance(items, (cst.List, cst.Tuple))
                and 0 < len(items.elements) <= MAX_UNROLL and ".add(" in _code(node.body)):
            return True
        for element in items.elements:
            self.bind(node.target.value, element.value)
            node.body.visit(self)
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1:
            return
        target = node.targets[0].target
        if not isinstance(target, cst.Name):
            for name in _names(target):
                self.bind(name, None)
            return
        self.bind(target.value, self.assigned(target.value, node.value))

    def assigned(self, name: str, value: cst.BaseExpression) -> Any:
        """What a name is bound to: a model, a tensor, or the expression itself."""
        if not isinstance(value, cst.Call):
            return value
        if isinstance(value.func, cst.Call):
            spec = self.apply_layer(value, name)
            return _Tensor(spec) if spec else value
        found = self.api(value.func)
        if found is None:
            if isinstance(value.func, cst.Name) and value.func.value in self.returns:
                return self.returns[value.func.value]
            return value
        if found.kind == "input":
            spec = self.layer(value, Site("functional", self.stmts[-1] if self.stmts else None,
                                           target=name))
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

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        found = self.api(func) if isinstance(func, (cst.Name, cst.Attribute)) else None
        if found is not None and found.kind == "callback":
            config = self.arguments(node, "callback", found.name)
            self.facts.callbacks.append(CallbackUse(found.name, config, self.origin(node)))
            return
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method in legacy.METHODS:
            self.facts.legacy.append(LegacyUse("method", method, legacy.METHODS[method],
                                               self.origin(func.attr)))
        owner = self.lookup(func.value.value) if isinstance(func.value, cst.Name) else None
        if not isinstance(owner, _Model):
            return
        if method == "add" and node.args:
            site = Site("add", self.stmts[-1] if self.stmts else None)
            spec = self.layer(node.args[0].value, site)
            if spec is not None:
                self.add_to(owner, spec, site)
        elif method == "compile":
            self.compile(owner, node)
        elif method in _FIT_METHODS:
            self.fit(owner, node)

    # -- models -------------------------------------------------------------
    def sequential(self, name: str, call: cst.Call) -> _Model:
        model = _Model("sequential", name, self.origin(call))
        self.models.append(model)
        arg = next((a for a in call.args if a.keyword is None or a.keyword.value == "layers"), None)
        items = self.deref(arg.value) if arg is not None else None
        if isinstance(items, cst.List):
            for element in items.elements:
                site = Site("list", container=items, element=element)
                spec = self.layer(element.value, site)
                if spec is not None:
                    self.add_to(model, spec, site)
        for key in ("name",):
            given = next((a for a in call.args if a.keyword and a.keyword.value == key), None)
            if given is not None and isinstance(self.value(given.value), str):
                model.name = self.value(given.value)
        return model

    def apply_layer(self, call: cst.Call, target: str | None) -> LayerSpec | None:
        """``Layer(...)(x)``: a functional layer fed by the tensors in ``x``."""
        site = Site("functional" if target else "inline", self.stmts[-1] if self.stmts else None,
                    apply=call, target=target)
        spec = self.layer(call.func, site)
        if spec is None:
            return None
        inbound = []
        for arg in call.args[:1]:
            for node in _elements(arg.value):
                if isinstance(node, cst.Call) and isinstance(node.func, cst.Call):
                    inner = self.apply_layer(node, None)
                    tensor = _Tensor(inner) if inner else None
                else:
                    tensor = self.lookup(node.value) if isinstance(node, cst.Name) else None
                if isinstance(tensor, _Tensor):
                    inbound.append(tensor.layer.name)
        spec.inbound = tuple(inbound)
        self.functional.append(spec)
        self._sites[spec.name] = site
        return spec

    def functional_model(self, name: str, call: cst.Call) -> _Model | None:
        args = {a.keyword.value if a.keyword else ("inputs", "outputs")[i]: a.value
                for i, a in enumerate(call.args[:2]) if not a.star}
        for a in call.args:
            if a.keyword and a.keyword.value in ("inputs", "outputs"):
                args[a.keyword.value] = a.value
        ins = [self.lookup(n.value) for n in _elements(args.get("inputs")) if isinstance(n, cst.Name)]
        outs = [self.lookup(n.value) for n in _elements(args.get("outputs")) if isinstance(n, cst.Name)]
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

    def compile(self, model: _Model, call: cst.Call) -> None:
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
            if isinstance(metrics, (cst.List, cst.Tuple)):
                spec.metrics = [self.object_config(el.value, "metric")[0] for el in metrics.elements]
            else:
                spec.metrics = self.value(metrics)
        model.compile, model.compile_call = spec, call

    def fit(self, model: _Model, call: cst.Call) -> None:
        spec = FitSpec(origin=self.origin(call))
        kwargs = _kwargs(call, positional("fit", ""))
        labels = kwargs.get("y")
        if isinstance(labels, cst.Name) and labels.value in self.onehot_names:
            model.fit_labels = self.origin(labels)
        values: dict[str, Any] = dict(_FIT_DEFAULTS)
        for arg in call.args:
            if arg.keyword is None:
                continue
            key = legacy.normal_kwarg("fit", "", arg.keyword.value)
            if key != arg.keyword.value:
                self.facts.legacy.append(LegacyUse("fit_kwarg", arg.keyword.value, key, self.origin(arg),
                                                   None, self.value(arg.value)))
            spec.arg_origins[key] = self.origin(arg.value)
            if key == "callbacks":
                items = self.deref(arg.value)
                values[key] = ([self.object_config(el.value, "callback")[0] for el in items.elements]
                               if isinstance(items, (cst.List, cst.Tuple)) else self.value(items))
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
        model.fit, model.fit_call = spec, call

    # -- result --------------------------------------------------------------
    def specs(self) -> list[SourceSpec]:
        out: list[SourceSpec] = []
        seen: set[int] = set()
        for model in self.models:
            if id(model) in seen or not model.layers:
                continue
            seen.add(id(model))
            facts = SourceFacts()
            if model.fit_labels is not None:
                facts.label_encoding, facts.label_origin = "onehot", model.fit_labels
            out.append(self._spec(model, facts))
        shared = out[0].facts if out else SourceFacts()
        shared.legacy, shared.callbacks = self.facts.legacy, self.facts.callbacks
        if not out and (shared.legacy or shared.callbacks):
            out.append(SourceSpec(layers=[], name="<script>", origin=Origin(self.path, 1, 1),
                                  keras_version=self.keras_version, facts=shared))
        return out

    def _spec(self, model: _Model, facts: SourceFacts) -> SourceSpec:
        layers = model.layers
        inputs = model.inputs or tuple(lay.name for lay in layers[:1] if lay.class_name == "InputLayer")
        outputs = model.outputs or ((layers[-1].name,) if layers else ())
        return SourceSpec(
            layers=layers, inputs=inputs, outputs=outputs, kind=model.kind,
            compile=model.compile, fit=model.fit, keras_version=self.keras_version,
            name=model.name, origin=model.origin, sites=model.sites, facts=facts,
            compile_call=model.compile_call, fit_call=model.fit_call,
        )


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return node.value if isinstance(node, cst.Name) else ""


def _callee_name(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for el in target.elements for n in _names(el.value)]
    return []


def _elements(node: cst.BaseExpression | None) -> list[cst.BaseExpression]:
    if node is None:
        return []
    if isinstance(node, (cst.List, cst.Tuple)):
        return [el.value for el in node.elements]
    return [node]


def _kwargs(call: cst.Call, positional_names: tuple[str, ...]) -> dict[str, cst.BaseExpression]:
    out: dict[str, cst.BaseExpression] = {}
    for index, arg in enumerate(call.args):
        if arg.star:
            continue
        if arg.keyword is not None:
            out[arg.keyword.value] = arg.value
        elif index < len(positional_names):
            out[positional_names[index]] = arg.value
    return out


def extract_module(wrapper: cst.MetadataWrapper, path: str, keras_version: Any = UNKNOWN) -> list[SourceSpec]:
    """Every model in a parsed script, as SourceSpecs (file-level facts on the first)."""
    extractor = SourceExtractor(path, keras_version)
    wrapper.visit(extractor)
    return extractor.specs()


def extract_source(code: str, path: str = "<string>", keras_version: Any = UNKNOWN) -> list[SourceSpec]:
    """Parse ``code`` and extract its models."""
    return extract_module(cst.MetadataWrapper(cst.parse_module(code)), path, keras_version)
