"""Resolve names in a script to the Keras API.

An :class:`ImportTable` (built from the script's ``import``/``from ... import``
statements) turns ``layers.Dense`` into ``keras.layers.Dense``; then
``keras.*``, ``tf.keras.*``, ``tensorflow.keras.*`` and ``keras.src.*`` are one
API: a name is reduced to its path below the package (``layers.Dense``) and
classified by the submodule it lives in.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Iterable

from .legacy import LEGACY_CLASSES, layer_class
from .signatures import POSITIONAL

_ROOTS = ("tensorflow.python.keras.", "tensorflow.keras.", "tf.keras.", "keras.src.", "keras.")
_SUBMODULE_KIND = {
    "layers": "layer", "optimizers": "optimizer", "losses": "loss", "metrics": "metric",
    "callbacks": "callback",
}
#: What the usual import lines bind, for a pasted snippet that has none of them.
_IMPLICIT_HEADS = {"keras": "keras", "tf": "tensorflow", "tensorflow": "tensorflow",
                   **{name: f"keras.{name}" for name in (*_SUBMODULE_KIND, "models", "utils")}}
#: Bare names a snippet may use unimported, and the module each is usually imported from.
_IMPLICIT_BARE = {
    **{name: "layers" for name in (*POSITIONAL, *LEGACY_CLASSES, "Flatten", "Add", "GlobalAveragePooling1D",
                                   "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D")},
    "Sequential": "models", "Model": "models", "Input": "layers", "to_categorical": "utils",
    **{name: "optimizers" for name in ("Adam", "AdamW", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam")},
    **{name: "callbacks" for name in ("EarlyStopping", "ModelCheckpoint", "ReduceLROnPlateau")},
}
#: A Keras model in a snippet that imports nothing: ``Sequential(``, ``keras.``, ``model.add(Dense(``.
_SNIPPET = re.compile(r"\bkeras\.|\b(?:Sequential|Dense|Conv[123]D|LSTM)\s*\(")


@dataclass(frozen=True)
class ApiName:
    """A Keras API object: ``kind`` (layer, input, model, optimizer, loss,
    loss_fn, metric, callback, to_categorical) and its class/function name."""

    kind: str
    name: str


@dataclass
class ImportTable:
    """What each imported name stands for (``tf`` -> ``tensorflow``,
    ``Dense`` -> ``keras.layers.Dense``), plus ``from keras.<module> import *``
    modules.  One table per script: imports inside functions count too."""

    aliases: dict[str, str] = field(default_factory=dict)
    star_modules: list[str] = field(default_factory=list)
    #: A script with no Keras/TensorFlow import (a pasted snippet): unimported Keras names are read
    #: as the usual import lines would bind them (``layers.Dense``, ``Sequential``, ``Adam``).
    implicit: bool = False
    _found: dict[str | None, ApiName | None] = field(default_factory=dict, repr=False)

    def add(self, node: ast.Import | ast.ImportFrom) -> None:
        """Record the names an import statement binds."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:  # ``import a.b`` binds ``a``
                    head = alias.name.split(".", 1)[0]
                    self.aliases[head] = head
            return
        if node.level or node.module is None:
            return
        for alias in node.names:
            if alias.name == "*":
                module = keras_path(node.module + ".")
                if module is not None:
                    self.star_modules.append(module.rstrip("."))
            else:
                self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def qualify(self, node: ast.expr) -> str | None:
        """``layers.Dense`` -> ``keras.layers.Dense`` when ``layers`` was imported."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        head = self.aliases.get(node.id)
        if head is None:
            return None
        return ".".join([head, *reversed(parts)])

    def resolve(self, node: ast.expr) -> str | None:
        """:meth:`qualify`, and in a pasted snippet with no imports the Keras name it reads as."""
        qualified = self.qualify(node)
        return self._implicit(node) if qualified is None and self.implicit else qualified

    def api(self, node: ast.expr) -> ApiName | None:
        """The Keras object ``node`` (a name or attribute chain) refers to."""
        qualified = self.resolve(node)
        if qualified is None:
            bare = node.id if isinstance(node, ast.Name) else None
            return api_name((), self.star_modules, bare) if self.star_modules and bare else None
        if qualified not in self._found:
            self._found[qualified] = api_name((qualified,))
        return self._found[qualified]


    def _implicit(self, node: ast.expr) -> str | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id in self.aliases:
            return None
        if parts:
            head = _IMPLICIT_HEADS.get(node.id)
            return ".".join([head, *reversed(parts)]) if head else None
        module = _IMPLICIT_BARE.get(node.id)
        return f"keras.{module}.{node.id}" if module else None


def imports_keras(tree: ast.Module) -> bool:
    """Whether a module imports Keras or TensorFlow anywhere (else it is a pasted snippet)."""
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        if any(keras_path(f"{name}.") is not None or name.split(".")[0] in ("keras", "tensorflow", "tf_keras")
               for name in names):
            return True
    return False


def snippet_uses_keras(code: str) -> bool:
    """Cheap pre-filter for a script that uses Keras names without importing them."""
    return _SNIPPET.search(code) is not None


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
