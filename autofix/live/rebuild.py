"""Apply edits to a live model: edit its config, rebuild, copy weights, recompile.

The input model is only read (``get_config``, ``get_compile_config``,
weights), never changed.  Layers keep their names; a layer's weights are
copied when its variables have the same names and shapes as before.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

import keras

from ..edits import (
    Edit, InsertLayer, NewLayer, RemoveLayer, RenameArg, ReplaceLayer, SetCallbackArg, SetCompileArg,
    SetFitArg, SetLabelEncoding, SetLayerArg, SetLoss, SetOptimizerArg, SCRIPT_ONLY,
)
from ..data_prep import applies_to_arrays
from ..errors import UnsupportedModel
from ..model_copies import copy_subclassed, model_kind
from ..keras_vocab import snake_case
from .extract import refs_in


@dataclass
class Rebuilt:
    """A rebuilt model, the fit() settings to train it with, and copy statistics.

    ``label_encoding`` is set when a fix needs the labels in another encoding
    (``"indices"``: pass class indices, e.g. ``y.argmax(-1)``); ``data_edits`` holds the
    data fixes to train it on (:func:`autofix.data_prep.prepare_arrays`).
    """

    model: Any
    fit_kwargs: dict[str, Any] = field(default_factory=dict)
    reinitialised_layers: list[str] = field(default_factory=list)
    label_encoding: str | None = None
    data_edits: list = field(default_factory=list)


# -- config navigation ------------------------------------------------------
def _entry_name(entry: dict[str, Any]) -> str:
    return entry.get("name") or entry.get("config", {}).get("name")


def _locate(config: dict[str, Any], qualname: str) -> tuple[dict[str, Any], int]:
    """(container config, index of the layer entry) for a qualified layer name."""
    *scope, name = qualname.split("/")
    container = config
    for part in scope:
        entries = container.get("layers", [])
        container = next(e for e in entries if _entry_name(e) == part)["config"]
    for index, entry in enumerate(container.get("layers", [])):
        if _entry_name(entry) == name:
            return container, index
    raise KeyError(f"layer '{qualname}' not found in the model config")


def _all_names(config: dict[str, Any]) -> set[str]:
    names = set()
    for entry in config.get("layers", []):
        names.add(_entry_name(entry))
        if "layers" in entry.get("config", {}):
            names |= _all_names(entry["config"])
    return names


def _fresh_name(config: dict[str, Any], class_name: str) -> str:
    taken = _all_names(config)
    base = snake_case(class_name)
    return next(n for n in (f"{base}_af{i}" if i else f"{base}_af" for i in itertools.count()) if n not in taken)


def _tensor(name: str) -> dict[str, Any]:
    return {"class_name": "__keras_tensor__", "config": {"shape": [None], "dtype": "float32",
                                                         "keras_history": [name, 0, 0]}}


def _functional(container: dict[str, Any]) -> bool:
    return "input_layers" in container


def _rename_refs(value: Any, old: str, new: str) -> None:
    """Point every reference to layer ``old`` (inbound nodes, outputs) at ``new``."""
    for history in refs_in(value):
        if history[0] == old:
            history[0] = new
    _rename_endpoints(value, old, new)


def _rename_endpoints(value: Any, old: str, new: str) -> None:
    if isinstance(value, list):
        if len(value) == 3 and value[0] == old and isinstance(value[1], int):
            value[0] = new
            return
        for item in value:
            _rename_endpoints(item, old, new)


# -- layer edits --------------------------------------------------------------
def _new_entry(config: dict[str, Any], new: NewLayer, name: str | None = None) -> dict[str, Any]:
    layer_config = {"name": name or _fresh_name(config, new.class_name), **new.kwargs}
    return {"module": "keras.layers", "class_name": new.class_name, "config": layer_config,
            "registered_name": None}


def _insert(config: dict[str, Any], edit: InsertLayer) -> None:
    container, index = _locate(config, edit.anchor)
    entries = container["layers"]
    entry = _new_entry(config, edit.new)
    name = entry["config"]["name"]
    anchor = entries[index]
    if not _functional(container):
        entries.insert(index + 1 if edit.after else index, entry)
        return
    entry["name"] = name
    anchor_name = _entry_name(anchor)
    if edit.after:
        for other in entries:
            _rename_refs(other.get("inbound_nodes", []), anchor_name, name)
        _rename_endpoints(container["output_layers"], anchor_name, name)
        entry["inbound_nodes"] = [{"args": [_tensor(anchor_name)], "kwargs": {}}]
    else:
        sources = {h[0] for h in refs_in(anchor.get("inbound_nodes", []))}
        if len(sources) != 1:
            raise UnsupportedModel(f"cannot insert before '{anchor_name}': it has {len(sources)} inputs")
        entry["inbound_nodes"] = copy.deepcopy(anchor["inbound_nodes"])
        _rename_refs(anchor["inbound_nodes"], sources.pop(), name)
    entries.insert(index + 1 if edit.after else index, entry)


def _remove(config: dict[str, Any], edit: RemoveLayer) -> None:
    container, index = _locate(config, edit.layer)
    entries = container["layers"]
    removed = entries.pop(index)
    if not _functional(container):
        return
    sources = {h[0] for h in refs_in(removed.get("inbound_nodes", []))}
    if len(sources) != 1:
        raise UnsupportedModel(f"cannot remove '{edit.layer}': it has {len(sources)} inputs")
    source = sources.pop()
    for other in entries:
        _rename_refs(other.get("inbound_nodes", []), _entry_name(removed), source)
    _rename_endpoints(container["output_layers"], _entry_name(removed), source)


def _replace(config: dict[str, Any], edit: ReplaceLayer) -> None:
    container, index = _locate(config, edit.layer)
    old = container["layers"][index]
    fresh = _new_entry(config, edit.new, name=_entry_name(old))
    for key in ("name", "inbound_nodes"):
        if key in old:
            fresh[key] = old[key]
    container["layers"][index] = fresh


def _set_arg(config: dict[str, Any], edit: SetLayerArg) -> None:
    container, index = _locate(config, edit.layer)
    container["layers"][index]["config"][edit.arg] = edit.value


# -- compile edits ---------------------------------------------------------------
def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _set_loss(compile_config: dict[str, Any], edit: SetLoss) -> None:
    if not edit.config:
        compile_config["loss"] = edit.loss
        return
    current = compile_config.get("loss")
    base: dict[str, Any] = {}
    if isinstance(current, dict) and current.get("class_name") == _camel(edit.loss):
        base = dict(current.get("config") or {})
    compile_config["loss"] = {"module": "keras.losses", "class_name": _camel(edit.loss),
                              "config": {**base, **dict(edit.config)}, "registered_name": None}


def _set_optimizer_arg(compile_config: dict[str, Any], edit: SetOptimizerArg) -> None:
    optimizer = compile_config.get("optimizer")
    if isinstance(optimizer, str):
        optimizer = keras.optimizers.serialize(keras.optimizers.get(optimizer))
    optimizer = copy.deepcopy(optimizer)
    optimizer["config"][edit.arg] = edit.value
    compile_config["optimizer"] = optimizer


# -- fit() edits -------------------------------------------------------------------
def _set_callback_arg(callbacks: Any, edit: SetCallbackArg) -> list[Any]:
    """A new callback list in which the addressed callback is a changed copy.

    The caller's callback objects are never mutated (``copy.copy`` then
    ``setattr``); the other callbacks are passed through as they are.
    """
    items = list(callbacks or [])
    matches = [i for i, cb in enumerate(items) if type(cb).__name__ == edit.class_name]
    if edit.index >= len(matches):
        raise UnsupportedModel(f"no {edit.callback} callback in fit_kwargs['callbacks'] to set {edit.arg} on")
    position = matches[edit.index]
    changed = copy.copy(items[position])
    setattr(changed, edit.arg, edit.value)
    items[position] = changed
    return items


# -- weights -----------------------------------------------------------------------
def _leaf_layers(model: Any, scope: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    for layer in model.layers:
        if isinstance(layer, keras.Model) and hasattr(layer, "layers"):
            yield from _leaf_layers(layer, (*scope, layer.name))
        else:
            yield "/".join((*scope, layer.name)), layer


def restarted_variables(edits: Iterable[Edit]) -> dict[str, set[str]]:
    """Variables an edit asks to start afresh: ``kernel`` of a layer whose ``kernel_initializer`` changed."""
    out: dict[str, set[str]] = {}
    for edit in edits:
        if isinstance(edit, SetLayerArg) and edit.arg.endswith("_initializer"):
            out.setdefault(edit.layer, set()).add(edit.arg[: -len("_initializer")])
    return out


def copy_weights(source: Any, target: Any, restart: dict[str, set[str]] | None = None
                 ) -> tuple[list[str], list[str]]:
    """Copy variables by layer qualname and variable name where shapes match.

    ``restart`` names variables not to copy (their initializer was changed:
    copying the old values back would undo the fix).

    Returns (layers whose previous variables were all carried over, layers
    that start from fresh initial values because their shapes changed or
    they are new).  Variables a fix adds (e.g. renorm statistics) start fresh
    without making their layer count as re-initialised.
    """
    old = dict(_leaf_layers(source))
    copied, fresh = [], []
    for qualname, layer in _leaf_layers(target):
        if not layer.weights:
            continue
        before = old.get(qualname)
        new_vars = {v.name: v for v in layer.weights}
        old_vars = list(before.weights) if before is not None else []
        carried = 0
        skip = (restart or {}).get(qualname, set())
        for variable in old_vars:
            match = new_vars.get(variable.name) if variable.name not in skip else None
            if match is not None and tuple(match.shape) == tuple(variable.shape):
                match.assign(variable.value)
                carried += 1
        (copied if old_vars and carried == len(old_vars) else fresh).append(qualname)
    return copied, fresh


def _sequential_from_config(config: dict[str, Any]) -> Any:
    """``Sequential.from_config`` that builds once, not once per added layer."""
    layers = [keras.saving.deserialize_keras_object(entry) for entry in config["layers"]]
    model = keras.Sequential(layers, trainable=config.get("trainable", True), name=config["name"])
    shape = config.get("build_input_shape")
    if not model.built and isinstance(shape, (list, tuple)) and shape:
        model.build(shape)
    return model


def _drop_build_configs(config: dict[str, Any]) -> None:
    """Let layers re-derive their input shapes (an edit may have changed them)."""
    for entry in config.get("layers", []):
        entry.pop("build_config", None)
        if "layers" in entry.get("config", {}):
            _drop_build_configs(entry["config"])


def apply_edits(model: Any, edits: Iterable[Edit], fit_kwargs: dict[str, Any] | None = None) -> Rebuilt:
    """Return a new model with ``edits`` applied; ``model`` is not modified."""
    edits = list(edits)
    kind = model_kind(model)
    if kind == "subclassed":
        return _edit_subclassed(model, edits, fit_kwargs)
    config = copy.deepcopy(model.get_config())
    compile_config = copy.deepcopy(model.get_compile_config()) if model.compiled else None
    fit, label_encoding, data_edits = _apply_outside_graph(edits, compile_config, fit_kwargs, config)
    _drop_build_configs(config)
    try:
        new_model = _sequential_from_config(config) if kind == "sequential" else keras.Model.from_config(config)
    except Exception as exc:
        hint = (" Custom layers must be registered with @keras.saving.register_keras_serializable()."
                if "locate" in str(exc) or "Unknown" in str(exc) else "")
        raise UnsupportedModel(
            f"model '{model.name}' could not be rebuilt from its config ({type(exc).__name__}: {exc}).{hint}"
        ) from exc
    _, fresh = copy_weights(model, new_model, restarted_variables(edits)) if new_model.built else ([], [])
    if compile_config is not None:
        new_model.compile_from_config(compile_config)
    return Rebuilt(new_model, fit, fresh, label_encoding, data_edits)


_LAYER_OPS = {SetLayerArg: _set_arg, InsertLayer: _insert, RemoveLayer: _remove, ReplaceLayer: _replace}


def _apply_outside_graph(edits: list[Edit], compile_config: dict | None, fit_kwargs: dict | None,
                         config: dict | None) -> tuple[dict, Any, list]:
    """Apply ``edits`` to ``config`` (layer edits), ``compile_config`` and a copy of ``fit_kwargs``; returns
    (fit settings, label encoding, data edits). ``config`` None: a layer edit raises UnsupportedModel."""
    fit = dict(fit_kwargs or {})
    label_encoding, data_edits = None, []
    for edit in edits:
        if type(edit) in _LAYER_OPS:
            if config is None:
                raise UnsupportedModel(f"{type(edit).__name__} changes a layer of a subclassed model, whose "
                                       "call() graph autofix cannot rebuild: apply it in the model's code")
            _LAYER_OPS[type(edit)](config, edit)
        elif isinstance(edit, SetFitArg):
            fit[edit.arg] = edit.value
        elif isinstance(edit, SetCallbackArg):
            fit["callbacks"] = _set_callback_arg(fit.get("callbacks"), edit)
        elif isinstance(edit, SetLabelEncoding):
            label_encoding = edit.encoding
        elif applies_to_arrays(edit):
            data_edits.append(edit)
        elif isinstance(edit, SCRIPT_ONLY):
            continue  # method calls and Keras 1/2 spellings live in the user's code, not in the model
        elif isinstance(edit, RenameArg):
            if edit.call == "fit" and edit.old in fit:  # a live optimizer never holds a Keras 1 name
                fit[edit.new] = fit.pop(edit.old)
        elif compile_config is None:
            raise UnsupportedModel(f"{type(edit).__name__} needs a compiled model")
        elif isinstance(edit, SetLoss):
            _set_loss(compile_config, edit)
        elif isinstance(edit, SetOptimizerArg):
            _set_optimizer_arg(compile_config, edit)
        elif isinstance(edit, SetCompileArg):
            compile_config[edit.arg] = edit.value
    return fit, label_encoding, data_edits


def _edit_subclassed(model: Any, edits: list[Edit], fit_kwargs: dict | None) -> Rebuilt:
    """A subclassed model takes compile and fit edits: a new instance of its class (its weights copied when it
    is built), compiled with the edited compile config. Layer edits raise UnsupportedModel."""
    compile_config = copy.deepcopy(model.get_compile_config()) if model.compiled else None
    fit, label_encoding, data_edits = _apply_outside_graph(edits, compile_config, fit_kwargs, None)
    new_model = copy_subclassed(model)
    if compile_config is not None:
        new_model.compile_from_config(compile_config)
    return Rebuilt(new_model, fit, [], label_encoding, data_edits)
