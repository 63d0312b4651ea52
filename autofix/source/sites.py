"""What the source path knows beyond a ModelSpec: layer sites and the script's API uses.

``SourceSpec`` is a :class:`~autofix.spec.ModelSpec` with two extra fields:
``sites`` (where each layer sits in the script, so the rewriter can insert or
remove it) and ``uses`` (legacy spellings, callbacks, label encodings that
only a script shows; read by the AF5xx rules).

Everything here is plain data: sites and calls are source *positions*
(:class:`~autofix.spec.Origin`), never syntax-tree nodes, so checking a script
needs only stdlib ``ast``; the rewriter finds the libcst node for an edit
again by position (``autofix.source._plan.node_at``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..spec import CompileSpec, ModelSpec, Origin
from ..values import UNKNOWN


@dataclass
class Site:
    """Where a layer constructor sits, as source positions.

    ``kind``: ``list`` (an element of ``Sequential([...])``), ``add`` (the
    argument of a ``model.add(...)`` statement), ``functional`` (``y = L(...)(x)``
    statement) or ``inline`` (anything else: edits in place only).
    ``stmt`` is the enclosing simple statement, ``container`` the list literal
    and ``element`` the list element's expression, ``apply`` the ``L(...)(x)``
    call; ``target`` the name a functional layer's output is assigned to.
    ``entries``: for an argument read from a dict entry (``Dense(cfg["units"])``
    with ``cfg = {"units": 1}``), where the dict writes its literal, so a fix
    changes it there (only entries no other code reads).
    """

    kind: str
    stmt: Origin | None = None
    container: Origin | None = None
    element: Origin | None = None
    apply: Origin | None = None
    target: str | None = None
    entries: dict[str, Origin] = field(default_factory=dict)


@dataclass(frozen=True)
class LegacyUse:
    """A Keras 1/2 spelling: ``kind`` is layer_kwarg, layer_class, optimizer_kwarg,
    fit_kwarg or method; ``target`` the layer qualname (layer kinds) or ``None``."""

    kind: str
    old: str
    new: str
    origin: Origin
    target: str | None = None
    value: Any = None


@dataclass(frozen=True)
class CallbackUse:
    """A callback constructed in the script, with its literal config."""

    class_name: str
    config: dict
    origin: Origin


@dataclass
class ScriptUses:
    """What a script uses beside its layers: Keras 1/2 names, callbacks, how fit()'s labels are encoded."""

    legacy: list[LegacyUse] = field(default_factory=list)
    callbacks: list[CallbackUse] = field(default_factory=list)
    #: ``compile()`` calls on models the script does not build (from a library's builder).
    compiles: list[CompileSpec] = field(default_factory=list)
    #: ``"onehot"`` when fit()'s labels come from ``to_categorical`` (else UNKNOWN).
    label_encoding: Any = UNKNOWN


@dataclass
class SourceSpec(ModelSpec):
    """A ModelSpec extracted from a script, with layer sites and the script's API uses."""

    sites: dict[str, Site] = field(default_factory=dict)
    uses: ScriptUses = field(default_factory=ScriptUses)
    #: Positions of the model's ``compile(...)`` and ``fit(...)`` calls.
    compile_call: Origin | None = None
    fit_call: Origin | None = None
