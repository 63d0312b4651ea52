"""Resolve qualified names (from libcst's QualifiedNameProvider) to the Keras API.

``keras.*``, ``tf.keras.*``, ``tensorflow.keras.*`` and ``keras.src.*`` are one
API: a name is reduced to its path below the package (``layers.Dense``) and
classified by the submodule it lives in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .legacy import layer_class

_ROOTS = ("tensorflow.python.keras.", "tensorflow.keras.", "tf.keras.", "keras.src.", "keras.")
_SUBMODULE_KIND = {
    "layers": "layer", "optimizers": "optimizer", "losses": "loss", "metrics": "metric",
    "callbacks": "callback",
}


@dataclass(frozen=True)
class ApiName:
    """A Keras API object: ``kind`` (layer, input, model, optimizer, loss,
    loss_fn, metric, callback, to_categorical) and its class/function name."""

    kind: str
    name: str


def keras_path(qualified: str) -> str | None:
    """``'tensorflow.keras.layers.Dense'`` -> ``'layers.Dense'``; None outside Keras."""
    for root in _ROOTS:
        if qualified.startswith(root):
            return qualified[len(root):]
    return None


def classify(path: str) -> ApiName | None:
    parts = path.split(".")
    last = parts[-1]
    if last == "Input":
        return ApiName("input", "InputLayer")
    if last in ("Sequential", "Model") and parts[0] in ("models", last):
        return ApiName("sequential" if last == "Sequential" else "model", last)
    if last == "to_categorical":
        return ApiName("to_categorical", last)
    kind = _SUBMODULE_KIND.get(parts[0]) if len(parts) > 1 else None
    if kind == "layer" and last[:1].isupper():
        return ApiName("layer", layer_class(last))
    if kind == "loss":
        return ApiName("loss" if last[:1].isupper() else "loss_fn", last)
    if kind in ("optimizer", "metric", "callback") and last[:1].isupper():
        return ApiName(kind, last)
    return None


def api_name(qualified: Iterable[str], star_modules: Iterable[str] = (), bare: str | None = None) -> ApiName | None:
    """The Keras object among ``qualified`` names; ``bare`` names fall back to
    ``from keras.<module> import *`` modules."""
    for name in qualified:
        path = keras_path(name)
        if path is not None:
            found = classify(path)
            if found:
                return found
    if bare:
        for module in star_modules:
            found = classify(f"{module}.{bare}" if module else bare)
            if found:
                return found
    return None
