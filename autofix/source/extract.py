"""Extract ModelSpecs from a Keras training script with stdlib ``ast`` (no Keras, no libcst).

Recognises ``Sequential([...])``, ``Sequential()`` + ``model.add(...)`` (also in
``for`` loops and comprehensions over what the script shows: literal sequences,
``range(N)``, ``enumerate``/``zip``), the functional API, models built in a
function or a class and returned, instances of the script's ``keras.Model``
subclasses (:mod:`autofix.source.subclass`), ``compile(...)`` and ``fit(...)`` (with
``**settings`` dicts expanded).  Values that are not literals become ``Opaque``;
names bound to a literal are followed, parameters to the value every call gives
them (:mod:`autofix.source.bindings`), never to one branch's binding of several.

Checking is the common case, so extraction stays on ``ast`` (about 8x faster to
parse than libcst, and no scope/qualified-name metadata to compute): names are
resolved through the script's import table, and every site is recorded as a
source position.  libcst is loaded only to rewrite (``autofix.source.rewrite``).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from ..keras_vocab import snake_case
from ..spec import CompileSpec, FitSpec, LayerSpec, Origin
from ..values import UNKNOWN, Opaque
from . import keras1, legacy, upgrade
from .sites import CallbackUse, LegacyUse, Site, ScriptUses, SourceSpec
from .bindings import ModuleFacts, key_of as _bound_key, parameter_values
from .literal import dict_entries, entry_read, is_plain, literal
from .names import ApiName, ImportTable, imports_keras, keras_path
from .signatures import positional
from .subclass import ModelClass, read_class
from .script_index import parse
from .text import SourceText
from .walk import Walker

_FIT_DEFAULTS = {"epochs": 1, "batch_size": None, "shuffle": True, "class_weight": None,
                 "callbacks": [], "steps_per_epoch": None}
_FIT_METHODS = ("fit", "fit_generator")
#: Keras's lowercase functional merges (``concatenate([a, b])``, ``layers.add([x, y])``) and the layer each builds.
_MERGE_FUNCTIONS = {"concatenate": "Concatenate", "add": "Add", "subtract": "Subtract", "multiply": "Multiply",
                    "average": "Average", "maximum": "Maximum", "minimum": "Minimum", "dot": "Dot"}
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
    #: called on a tensor (``encoder(x)``) or added to another model: its outputs feed that model
    used_as_layer: bool = False
    #: an instance of a script's ``keras.Model`` subclass: what its class shows
    model_class: ModelClass | None = None


@dataclass(frozen=True)
class _Tensor:
    layer: LayerSpec


#: Call kinds whose legacy keyword names are read as their Keras 3 names.
_RENAMED = ("layer", "optimizer", "fit")


class SourceExtractor(Walker):
    """Walks a module in source order and collects models, layers and API uses."""

    def __init__(self, text: SourceText, keras_version: Any = UNKNOWN):
        super().__init__()
        self.text = text
        self.path = text.path
        self.keras_version = keras_version
        self.imports = ImportTable()
        self.scopes: list[dict[str, Any]] = [{}]
        self._resolving: set[int] = set()  # value nodes being resolved (a self-referential name stops there)
        self.returns: dict[str, Any] = {}
        self.tensor_returns: dict[str, _Tensor] = {}  # what a block-building function last returned
        self.models: list[_Model] = []
        self.functional: list[LayerSpec] = []
        self.uses = ScriptUses()
        self.onehot_names: set[str] = set()
        self.functions: list[str] = []
        self.counts: dict[str, int] = {}
        self._sites: dict[str, Site] = {}
        #: index in ``uses.legacy`` -> the model whose compile()/fit() call holds that use
        self._owners: dict[int, _Model] = {}
        #: functions defined so far (walked again when called with a model argument)
        self.defs: dict[str, ast.FunctionDef] = {}
        self._calling: list[str] = []
        self._called: set[int] = set()
        #: classes defined in the script that subclass a Keras layer (custom layers)
        self.custom_layers: set[str] = set()
        #: scope index of each enclosing class body (``self.model`` is bound there)
        self._class_scopes: list[int] = []
        self._classes: list[str] = []
        #: ``keras.Model`` subclasses defined so far, and the one per enclosing class body (None: another class)
        self.model_classes: dict[str, ModelClass] = {}
        self._model_class: list[ModelClass | None] = []
        #: call sites, mutations and rebinding of the module's names (set by visit_Module)
        self.facts: ModuleFacts | None = None
        self._tree: ast.Module | None = None
        self._strings: dict[str, int] | None = None
        #: the arguments of the call :meth:`arguments` read last that come from a dict entry, each with where
        #: the dict writes its value (:meth:`_note_entry`); per layer (by id), the same for its call
        self.entry_origins: dict[str, Origin] = {}
        self._entry_sites: dict[int, dict[str, Origin]] = {}

    # -- helpers -------------------------------------------------------------
    def origin(self, node: ast.AST) -> Origin:
        return self.text.origin(node)

    def stmt_origin(self) -> Origin | None:
        return self.origin(self.stmts[-1]) if self.stmts else None

    def api(self, node: ast.expr) -> ApiName | None:
        return self.imports.api(node)

    def lookup(self, name: str) -> Any:
        for depth, scope in enumerate(reversed(self.scopes)):
            if name in scope:
                value = scope[name]
                if depth and depth == len(self.scopes) - 1 and self.facts is not None \
                        and name in self.facts.rebound and not isinstance(value, (_Model, _Tensor)):
                    return None  # a global bound twice: a function may run after either binding
                return value
        return None

    def bind(self, name: str, value: Any) -> None:
        if name.startswith("self.") and self._class_scopes:  # an attribute lives as long as its class
            self.scopes[self._class_scopes[-1]][name] = value
        else:
            self.scopes[-1][name] = value

    def owner_of(self, node: ast.expr) -> Any:
        """What a name or ``self.attr`` is bound to (None otherwise)."""
        key = _bound_key(node)
        return self.lookup(key) if key is not None else None

    def _unpacked_keywords(self, node: ast.expr) -> list[ast.keyword] | None:
        """The keywords of ``**FIT`` when ``FIT`` is visibly ``dict(k=v, ...)`` or ``{"k": v, ...}``, or
        ``dict(FIT, k=v)`` of such a dict (its keys, ``k`` overridden)."""
        bound = self.deref(node)
        if isinstance(bound, ast.Call) and isinstance(bound.func, ast.Name) and bound.func.id == "dict" \
                and len(bound.args) <= 1 and all(k.arg is not None for k in bound.keywords):
            base = self._unpacked_keywords(bound.args[0]) if bound.args else []
            if base is None:
                return None
            return list({k.arg: k for k in [*base, *bound.keywords]}.values())
        if isinstance(bound, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str)
                                               for k in bound.keys):
            return [ast.copy_location(ast.keyword(arg=k.value, value=v), k) for k, v in zip(bound.keys, bound.values)]
        return None

    def deref(self, node: ast.expr, depth: int = 0) -> ast.expr:
        """Follow a name bound to an expression (``opt = Adam(...)``), and a read of a dict entry
        with a literal key (``config["units"]``, ``config.get("units", 8)``) to the value the dict
        writes there (:meth:`dict_entry`); a name the script mutates (``FIT.update(...)``,
        ``FIT["epochs"] = 1``) is not followed."""
        while depth < 8:
            if isinstance(node, ast.Name):
                if self.facts is not None and node.id in self.facts.mutated:
                    break
                bound = self.lookup(node.id)
                if not isinstance(bound, ast.expr):
                    break
            else:
                bound = self.dict_entry(node, depth)
                if bound is None:
                    break
            node, depth = bound, depth + 1
        return node

    def dict_entry(self, node: ast.expr, depth: int = 0) -> ast.expr | None:
        """The expression a dict the script shows (``CONFIG = {"units": 1}``, ``dict(units=1)``, reached
        through names and parameters, :meth:`deref`) holds at ``node``'s literal key (``cfg["units"]``,
        ``cfg["head"]["units"]``), or ``cfg.get("units", d)``'s default ``d`` when the dict has no such
        key; None otherwise (a mutated or rebound dict is not followed, a non-literal key is not read)."""
        read = entry_read(node)
        if read is None:
            return None
        container, key, default, is_get = read
        shown = self.deref(container, depth + 1)
        entries = dict_entries(shown)
        if entries is None or isinstance(shown, ast.Call) and self.lookup("dict") is not None:
            return None  # not a dict the script shows (or ``dict`` is the script's own name)
        if key in entries:
            return entries[key]
        return default if is_get else None

    def _attribute_value(self, node: ast.expr) -> ast.expr:
        """What ``self.attr`` is bound to in its class (``self.stopper = EarlyStopping(...)``), else ``node``."""
        bound = self.owner_of(node) if isinstance(node, ast.Attribute) else None
        return bound if isinstance(bound, ast.expr) else node

    def value(self, node: ast.expr) -> Any:
        return literal(node, self.text.segment, self._resolve_name)

    def verbatim(self, node: ast.expr) -> Any:
        """A value as written: the literal when the expression is one by itself,
        else ``Opaque(its source text)`` (names are not followed: a rename must
        keep ``nb_epoch=EPOCHS`` as ``epochs=EPOCHS``)."""
        value = literal(node, self.text.segment)
        return value if is_plain(value) else Opaque(self.text.segment(node))

    def _resolve_name(self, name: ast.expr) -> Any:
        """The literal value a name or a dict entry read (``cfg["units"]``) stands for, else Opaque."""
        target = self.deref(name)
        if target is name or id(target) in self._resolving:  # ``states = [h] + states``: no fixed value
            return Opaque(name.id if isinstance(name, ast.Name) else self.text.segment(name))
        self._resolving.add(id(target))
        try:
            return self.value(target)
        finally:
            self._resolving.discard(id(target))

    def new_name(self, class_name: str) -> str:
        base = snake_case(class_name)
        count = self.counts.get(base, 0)
        self.counts[base] = count + 1
        return base if count == 0 else f"{base}_{count}"

    def arguments(self, call: ast.Call, kind: str, class_name: str, target: str | None = None,
                  written: str | None = None) -> dict[str, Any]:
        """Config from a call's arguments (positional names mapped, legacy names
        normalised and recorded against ``target``).

        ``written`` is the class name as the script spells it: a Keras 1
        convolution (``Convolution2D(32, 3, 3)``, ``nb_row=3, nb_col=3``) gives
        its kernel as separate arguments, read here as one ``kernel_size``."""
        names = positional(kind, class_name)
        config: dict[str, Any] = {}
        self.entry_origins = {}
        kernel = keras1.kernel_arguments(written, call) if kind == "layer" and written else None
        args: list[tuple[str | None, ast.expr]] = [
            (names[i] if i < len(names) else None, arg) for i, arg in enumerate(call.args)]
        skip: set[str] = set()
        if kernel is not None:
            form, nodes, after = kernel
            config["kernel_size"] = tuple(self.value(n) for n in nodes)
            if form == "positional":
                rest = [legacy.layer_kwarg(class_name, n) for n in after]
                args = [(names[0] if names else None, call.args[0])] + list(zip(rest, call.args[1 + len(nodes):]))
                old = f"{', '.join(keras1.KERNEL_KEYWORDS[written])} as separate positional arguments"
            else:
                skip = set(keras1.KERNEL_KEYWORDS[written])
                old = "=, ".join(keras1.KERNEL_KEYWORDS[written]) + "="
            where = self.origin(nodes[0])
            last = self.origin(nodes[-1])
            where = Origin(where.path, where.line, where.col, last.end_line, last.end_col)
            self.uses.legacy.append(LegacyUse("layer_kernel", old, "kernel_size", where, target,
                                              tuple(self.verbatim(n) for n in nodes)))
        for key, arg in args:
            if key is not None and not isinstance(arg, ast.Starred):
                config[key] = self.value(arg)
                self._note_entry(key, arg)
        for arg in call.keywords:
            if arg.arg is None:  # ``**INIT`` with ``INIT = dict(kernel_initializer="ones")``: its values, read there
                for shown in self._unpacked_keywords(arg.value) or ():
                    key = legacy.normal_kwarg(kind, class_name, shown.arg) if kind in _RENAMED else shown.arg
                    config.setdefault(key, self.value(shown.value))
                continue
            if arg.arg in skip:
                continue
            key = arg.arg
            if kind in _RENAMED:
                key = legacy.normal_kwarg(kind, class_name, key)
            if key != arg.arg:
                self.uses.legacy.append(LegacyUse(f"{kind}_kwarg", arg.arg, key, self.origin(arg),
                                                   target, self.verbatim(arg.value)))
            config[key] = self.value(arg.value)
            self._note_entry(key, arg.value)
        if kind == "callback":  # ``*args``/unreadable ``**opts``: a parameter not shown has no known value
            hidden = [a.value for a in call.args if isinstance(a, ast.Starred)] + [
                k.value for k in call.keywords if k.arg is None and self._unpacked_keywords(k.value) is None]
            if hidden:
                config.update((key, Opaque(self.text.segment(hidden[0]))) for key in names if key not in config)
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
    def layer(self, call: ast.expr, unknown: bool = False) -> LayerSpec | None:
        """A LayerSpec from a layer constructor call (None when it is not one).

        A call of a custom layer class defined in the script (or, with
        ``unknown``, of anything where only a layer can stand: a Sequential list
        element, ``model.add(...)``'s argument) gives a layer of that class with
        no known config: rules treat it as unknown, never as a linear layer."""
        call = self.deref(call) if isinstance(call, ast.Name) else call
        if not isinstance(call, ast.Call):
            return None
        found = self.api(call.func)
        if found is None:
            written = _callee_name(call.func)
            if written and (written in self.custom_layers or unknown) and written not in self.returns \
                    and not isinstance(self.owner_of(call.func), _Model):
                given = next((a.value for a in call.keywords if a.arg == "name"), None)
                name = self.value(given) if given is not None else None
                name = name if isinstance(name, str) else self.new_name(written)
                return LayerSpec(name, written, {}, origin=self.origin(call))
            return None
        if found.kind not in ("layer", "input"):
            return None
        given = next((a.value for a in call.keywords if a.arg == "name"), None)
        name = self.value(given) if given is not None else None
        if not isinstance(name, str):
            name = self.new_name(found.name)
        for arg in [*call.args, *(k.value for k in call.keywords)]:  # Keras 1 ``Merge([encoder_a, encoder_b])``
            for element in _elements(arg):
                if isinstance(self.owner_of(element), _Model):
                    self.owner_of(element).used_as_layer = True
        written = _callee_name(call.func)
        before = len(self.uses.legacy)
        config = self.arguments(call, "layer", "Input" if found.kind == "input" else found.name, name, written)
        if found.kind == "layer":
            config.pop("name", None)
        spec = LayerSpec(name, found.name, config, origin=self.origin(call))
        if self.entry_origins:
            self._entry_sites[id(spec)] = dict(self.entry_origins)
        renamed = written in legacy.LEGACY_CLASSES or (  # a Keras 3 alias is renamed along with Keras 1 names
            written != found.name and written.startswith("Convolution") and len(self.uses.legacy) > before)
        if renamed:
            self.uses.legacy.insert(before, LegacyUse("layer_class", written, found.name, spec.origin, name))
        return spec

    def add_to(self, model: _Model, spec: LayerSpec, site: Site) -> None:
        if model.layers and model.kind == "sequential":
            spec.inbound = (model.layers[-1].name,)
        model.layers.append(spec)
        site.entries = self._entry_sites.get(id(spec), {})
        model.sites[spec.name] = site

    def _note_entry(self, key: str, arg: ast.expr) -> None:
        """``Dense(cfg["units"])``: record where the dict writes the literal the argument reads (a fix edits
        it there), when that entry is read nowhere else: each key on the way (``cfg["head"]["units"]``)
        is written once in the module besides the dict display's own key."""
        node, chain = arg, []
        while (read := entry_read(node)) is not None and len(chain) < 8:
            chain.append(read)
            node = read[0]
        if not chain:
            return
        target = self.deref(arg)
        if target is arg or not (isinstance(target, ast.Constant) or isinstance(target, ast.UnaryOp)
                                 and isinstance(target.operand, ast.Constant)):
            return
        for container, entry_key, _default, _is_get in chain:
            shown = self.deref(container)
            if self._string_count(entry_key) != 1 + isinstance(shown, ast.Dict):
                return
        self.entry_origins[key] = self.origin(target)

    def _string_count(self, text: str) -> int:
        """How many string constants of the module equal ``text`` (counted once per module, on demand)."""
        if self._strings is None:
            self._strings = defaultdict(int)
            for node in ast.walk(self._tree) if self._tree is not None else ():
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    self._strings[node.value] += 1
        return self._strings.get(text, 0)

    # -- visitors ------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        self.imports.add(node)

    visit_ImportFrom = visit_Import

    def visit_Module(self, node: ast.Module) -> None:
        self.facts = ModuleFacts(node)
        self._tree = node
        self.imports.implicit = not imports_keras(node)  # a pasted snippet: read its Keras names as such

    def visit_FunctionDef(self, node: ast.FunctionDef) -> bool:
        """A function's body, read once at its definition with each parameter bound to the
        value every call gives it (its default, or one literal), else unknown."""
        method = bool(self._class_scopes) and len(self.scopes) - 1 == self._class_scopes[-1]
        if not method:
            self.defs[node.name] = node  # a plain function (methods are reached through self.*)
        calls = self.facts.call_sites(node, self._classes[-1] if method else None) if self.facts else None
        self.scopes.append(parameter_values(node, calls, method, self.argument_value))
        self.functions.append(node.name)
        self.walk_children(node)
        self.scopes.pop()
        self.functions.pop()
        return False

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> bool:
        """A class body: ``self.model`` set in one method is seen in the others (in source order).

        A subclass of ``keras.Model`` is a model class (:mod:`autofix.source.subclass`):
        the layers its ``__init__`` sets on ``self`` are read in this walk, its ``call()`` after it."""
        if any(_callee_name(base).endswith("Layer") for base in node.bases):
            self.custom_layers.add(node.name)
        found = [self.api(base) for base in node.bases if isinstance(base, (ast.Name, ast.Attribute))]
        model_class = ModelClass(node.name) if any(f is not None and f.kind == "model" for f in found) else None
        self.scopes.append({})
        self._class_scopes.append(len(self.scopes) - 1)
        self._classes.append(node.name)
        self._model_class.append(model_class)
        for stmt in node.body:
            self.walk(stmt)
        self._model_class.pop()
        self._classes.pop()
        self._class_scopes.pop()
        self.scopes.pop()
        if model_class is not None:
            read_class(model_class, node)
            self.model_classes[node.name] = model_class
        return False

    def reading_init(self) -> ModelClass | None:
        """The model class whose ``__init__`` is being walked (directly in it), else None."""
        if not self._model_class or self._model_class[-1] is None or not self.functions \
                or self.functions[-1] != "__init__" or len(self.scopes) != self._class_scopes[-1] + 2:
            return None
        return self._model_class[-1]

    def class_attribute(self, model_class: ModelClass, attr: str, value: ast.expr, bound: Any) -> None:
        """``self.<attr> = <Layer>(...)`` (or a list of layers) in a model class's ``__init__``.

        An attribute bound twice (``if``/``else``) keeps both bindings' layers, but call()
        cannot use it (which one it gets is not known)."""
        if isinstance(bound, _Model):  # ``self.encoder = keras.Sequential([...])``: a model used as a layer
            bound.used_as_layer = True
            return
        spec = self.layer(value)
        specs = [spec] if spec is not None else [spec for spec, _ in self.listed_layers(value)]
        if not specs or None in specs:
            return
        if attr in model_class.attributes:
            model_class.rebound.add(attr)
        elif spec is None:
            model_class.lists.add(attr)
        model_class.attributes.setdefault(attr, []).extend(specs)

    def instance(self, name: str, call: ast.Call, model_class: ModelClass) -> _Model:
        """``RingNet(...)``: a model of the class's layers (copied: each instance has its own)."""
        model = _Model("subclassed", name, self.origin(call), model_class=model_class)
        known = model_class.inbound is not None
        for spec in model_class.layers():
            inbound = model_class.inbound.get(spec.name, ()) if known else ()
            model.layers.append(replace(spec, config=dict(spec.config), inbound=inbound))
            model.sites[spec.name] = Site("inline")
        model.outputs = model_class.outputs
        self.models.append(model)
        return model

    def argument_value(self, node: ast.expr) -> Any:
        """A call argument's literal value (None when it is not one); names are followed only to
        module-level bindings no function can shadow."""
        facts = self.facts

        def resolve(name: ast.expr) -> Any:
            if not isinstance(name, ast.Name):  # ``CONFIG["units"]``: not read here
                return Opaque(self.text.segment(name))
            if facts is None or name.id in facts.local_names or name.id in facts.mutated \
                    or name.id in facts.rebound or not isinstance(self.scopes[0].get(name.id), ast.expr):
                return Opaque(name.id)
            return literal(self.scopes[0][name.id], self.text.segment)

        if isinstance(node, ast.Name) and dict_entries(self.scopes[0].get(node.id)) is not None \
                and not isinstance(resolve(node), Opaque):
            return ("module dict", node.id)  # ``build(CONFIG)``: the same dict wherever it is passed
        value = literal(node, self.text.segment, resolve)
        return value if is_plain(value) else None

    def call_function(self, node: ast.Call) -> bool:
        """``train(model, x, y)``: walk the function's body again with its parameters bound to
        the arguments, so the compile()/fit() calls inside reach the model passed in; also
        ``x = residual_block(x, 32)``, once per tensor it is given (an unrolled loop calls it again),
        so the layers it applies join the graph (its returned tensor: ``tensor_returns``).
        Returns whether the body was walked."""
        func = self.defs.get(node.func.id) if isinstance(node.func, ast.Name) else None
        if func is None or func.name in self._calling or len(self._calling) >= 4:
            return False
        params = [a.arg for a in func.args.posonlyargs + func.args.args]
        bound: dict[str, Any] = {}
        for name, arg in zip(params, node.args):
            if not isinstance(arg, ast.Starred):
                owner = self.owner_of(arg)
                if owner is None and isinstance(arg, ast.Call):  # ``block(layers.Dense(8)(x), 8)``, ``train(build())``
                    owner = self.tensor_of(arg) or self.returned_model(arg)
                bound[name] = owner if isinstance(owner, (_Model, _Tensor)) else arg
        for kw in node.keywords:
            if kw.arg in params or kw.arg in [a.arg for a in func.args.kwonlyargs]:
                owner = self.owner_of(kw.value)
                bound[kw.arg] = owner if isinstance(owner, (_Model, _Tensor)) else kw.value
        given = [v for v in bound.values() if isinstance(v, (_Model, _Tensor))]
        key = (id(node), *(id(v) for v in given)) if not any(isinstance(v, _Model) for v in given) else id(node)
        if not given or key in self._called:
            return False
        self._called.add(key)
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            bound = {k: v for k, v in bound.items() if isinstance(v, (_Model, _Tensor))}  # ``f(model, *rest)``
        defaults = parameter_values(func, [], False, self.argument_value)  # what this call leaves out
        bound = {**defaults, **bound}
        self._calling.append(func.name)
        self.scopes.append(bound)
        self.functions.append(func.name)
        self.tensor_returns.pop(func.name, None)
        try:
            for stmt in func.body:
                self.walk(stmt)
        finally:
            self.functions.pop()
            self.scopes.pop()
            self._calling.pop()
        return True

    def returned_model(self, call: ast.Call) -> _Model | None:
        """The model a call of the script's builder returns (``build_model()``), its body walked for
        the arguments given; None for any other call."""
        if not (isinstance(call.func, ast.Name) and call.func.id in self.returns):
            return None
        self.call_function(call)
        return self.returns[call.func.id]

    def visit_If(self, node: ast.If) -> bool:
        """Both branches are walked; a name they bind differently is not followed after the if."""
        self.walk(node.test)
        self.branches([node.body, node.orelse])
        return False

    def visit_While(self, node: ast.While) -> bool:
        """A loop body may run any number of times: what it rebinds is not followed after it."""
        self.walk(node.test)
        self.branches([node.body + node.orelse, node.orelse], loop=True)
        return False

    def visit_Try(self, node: ast.Try) -> bool:
        """The body or any handler may have run: a name they bind differently is not followed."""
        self.branches([node.body + node.orelse, *[h.body for h in node.handlers]])
        for stmt in node.finalbody:
            self.walk(stmt)
        return False

    visit_TryStar = visit_Try

    def branches(self, blocks: list[list[ast.stmt]], loop: bool = False) -> None:
        """Walk each block from the same bindings, then keep only what they all agree on.

        A model bound in one block only is kept (it is the one the script trains); in
        a loop (``loop``) a model or tensor keeps the body's binding (one pass of it)."""
        before = dict(self.scopes[-1])
        results = []
        for block in blocks:
            self.scopes[-1] = dict(before)
            for stmt in block:
                self.walk(stmt)
            results.append(self.scopes[-1])
        merged = dict(results[0])
        for other_scope in results[1:]:
            for name in set(merged) | set(other_scope):
                one, other = merged.get(name, before.get(name)), other_scope.get(name, before.get(name))
                if one is other:
                    continue
                if loop and isinstance(one, (_Model, _Tensor)):
                    merged[name] = one
                else:
                    merged[name] = one if isinstance(one, _Model) and other is None else (
                        other if isinstance(other, _Model) and one is None else None)
        self.scopes[-1] = merged

    def visit_Return(self, node: ast.Return) -> None:
        if not self.functions or node.value is None:
            return
        bound = self.owner_of(node.value)
        if bound is None and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Call):
            spec = self.apply_layer(node.value, None)  # ``return layers.Activation("relu")(x)``
            bound = _Tensor(spec) if spec else None
        elif bound is None and isinstance(node.value, ast.Call):  # ``return Sequential([...])``
            bound = self.assigned(self.functions[-1], node.value)
        if isinstance(bound, _Model):
            self.returns[self.functions[-1]] = bound
        elif isinstance(bound, _Tensor):
            self.tensor_returns[self.functions[-1]] = bound

    def visit_For(self, node: ast.For) -> bool:
        """A loop that builds layers over what the script shows it iterates (a literal list or
        tuple, ``range(N)``, ``enumerate``/``zip`` of those; also through names and parameters)
        is unrolled; any other loop is read as one pass whose rebound names are not followed."""
        self.walk(node.iter)
        items = self.loop_items(node.iter)
        body = self.text.between(node.body[0], node.body[-1])
        builds = ".add(" in body or ")(" in body or any(  # layers, or a call of a function that may add them
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in self.defs
            for stmt in node.body for n in ast.walk(stmt))
        if not (isinstance(node.target, (ast.Name, ast.Tuple)) and items is not None
                and 0 < len(items) <= MAX_UNROLL and builds):
            for name in _names(node.target):
                self.bind(name, None)
            self.branches([node.body + node.orelse, node.orelse], loop=True)
            return False
        for element in items:
            self.bind_target(node.target, element)
            for stmt in node.body:
                self.walk(stmt)
        for stmt in node.orelse:
            self.walk(stmt)
        return False

    visit_AsyncFor = visit_For

    def bind_target(self, target: ast.expr, element: ast.expr | None) -> None:
        """Bind a loop target (``units``, ``i, units``) to one item."""
        if isinstance(target, ast.Name):
            self.bind(target.id, element)
        elif isinstance(target, (ast.Tuple, ast.List)):
            parts = element.elts if isinstance(element, (ast.Tuple, ast.List)) \
                and len(element.elts) == len(target.elts) else [None] * len(target.elts)
            for sub, part in zip(target.elts, parts):
                self.bind_target(sub, part)

    def loop_items(self, node: ast.expr) -> list[ast.expr] | None:
        """The items a loop visibly iterates, as expressions; None when the script does not show them."""
        node = self.deref(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("enumerate", "zip") \
                and self.lookup(node.func.id) is None and node.args and not node.keywords:
            columns = [self.loop_items(arg) for arg in node.args]
            if any(c is None for c in columns) or (node.func.id == "enumerate" and len(columns) != 1):
                return None
            if node.func.id == "enumerate":
                columns = [[ast.Constant(i) for i in range(len(columns[0]))], columns[0]]
            return [ast.Tuple(list(row), ast.Load()) for row in zip(*columns)]
        return _loop_items(node, self.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1:
            return
        target = node.targets[0]
        key = _bound_key(target)
        if key is None:
            for name in _names(target):
                self.bind(name, None)
            return
        bound = self.assigned(key, node.value)
        model_class = self.reading_init() if key.startswith("self.") else None
        if model_class is not None:
            self.class_attribute(model_class, key[len("self."):], node.value, bound)
        self.bind(key, bound)

    def assigned(self, name: str, value: ast.expr) -> Any:
        """What a name is bound to: a model, a tensor, or the expression itself."""
        if isinstance(value, ast.Name) and isinstance(self.lookup(value.id), (_Model, _Tensor)):
            return self.lookup(value.id)  # ``x = inputs`` before a loop of layers: the same tensor
        if not isinstance(value, ast.Call):
            return value
        for arg in [*value.args, *(k.value for k in value.keywords)]:  # ``add([encoder.outputs[0], ...])``
            for element in _elements(arg):
                owner = self.owner_of(_model_output(element))
                if isinstance(owner, _Model):
                    owner.used_as_layer = True
        if isinstance(value.func, ast.Call):
            inner = value.func.func
            if isinstance(inner, ast.Name) and inner.id in self.returns:  # ``encoder()(x)``
                self.returns[inner.id].used_as_layer = True
                return value
            spec = self.apply_layer(value, name)
            return _Tensor(spec) if spec else value
        called = self.owner_of(value.func)
        if isinstance(called, _Model):  # ``h = encoder(x)``: a model used as a layer
            called.used_as_layer = True
            return value
        found = self.api(value.func)
        if found is None:
            merged = self.merge_call(value, name)
            if merged is not None:  # ``x = concatenate([a, b])``
                return _Tensor(merged)
            if isinstance(value.func, ast.Name) and value.func.id in self.model_classes \
                    and self.lookup(value.func.id) is None:
                return self.instance(name, value, self.model_classes[value.func.id])
            built = self.returned_model(value)
            if built is not None:
                return built
            if self.call_function(value) and value.func.id in self.tensor_returns:  # ``x = block(x, 32)``
                return self.tensor_returns[value.func.id]
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
            called = self.owner_of(func)
            if isinstance(called, _Model):
                called.used_as_layer = True
            elif isinstance(func, ast.Name) and not (self.stmts and isinstance(self.stmts[-1], ast.Assign)
                                                     and self.stmts[-1].value is node):
                self.call_function(node)  # ``train(model, x, y)`` as a statement
            return
        method = func.attr
        if method in legacy.METHODS:
            self.uses.legacy.append(LegacyUse("method", method, legacy.METHODS[method],
                                               self.text.attr_origin(func)))
        owner = self.owner_of(func.value)
        if not isinstance(owner, _Model):
            if method == "compile":  # a model the script does not build (a library's)
                self.uses.compiles.append(self.compile_spec(node))
            return
        if method == "add" and node.args:
            added = self.owner_of(node.args[0])
            if isinstance(added, _Model):
                added.used_as_layer = True
                return
            spec = self.layer(node.args[0], unknown=True)
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
        if isinstance(items, ast.List) and not any(isinstance(e, ast.Starred) for e in items.elts):
            container = self.origin(items)
            for element in items.elts:
                if isinstance(self.owner_of(element), _Model):
                    self.owner_of(element).used_as_layer = True
                    continue
                spec = self.layer(element, unknown=True)
                if spec is not None:
                    self.add_to(model, spec, Site("list", container=container, element=self.origin(element)))
        elif items is not None:  # ``[*blocks, Dense(1)]``, ``[Dense(64) for _ in range(3)]``, ``a + b``
            for spec, _ in self.listed_layers(items, unknown=True):
                if spec is not None:
                    self.add_to(model, spec, Site("inline"))
        given = next((a.value for a in call.keywords if a.arg == "name"), None)
        if given is not None and isinstance(self.value(given), str):
            model.name = self.value(given)
        return model

    def listed_layers(self, items: ast.expr, unknown: bool = False) -> list[tuple[LayerSpec | None, ast.expr]]:
        """The layer of each element :meth:`layer_elements` gives (None where an element is not one)."""
        out = []
        for element, names in self.layer_elements(items):
            self.scopes.append(names)  # a comprehension's loop name, bound to this item
            try:
                out.append((self.layer(element, unknown=unknown), element))
            finally:
                self.scopes.pop()
        return out

    def layer_elements(self, node: ast.expr, depth: int = 0) -> list[tuple[ast.expr, dict[str, Any]]]:
        """The layer expressions a list-valued expression stands for, each with the names
        to bind while reading it: list literals with ``*`` unpacking, ``+`` of lists,
        comprehensions over what :meth:`loop_items` sees (the element repeated, its
        loop name bound to each item)."""
        node = self.deref(node)
        if depth > 8:
            return []
        if isinstance(node, (ast.List, ast.Tuple)):
            out: list[tuple[ast.expr, dict[str, Any]]] = []
            for element in node.elts:
                if isinstance(element, ast.Starred):
                    out.extend(self.layer_elements(element.value, depth + 1))
                else:
                    out.append((element, {}))
            return out
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.layer_elements(node.left, depth + 1) + self.layer_elements(node.right, depth + 1)
        if isinstance(node, ast.ListComp) and len(node.generators) == 1 and not node.generators[0].ifs:
            loop = node.generators[0]
            items = self.loop_items(loop.iter)
            if items is None or len(items) > MAX_UNROLL:
                return []
            out = []
            for item in items:
                self.scopes.append({})
                self.bind_target(loop.target, item)
                out.append((node.elt, self.scopes.pop()))
            return out
        return []

    def apply_layer(self, call: ast.Call, target: str | None) -> LayerSpec | None:
        """``Layer(...)(x)``: a functional layer fed by the tensors in ``x``."""
        spec = self.layer(call.func)
        if spec is None:
            return None
        inbound = []
        for arg in call.args[:1]:
            inbound.extend(self.tensors_in(arg))
        spec.inbound = tuple(inbound)
        self.functional.append(spec)
        self._sites[spec.name] = Site("functional" if target else "inline", self.stmt_origin(),
                                      apply=self.origin(call), target=target,
                                      entries=self._entry_sites.get(id(spec), {}))
        return spec

    def tensors_in(self, arg: ast.expr) -> list[str]:
        """The layers whose output tensors ``arg`` (a tensor, or a list of them) holds: names bound to a
        tensor, ``L(...)(x)`` and merge calls written in place; anything else is not followed."""
        return [tensor.layer.name for tensor in map(self.tensor_of, _elements(arg)) if tensor is not None]

    def tensor_of(self, node: ast.expr) -> _Tensor | None:
        """The tensor ``node`` is: a name bound to one, or ``L(...)(x)`` / a merge call / a block function's
        call written in place (``keras.Model(inputs, layers.Dense(3)(x))``, ``concatenate([block(x), y])``),
        whose layers then join the graph."""
        if isinstance(node, ast.Name):
            tensor = self.lookup(node.id)
            return tensor if isinstance(tensor, _Tensor) else None
        if not isinstance(node, ast.Call):
            return None
        if isinstance(node.func, ast.Name) and node.func.id in self.defs:
            walked = self.call_function(node)
            return self.tensor_returns.get(node.func.id) if walked else None
        spec = self.apply_layer(node, None) if isinstance(node.func, ast.Call) else self.merge_call(node, None)
        return _Tensor(spec) if spec else None

    def merge_call(self, call: ast.Call, target: str | None) -> LayerSpec | None:
        """``concatenate([a, b], axis=-1)``, ``keras.layers.add([x, y])`` (also ``multiply``, ``average``,
        ``maximum``, ``minimum``, ``subtract``, ``dot``): the merge layer Keras builds for the call
        (``Concatenate``, ``Add``, ...), fed by every tensor of its list; its config is the call's keywords
        (``axis=``, ``axes=``). None for any other call, or a list the script does not show."""
        func = call.func
        qualified = self.imports.resolve(func)  # also ``layers.concatenate`` in a snippet with no imports
        path = keras_path(qualified) if qualified else None
        if path is None and isinstance(func, ast.Name) and self.lookup(func.id) is None:
            path = next((f"layers.{func.id}" for m in self.imports.star_modules if m == "layers"), None)
        parts = path.split(".") if path else []
        class_name = _MERGE_FUNCTIONS.get(parts[-1]) if len(parts) >= 2 and parts[0] == "layers" else None
        if class_name is None or not call.args or isinstance(call.args[0], ast.Starred):
            return None
        items = call.args[0]
        if isinstance(items, ast.Name) and not isinstance(self.lookup(items.id), _Tensor):
            items = self.deref(items)  # ``concatenate(branches)`` with ``branches = [a, b]``
        if not isinstance(items, (ast.List, ast.Tuple)):
            return None
        config = {k.arg: self.value(k.value) for k in call.keywords if k.arg not in (None, "name")}
        given = next((k.value for k in call.keywords if k.arg == "name"), None)
        name = self.value(given) if given is not None else None
        spec = LayerSpec(name if isinstance(name, str) else self.new_name(class_name), class_name, config,
                         origin=self.origin(call))
        spec.inbound = tuple(self.tensors_in(items))
        self.functional.append(spec)
        self._sites[spec.name] = Site("inline", self.stmt_origin(), target=target)
        return spec

    def functional_model(self, name: str, call: ast.Call) -> _Model | None:
        args = {key: a for key, a in zip(("inputs", "outputs"), call.args) if not isinstance(a, ast.Starred)}
        args.update({a.arg: a.value for a in call.keywords if a.arg in ("inputs", "outputs")})
        ins = [self.lookup(n.id) for n in _elements(args.get("inputs")) if isinstance(n, ast.Name)]
        outs = [tensor for n in _elements(args.get("outputs"))  # (a name not bound to a tensor: no model)
                if (tensor := self.tensor_of(n)) is not None or isinstance(n, ast.Name)]
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

    def own(self, model: _Model, since: int) -> None:
        """The legacy uses recorded since index ``since`` belong to ``model``'s call."""
        for index in range(since, len(self.uses.legacy)):
            if self.uses.legacy[index].kind in ("optimizer_kwarg", "fit_kwarg"):
                self._owners.setdefault(index, model)

    def compile(self, model: _Model, call: ast.Call) -> None:
        since = len(self.uses.legacy)
        try:
            model.compile = self.compile_spec(call)
        finally:
            self.own(model, since)

    def compile_spec(self, call: ast.Call) -> CompileSpec:
        """What a ``compile(...)`` call sets (loss, optimizer, metrics), each value as the script shows it."""
        spec = CompileSpec(loss=None, optimizer="rmsprop", metrics=[], origin=self.origin(call))
        kwargs = _kwargs(call, positional("compile", ""))
        for arg in call.keywords:
            if arg.arg is not None:
                continue
            unpacked = self._unpacked_keywords(arg.value)
            if unpacked is None:  # **settings the script does not show: what it does not name is opaque
                hidden = Opaque(f"**{self.text.segment(arg.value)}")
                spec.loss, spec.optimizer, spec.metrics = hidden, hidden, hidden
            else:  # each value read where the dict is written (a rewrite edits it there)
                kwargs.update((k.arg, k.value) for k in unpacked if k.arg not in kwargs)
        spec.arg_origins = {key: self.origin(node) for key, node in kwargs.items()}
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
        return spec

    def fit(self, model: _Model, call: ast.Call) -> None:
        since = len(self.uses.legacy)
        try:
            self._fit(model, call)
        finally:
            self.own(model, since)

    def _fit(self, model: _Model, call: ast.Call) -> None:
        spec = FitSpec(origin=self.origin(call))
        kwargs = _kwargs(call, positional("fit", ""))
        labels = kwargs.get("y")
        if isinstance(labels, ast.Name) and labels.id in self.onehot_names:
            model.fit_labels = self.origin(labels)
        values: dict[str, Any] = dict(_FIT_DEFAULTS)
        keywords: list[ast.keyword] = []
        for arg in call.keywords:
            if arg.arg is not None:
                keywords.append(arg)
                continue
            unpacked = self._unpacked_keywords(arg.value)
            if unpacked is None:  # **settings the script does not show: every unnamed setting is opaque
                values.update((key, Opaque(f"**{self.text.segment(arg.value)}")) for key in _FIT_DEFAULTS)
            else:
                keywords.extend(unpacked)
        for arg in keywords:
            key = legacy.normal_kwarg("fit", "", arg.arg)
            if key != arg.arg:
                self.uses.legacy.append(LegacyUse("fit_kwarg", arg.arg, key, self.origin(arg),
                                                   None, self.verbatim(arg.value)))
            spec.arg_origins[key] = self.origin(arg.value)
            if key == "callbacks":
                items = self.deref(arg.value)
                values[key] = ([self.object_config(self._attribute_value(el), "callback")[0] for el in items.elts]
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
        emitted: list[_Model] = []
        for model in self.models:
            if id(model) in seen or not model.layers:
                continue
            seen.add(id(model))
            facts = ScriptUses()
            if model.fit_labels is not None:
                facts.label_encoding = "onehot"
            out.append(self._spec(model, facts))
            emitted.append(model)
        # Each legacy use goes to the model it is about (its layer, its compile()/fit()
        # call); script-level ones (methods, layers outside any model) to the first.
        layer_owner = {lay.name: i for i, model in enumerate(emitted) for lay in model.layers}
        model_index = {id(model): i for i, model in enumerate(emitted)}
        placed: set[tuple] = set()
        shared = out[0].uses if out else ScriptUses()
        for index, use in enumerate(self.uses.legacy):
            key = (use.kind, use.old, use.origin.line, use.origin.col)
            if key in placed:
                continue
            placed.add(key)
            owner = self._owners.get(index)
            if use.kind.startswith("layer_") and use.target in layer_owner:
                where = layer_owner[use.target]
            else:
                where = model_index.get(id(owner), 0) if owner is not None else 0
            (out[where].uses if out else shared).legacy.append(use)
        shared.callbacks, shared.compiles = self.uses.callbacks, self.uses.compiles
        if not out and (shared.legacy or shared.callbacks):
            out.append(SourceSpec(layers=[], name="<script>", origin=Origin(self.path, 1, 1),
                                  keras_version=self.keras_version, uses=shared))
        return out

    def _spec(self, model: _Model, facts: ScriptUses) -> SourceSpec:
        layers = model.layers
        inputs = model.inputs or tuple(lay.name for lay in layers[:1] if lay.class_name == "InputLayer")
        outputs = model.outputs or ((layers[-1].name,) if layers and model.kind != "subclassed" else ())
        if model.used_as_layer and model.compile is None:
            outputs = ()  # a sub-model (an encoder): its outputs feed another model, not a loss
        compile_spec, skipped = model.compile, []
        if model.model_class is not None:
            compile_spec = _class_compile(model.model_class, compile_spec)
            skipped = list(model.model_class.notes)
        return SourceSpec(
            layers=layers, inputs=inputs, outputs=outputs, kind=model.kind,
            compile=compile_spec, fit=model.fit, keras_version=self.keras_version, skipped=skipped,
            name=model.name, origin=model.origin, sites=model.sites, uses=facts,
            compile_call=model.compile.origin if model.compile else None,
            fit_call=model.fit.origin if model.fit.origin.line is not None else None,
        )


def _class_compile(model_class: ModelClass, spec: CompileSpec | None) -> CompileSpec | None:
    """compile() facts as a model class trains with them: its own compile() hides them all, its own
    train_step()/compute_loss() hides the loss (Opaque, so loss rules skip)."""
    if spec is None or not (model_class.own_compile or model_class.training_method):
        return spec
    if model_class.own_compile:
        hidden = Opaque(f"{model_class.name}.compile(...)")
        return replace(spec, loss=hidden, optimizer=hidden, metrics=hidden)
    return replace(spec, loss=Opaque(f"{model_class.name}.{model_class.training_method}()"))


def _callee_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _loop_items(node: ast.expr, value) -> list[Any] | None:
    """What a ``for`` loop iterates over, when the script shows it: a literal list's
    elements, ``range(N)``'s integers, a literal sequence's values (``(32,) * 8``;
    as constants); None otherwise."""
    if isinstance(node, (ast.List, ast.Tuple)) and not any(isinstance(e, ast.Starred) for e in node.elts):
        return list(node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range" \
            and not node.keywords and 1 <= len(node.args) <= 3:
        bounds = [value(a) for a in node.args]
        if all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
            numbers = range(*bounds)
            if len(numbers) <= MAX_UNROLL:
                return [ast.Constant(n) for n in numbers]
        return None
    if isinstance(node, (ast.BinOp, ast.Name)):
        found = value(node)
        if isinstance(found, (list, tuple)) and is_plain(found) and len(found) <= MAX_UNROLL \
                and all(isinstance(v, (int, float, str, bool)) or v is None for v in found):
            return [ast.Constant(v) for v in found]
    return None


def _names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for el in target.elts for n in _names(el)]
    return []


def _model_output(node: ast.expr) -> ast.expr | None:
    """``encoder`` of ``encoder.output`` / ``encoder.outputs[0]`` (a model's output feeding another), else None."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute) and node.attr in ("output", "outputs"):
        return node.value
    return None


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


def extract_tree(tree: ast.Module, text: SourceText, keras_version: Any = UNKNOWN) -> list[SourceSpec]:
    """Every model in a parsed script, as SourceSpecs (file-level API uses on the first)."""
    extractor = SourceExtractor(text, keras_version)
    extractor.walk(tree)
    # every other Keras 1/2 spelling of the script (outside the models followed, imports, K.* ...)
    extractor.uses.legacy.extend(upgrade.scan(tree, extractor.imports, text, extractor.uses.legacy))
    specs = extractor.specs()
    if any(getattr(spec, "fit_call", None) is not None for spec in specs):
        from . import script_data  # numpy and the data interpreter load only for a script that fits a model

        script_data.attach(tree, text, specs)  # the data facts the script shows at each model's fit()
    return specs


def extract_source(code: str, path: str = "<string>", keras_version: Any = UNKNOWN) -> list[SourceSpec]:
    """Parse ``code`` and extract its models."""
    return extract_tree(parse(code, path), SourceText(code, path), keras_version)
