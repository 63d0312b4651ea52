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


#: ``SetLabelEncoding.encoding`` values.
LABEL_ENCODINGS = ("indices", "onehot")


@dataclass(frozen=True)
class SetLabelEncoding:
    """Train with labels in another encoding: ``"indices"`` (class indices, 0/1
    for a binary head) or ``"onehot"`` (``to_categorical`` rows).

    The graph path cannot change the caller's arrays: it reports the encoding
    on the result.  The source path rewrites the ``to_categorical(...)`` calls
    whose result fit() trains on.
    """

    encoding: str

    def __post_init__(self) -> None:
        if self.encoding not in LABEL_ENCODINGS:
            raise ValueError(f"encoding must be one of {LABEL_ENCODINGS}, got {self.encoding!r}")


@dataclass(frozen=True)
class SetCallbackArg:
    """Set one constructor argument of a callback passed to ``fit(callbacks=[...])``.

    ``callback`` is the callback's class name (the first one of that class) or
    ``"ClassName[i]"`` for the i-th (0-based) of that class in the list.
    """

    callback: str
    arg: str
    value: Any

    @property
    def class_name(self) -> str:
        return self.callback.split("[", 1)[0]

    @property
    def index(self) -> int:
        _, _, rest = self.callback.partition("[")
        return int(rest.rstrip("]")) if rest else 0


#: ``RenameMethod.decode`` values: how ``predict``'s probabilities become classes.
DECODINGS = (None, "threshold", "argmax")


@dataclass(frozen=True)
class RenameMethod:
    """Rename a model method call in a script (``fit_generator`` -> ``fit``).

    ``decode`` turns the renamed call's result into class indices, as Keras 2's
    ``predict_classes`` did: ``"threshold"`` (``> 0.5``, one output unit) or
    ``"argmax"`` (several units).  A live model has no method calls, so the
    graph path leaves the model as it is.
    """

    old: str
    new: str
    decode: str | None = None

    def __post_init__(self) -> None:
        if self.decode not in DECODINGS:
            raise ValueError(f"decode must be one of {DECODINGS}, got {self.decode!r}")


Edit = Union[
    SetLayerArg, InsertLayer, ReplaceLayer, RemoveLayer, SetLoss, SetOptimizerArg,
    SetCompileArg, SetFitArg, SetLabelEncoding, SetCallbackArg, RenameMethod,
]
EDIT_TYPES = (
    SetLayerArg, InsertLayer, ReplaceLayer, RemoveLayer, SetLoss, SetOptimizerArg,
    SetCompileArg, SetFitArg, SetLabelEncoding, SetCallbackArg, RenameMethod,
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
    if isinstance(edit, SetLabelEncoding):
        return {"<labels>"}
    if isinstance(edit, SetCallbackArg):
        return {f"<callback:{edit.class_name}[{edit.index}].{edit.arg}>"}
    if isinstance(edit, RenameMethod):
        return {f"<method:{edit.old}>"}
    return {f"<{type(edit).__name__}:{getattr(edit, 'arg', '')}>"}


__all__ = [
    "NewLayer", "SetLayerArg", "InsertLayer", "ReplaceLayer", "RemoveLayer",
    "SetLoss", "SetOptimizerArg", "SetCompileArg", "SetFitArg", "SetLabelEncoding", "SetCallbackArg",
    "RenameMethod", "LABEL_ENCODINGS", "DECODINGS", "Edit", "EDIT_TYPES",
    "edit_to_dict", "touched_layers", "field",
]
