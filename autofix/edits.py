"""The closed set of edits a fix is made of.

Edits are frozen dataclasses of plain data (layer names, config values, layer
specs) — never code strings — so the graph backend and the source backend
can both apply them.  ``layer`` is a layer's qualified name
(``LayerSpec.qualname``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True)
class NewLayer:
    """A layer to create: Keras class name and (partial) config."""

    class_name: str
    config: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, class_name: str, **config: Any) -> "NewLayer":
        return cls(class_name, tuple(sorted(config.items())))

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.config)


@dataclass(frozen=True)
class SetLayerArg:
    """Set one constructor argument of a layer (``Dense(..., activation='relu')``)."""

    layer: str
    arg: str
    value: Any


@dataclass(frozen=True)
class InsertLayer:
    """Insert a new layer right after (or before) an existing one."""

    anchor: str
    new: NewLayer
    after: bool = True


@dataclass(frozen=True)
class ReplaceLayer:
    """Replace a layer by a new one (weights are not kept)."""

    layer: str
    new: NewLayer


@dataclass(frozen=True)
class RemoveLayer:
    """Remove a single-input layer, reconnecting its consumers to its input."""

    layer: str


@dataclass(frozen=True)
class SetLoss:
    """Replace the compiled loss by a Keras loss name, with optional config."""

    loss: str
    config: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class SetOptimizerArg:
    """Set one argument of the compiled optimizer (``learning_rate``...)."""

    arg: str
    value: Any


@dataclass(frozen=True)
class SetCompileArg:
    """Set one ``compile()`` argument other than loss/optimizer (``metrics``...)."""

    arg: str
    value: Any


@dataclass(frozen=True)
class SetFitArg:
    """Set one ``fit()`` argument (``shuffle``, ``batch_size``...)."""

    arg: str
    value: Any


Edit = Union[
    SetLayerArg, InsertLayer, ReplaceLayer, RemoveLayer, SetLoss, SetOptimizerArg,
    SetCompileArg, SetFitArg,
]
EDIT_TYPES = (
    SetLayerArg, InsertLayer, ReplaceLayer, RemoveLayer, SetLoss, SetOptimizerArg,
    SetCompileArg, SetFitArg,
)


def edit_to_dict(edit: Edit) -> dict[str, Any]:
    """JSON-friendly rendering of an edit (for reports and ``--format json``)."""
    out: dict[str, Any] = {"type": type(edit).__name__}
    for key, value in vars(edit).items():
        if isinstance(value, NewLayer):
            value = {"class_name": value.class_name, "config": value.kwargs}
        elif key == "config":
            value = dict(value)
        out[key] = value
    return out


def touched_layers(edit: Edit) -> set[str]:
    """Layer names an edit modifies (used to keep fixes non-overlapping)."""
    for attr in ("layer", "anchor"):
        if hasattr(edit, attr):
            return {getattr(edit, attr)}
    return {f"<{type(edit).__name__}:{getattr(edit, 'arg', '')}>"}


__all__ = [
    "NewLayer", "SetLayerArg", "InsertLayer", "ReplaceLayer", "RemoveLayer",
    "SetLoss", "SetOptimizerArg", "SetCompileArg", "SetFitArg", "Edit", "EDIT_TYPES",
    "edit_to_dict", "touched_layers", "field",
]
