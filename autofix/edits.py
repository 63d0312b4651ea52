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
    ``"argmax"`` (several units).  ``drop`` names keywords removed from the
    renamed calls (``workers``: Keras 3's fit() has no such argument).  A live
    model has no method calls, so the graph path leaves the model as it is.
    """

    old: str
    new: str
    decode: str | None = None
    drop: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.decode not in DECODINGS:
            raise ValueError(f"decode must be one of {DECODINGS}, got {self.decode!r}")


@dataclass(frozen=True)
class RenameArg:
    """Rename a keyword argument, keeping its value expression (``nb_epoch=E`` -> ``epochs=E``).

    ``call`` says whose argument it is: ``"fit"`` (a ``fit()`` call) or
    ``"optimizer"`` (the optimizer's constructor).  ``at`` is the position of
    the ``old=...`` argument in a script (the source path renames exactly that
    one; without it, the model's own fit() call or optimizer).  On a live model
    the fit() keyword is renamed in the fit settings; the optimizer of a live
    model never carries a Keras 1 name.
    """

    call: str
    old: str
    new: str
    at: Any = None


#: ``UpgradeSource.op`` values (see :mod:`autofix.source.upgrade_edits`).
UPGRADE_OPS = ("rename_arg", "drop_arg", "rename_name", "replace_string", "import_module", "module_ref",
               "drop_import", "merge", "decay", "upgrade_layer", "merge_models", "merge_lambda")


@dataclass(frozen=True)
class UpgradeSource:
    """Script-only: rewrite one Keras 1/2 spelling at ``at`` to Keras 3 (AF501).

    ``op`` says what to change at that source position (a keyword, a name, a
    string, an import, a ``merge()`` call ...), ``old`` is what is written
    there now and ``new`` (with ``value``) what it becomes; every other part
    of the script, and the argument's own expression, is kept as written.
    A live Keras 3 model carries no Keras 1/2 spelling (its config was already
    read by Keras 3), so the graph path has nothing to apply: like
    :class:`RenameMethod` this edit only exists for scripts, and
    ``autofix.live.rebuild`` skips it.
    """

    op: str
    at: Any
    old: str
    new: Any = None
    value: Any = None

    def __post_init__(self) -> None:
        if self.op not in UPGRADE_OPS:
            raise ValueError(f"op must be one of {UPGRADE_OPS}, got {self.op!r}")


#: ``ChangeData.op`` values (see :mod:`autofix.source.data_edits`).
DATA_OPS = ("rescale_targets", "true_division", "shuffle_rows", "iterator_no_shuffle", "match_heldout",
            "undo_split_op", "helper_no_shuffle")


@dataclass(frozen=True)
class ChangeData:
    """Change the training data the script builds (the model then sees other data).

    ``op``: ``"rescale_targets"`` trains on ``(y - low) / (high - low)``, ``value`` being the
    targets' observed ``(low, high)``; ``"true_division"`` rewrites the integer division (or
    integer cast) that made every input constant; ``"shuffle_rows"`` shuffles ``x`` and ``y``
    together right before fit(), ``value`` being the seed; ``"iterator_no_shuffle"`` passes
    ``shuffle=False`` to the ``flow_from_directory`` call on line ``value``; ``"helper_no_shuffle"`` turns
    off, at its one call, the flag parameter of the script's function that switches the reordering on
    line ``value``; ``"match_heldout"`` applies
    the training split's operations to the held-out expression, ``value`` being ``((line, col, end_line,
    end_col), templates, train_line)``; ``"undo_split_op"`` replaces the ``a op b`` expression at
    ``value[0]`` (a position tuple) by its array operand (the left one when ``value[1]``).  ``autofix.fix(model, x, y)`` cannot
    change the caller's arrays: the live backend records the fixes arrays can take (a shuffle,
    rescaled targets) for ``FixResult.prepare(x, y)`` (:mod:`autofix.data_prep`) and skips
    ``true_division`` with a reason (the report keeps it as what to change in the data code).
    """

    op: str
    value: Any = None

    def __post_init__(self) -> None:
        if self.op not in DATA_OPS:
            raise ValueError(f"op must be one of {DATA_OPS}, got {self.op!r}")


Edit = Union[
    SetLayerArg, InsertLayer, ReplaceLayer, RemoveLayer, SetLoss, SetOptimizerArg,
    SetCompileArg, SetFitArg, SetLabelEncoding, SetCallbackArg, RenameMethod, RenameArg, UpgradeSource,
    ChangeData,
]
EDIT_TYPES = (
    SetLayerArg, InsertLayer, ReplaceLayer, RemoveLayer, SetLoss, SetOptimizerArg,
    SetCompileArg, SetFitArg, SetLabelEncoding, SetCallbackArg, RenameMethod, RenameArg, UpgradeSource,
    ChangeData,
)
#: Edits about the script's own text: a live Keras 3 model has no method calls or Keras 1/2
#: spellings, so the live backend applies them as no-ops (the conformance test checks exactly that).
SCRIPT_ONLY = (RenameMethod, UpgradeSource, ChangeData)
#: Edits of the user's data: the live fix loop records those arrays can take (autofix.data_prep), skips the rest.
DATA_EDITS = (ChangeData,)


def edit_to_dict(edit: Edit) -> dict[str, Any]:
    """JSON-friendly rendering of an edit (for reports and ``--format json``)."""
    out: dict[str, Any] = {"type": type(edit).__name__}
    for key, value in vars(edit).items():
        if isinstance(value, NewLayer):
            value = {"class_name": value.class_name, "config": value.kwargs}
        elif key == "config":
            value = dict(value)
        elif key == "at" and value is not None:
            value = value.render() if hasattr(value, "render") else str(value)
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
    if isinstance(edit, UpgradeSource):
        return {f"<upgrade:{edit.op}:{edit.at.line}:{edit.at.col}>"}
    if isinstance(edit, ChangeData):
        return {f"<data:{edit.op}>"}
    if isinstance(edit, RenameArg):
        where = (edit.at.line, edit.at.col) if edit.at is not None else ""
        return {f"<rename:{edit.call}:{edit.old}:{where}>"}
    return {f"<{type(edit).__name__}:{getattr(edit, 'arg', '')}>"}


__all__ = [
    "NewLayer", "SetLayerArg", "InsertLayer", "ReplaceLayer", "RemoveLayer",
    "SetLoss", "SetOptimizerArg", "SetCompileArg", "SetFitArg", "SetLabelEncoding", "SetCallbackArg",
    "RenameMethod", "RenameArg", "UpgradeSource", "UPGRADE_OPS", "ChangeData", "DATA_OPS", "DATA_EDITS",
    "LABEL_ENCODINGS", "DECODINGS", "Edit", "EDIT_TYPES",
    "edit_to_dict", "touched_layers", "field",
]
