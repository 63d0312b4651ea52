"""Live ``keras.Model`` -> :class:`~autofix.spec.ModelSpec`.

Reads only public Keras 3 API (``get_config``, ``get_compile_config``,
``count_params``, symbolic output shapes), so it works on every backend.
"""

from __future__ import annotations

from typing import Any, Iterator

import keras

from ..errors import UnsupportedModel
from ..model_copies import model_kind
from ..spec import CompileSpec, LayerSpec, ModelSpec, Origin
from ..values import UNKNOWN
from ..data import data_facts, fit_facts

CONTAINERS = frozenset({"Sequential", "Functional", "Model"})


def refs_in(value: Any) -> Iterator[list]:
    """Every ``keras_history`` reference inside a functional ``inbound_nodes`` value."""
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            yield value["config"]["keras_history"]
            return
        for item in value.values():
            yield from refs_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from refs_in(item)


def _endpoints(value: Any) -> tuple[str, ...]:
    """Layer names of a functional config's ``input_layers``/``output_layers``."""
    if isinstance(value, (list, tuple)) and len(value) == 3 and isinstance(value[0], str):
        return (value[0],)
    if isinstance(value, (list, tuple)):
        return tuple(n for item in value for n in _endpoints(item))
    if isinstance(value, dict):
        return tuple(n for item in value.values() for n in _endpoints(item))
    return ()


def _shape(layer: Any) -> Any:
    try:
        shape = layer.output.shape
    except Exception:
        return UNKNOWN
    if shape is None:
        return UNKNOWN
    return tuple(shape[1:])


def _params(layer: Any) -> Any:
    try:
        return int(layer.count_params()) if layer.built else UNKNOWN
    except Exception:
        return UNKNOWN


def _round_floats(config: dict[str, Any]) -> dict[str, Any]:
    """float32 round-trips (0.009999999776) back to the literal the user wrote."""
    return {k: float(f"{v:.7g}") if isinstance(v, float) else v for k, v in config.items()}


def _walk(
    model: Any, config: dict[str, Any], scope: tuple[str, ...], out: ModelSpec, sequential: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Append the layers of one (possibly nested) model; return its input and output names."""
    live = {layer.name: layer for layer in getattr(model, "layers", [])}
    entries = config.get("layers", [])
    names: list[str] = []
    previous: str | None = None
    for entry in entries:
        cfg = entry.get("config", {})
        name = entry.get("name") or cfg.get("name")
        if sequential:
            inbound = (previous,) if previous else ()
        else:
            inbound = tuple(dict.fromkeys(ref[0] for ref in refs_in(entry.get("inbound_nodes", []))))
        layer_obj = live.get(name)
        spec = LayerSpec(
            name=name,
            class_name=entry.get("class_name", "?"),
            config=cfg,
            inbound=inbound,
            origin=Origin(layer="/".join((*scope, name))),
            output_shape=_shape(layer_obj) if layer_obj is not None else UNKNOWN,
            params=_params(layer_obj) if layer_obj is not None else 0,
            scope=scope,
        )
        out.layers.append(spec)
        if spec.class_name in CONTAINERS and "layers" in cfg and layer_obj is not None:
            _, inner_out = _walk(layer_obj, cfg, (*scope, name), out, spec.class_name == "Sequential")
            out.containers[spec.qualname] = tuple("/".join((*scope, name, n)) for n in inner_out)
        names.append(name)
        previous = name
    if sequential:
        return tuple(names[:1]), tuple(names[-1:])
    return _endpoints(config.get("input_layers")), _endpoints(config.get("output_layers"))


def compile_facts(model: Any) -> CompileSpec | None:
    """CompileSpec from ``get_compile_config()``; None when the model is not compiled."""
    try:
        config = model.get_compile_config()
    except Exception:
        config = None
    if not config:
        return None
    optimizer = config.get("optimizer")
    if isinstance(optimizer, dict):
        optimizer = {**optimizer, "config": _round_floats(optimizer.get("config") or {})}
    return CompileSpec(loss=config.get("loss"), optimizer=optimizer, metrics=config.get("metrics") or [],
                       origin=Origin(path="compile()"))


def extract(model: Any, x: Any = None, y: Any = None, fit_kwargs: dict[str, Any] | None = None) -> ModelSpec:
    """Describe a live model (plus optional data and fit settings) as a ModelSpec."""
    kind = model_kind(model)
    spec = ModelSpec(layers=[], kind=kind, name=model.name, keras_version=keras.__version__,
                     origin=Origin(path=f"model '{model.name}'"))
    if kind == "subclassed":
        _visible_layers(model, spec)
    else:
        try:
            config = model.get_config()
        except Exception as exc:
            raise UnsupportedModel(
                f"model '{model.name}' cannot be described: get_config() failed "
                f"({type(exc).__name__}: {exc}). Layers without get_config() are not supported."
            ) from exc
        spec.inputs, spec.outputs = _walk(model, config, (), spec, kind == "sequential")
    spec.compile = compile_facts(model)
    spec.data = data_facts(x, y)
    spec.fit = fit_facts(fit_kwargs, have_data=spec.data is not None)
    spec.fit.origin = Origin(path="fit()")
    if x is not None and spec.data is None:
        spec.skipped.append("training data is not an array (dataset/generator): data rules need numpy arrays")
    return spec


def _visible_layers(model: Any, spec: ModelSpec) -> None:
    """Subclassed model: list its tracked layers, without graph edges."""
    spec.skipped.append(
        f"model '{model.name}' is a subclassed {type(model).__name__}: its call() graph is Python "
        "code, so only per-layer and compile facts are checked, and fixes can change only its compile and fit "
        "settings (a new instance of its class, its weights copied)"
    )
    for layer in model.layers:
        try:
            config = layer.get_config()
        except Exception:
            config = {}
        spec.layers.append(LayerSpec(name=layer.name, class_name=type(layer).__name__, config=config,
                                     origin=Origin(layer=layer.name), params=_params(layer)))
