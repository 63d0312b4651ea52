"""The shared model description that every rule reads.

``ModelSpec`` mirrors Keras's own config vocabulary: layers are
``(class_name, config)`` pairs, compile settings are what
``Model.get_compile_config()`` returns, fit settings are ``fit()`` keyword
arguments.  Both extraction paths (live model, training script) produce it, so
rules are pure functions over plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .values import UNKNOWN, is_known


@dataclass(frozen=True)
class Origin:
    """Where a spec node came from: a source range or a graph location.

    A source range is plain data (1-based line and column, end exclusive), never
    a syntax-tree node: the source rewriter finds its node again by position.
    """

    path: str | None = None
    line: int | None = None
    col: int | None = None
    end_line: int | None = None
    end_col: int | None = None
    layer: str | None = None

    def render(self) -> str:
        if self.path is not None and self.line is not None:
            return f"{self.path}:{self.line}:{self.col or 0}"
        if self.layer is not None:
            return f"layer '{self.layer}'"
        return self.path or "model"


@dataclass
class LayerSpec:
    """One layer: its Keras class name and config, plus graph facts.

    ``inbound`` names the layers feeding this one (empty for inputs).
    ``output_shape`` (without batch axis) and ``params`` are ``UNKNOWN`` when the
    extraction path cannot see them.
    """

    name: str
    class_name: str
    config: dict[str, Any]
    inbound: tuple[str, ...] = ()
    origin: Origin = field(default_factory=Origin)
    output_shape: Any = UNKNOWN
    params: Any = UNKNOWN
    scope: tuple[str, ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return self.config.get(key, default)

    @property
    def qualname(self) -> str:
        """Layer name including enclosing nested models (``outer/inner/dense``)."""
        return "/".join((*self.scope, self.name))


@dataclass
class CompileSpec:
    """``get_compile_config()`` facts: loss, optimizer ``{class_name, config}``, metrics."""

    loss: Any = UNKNOWN
    optimizer: Any = UNKNOWN
    metrics: Any = UNKNOWN
    origin: Origin = field(default_factory=Origin)
    loss_origin: Origin | None = None
    optimizer_origin: Origin | None = None
    #: Where each keyword's value is written (a script's ``**settings`` dict included).
    arg_origins: dict[str, Origin] = field(default_factory=dict)


@dataclass
class FitSpec:
    """``fit()`` keyword facts. Values missing from the call keep Keras defaults."""

    epochs: Any = UNKNOWN
    batch_size: Any = UNKNOWN
    shuffle: Any = UNKNOWN
    callbacks: Any = UNKNOWN
    validation: Any = UNKNOWN
    class_weight: Any = UNKNOWN
    steps_per_epoch: Any = UNKNOWN
    origin: Origin = field(default_factory=Origin)
    arg_origins: dict[str, Origin] = field(default_factory=dict)


@dataclass(frozen=True)
class SplitMismatch:
    """A training split preprocessed differently from its held-out sibling (read by AF410).

    ``role`` is ``"x"`` or ``"y"``; ``train_ops``/``heldout_ops`` the elementwise
    operations applied to each part after the split (``("/ 255",)``); ``origin``
    where the first differing operation is written; ``train_text``/``heldout_text``
    the two expressions and ``heldout_line`` where the held-out part is evaluated;
    ``made`` the lines the two parts were made on (train, held-out; ``None`` where not known);
    ``repair`` the templates (``"{} / 100.0"``) that apply the training part's operations
    to the held-out expression at ``repair_at`` (None when they cannot be written there);
    ``undo_at`` the ``a op b`` expression that is the training part's only operation and whether
    the array is its left operand (None when there is no such one expression).
    """

    role: str
    train_ops: tuple[str, ...]
    heldout_ops: tuple[str, ...]
    origin: Origin
    train_text: str = ""
    heldout_text: str = ""
    heldout_line: int | None = None
    made: tuple = (None, None)
    repair: tuple[str, ...] | None = None
    repair_at: Origin | None = None
    undo_at: tuple | None = None


@dataclass
class DataSpec:
    """Facts about the training data: measured on arrays, or read from a script.

    ``label_kind``: ``"binary"`` (0/1 column), ``"integer"`` (class indices),
    ``"onehot"`` (rows summing to 1 over >= 2 columns), ``"multilabel"`` or
    ``"continuous"``.  Measured facts are all known; facts a script shows
    (``origin`` is then ``"script lines a-b"``) leave what it does not show
    ``UNKNOWN``: every field may be ``UNKNOWN`` there, so rules test ``is_known()``.
    """

    n_samples: Any = UNKNOWN
    x_shape: Any = UNKNOWN
    x_min: Any = UNKNOWN
    x_max: Any = UNKNOWN
    x_mean: Any = UNKNOWN
    x_std: Any = UNKNOWN
    label_kind: Any = UNKNOWN
    n_classes: Any = UNKNOWN
    class_counts: Any = UNKNOWN
    label_sorted: Any = UNKNOWN
    y_shape: Any = UNKNOWN
    #: Range of numeric, finite targets (regression heads are checked against it).
    y_min: Any = UNKNOWN
    y_max: Any = UNKNOWN
    #: Where the facts came from: UNKNOWN when measured on arrays, ``"script lines 12-14"``
    #: when read from a script without running it (the replayed statistics are then estimates).
    origin: Any = UNKNOWN
    #: :class:`SplitMismatch` tuple (a script only), else UNKNOWN.
    split_mismatch: Any = UNKNOWN
    #: ``(min, max)`` of fit()'s ``validation_data`` inputs (the live path measures them), else UNKNOWN.
    validation_x: Any = UNKNOWN
    #: ``(min, max)`` of the held-out targets when both sides' targets are continuous (live path), else UNKNOWN.
    validation_y: Any = UNKNOWN
    #: Mean and standard deviation of numeric, finite targets (regression targets are checked against 1).
    y_mean: Any = UNKNOWN
    y_std: Any = UNKNOWN
    #: Smallest and largest row sum of 2-D targets with >= 2 columns (one-hot rows sum to 1).
    y_row_sum_min: Any = UNKNOWN
    y_row_sum_max: Any = UNKNOWN
    #: Input positions (features of one row) that take a single value over the sampled rows.
    x_constant_features: Any = UNKNOWN
    #: ``[class, rows]`` runs of the labels in row order, only when ``label_sorted``.
    label_runs: Any = UNKNOWN
    #: ``(line, role, call)`` of a random reordering (by ``call``) of the rows of fit()'s ``x`` or ``y``
    #: (``role``) that the other did not get, ``"both"`` for two different ones (a script only), else UNKNOWN.
    shuffled_apart: Any = UNKNOWN


@dataclass
class ModelSpec:
    """A model as plain data: ordered layers, compile, fit and data facts."""

    layers: list[LayerSpec]
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    kind: str = "sequential"
    compile: CompileSpec | None = None
    fit: FitSpec = field(default_factory=FitSpec)
    data: DataSpec | None = None
    keras_version: Any = UNKNOWN
    name: str = "model"
    origin: Origin = field(default_factory=Origin)
    skipped: list[str] = field(default_factory=list)
    #: Nested models: container qualname -> qualnames of its own output layers.
    containers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Facts from a short training probe (:class:`autofix.training.probe.ProbeFacts`), or None
    #: when no probe was run (``diagnose(..., probe=True)`` runs one on the live path).
    probe: Any = None
    #: What a training script uses beside its layers (:class:`autofix.source.sites.ScriptUses`:
    #: Keras 1/2 names, callbacks, label encoding); None off the source path.
    uses: Any = None

    # -- graph queries -------------------------------------------------
    def layer(self, qualname: str) -> LayerSpec:
        for layer in self.layers:
            if layer.qualname == qualname:
                return layer
        raise KeyError(qualname)

    def _key(self, layer: LayerSpec, name: str) -> str:
        return "/".join((*layer.scope, name))

    def _graph(self) -> tuple[dict[str, LayerSpec], dict[str, list[LayerSpec]]]:
        """(qualname -> layer, qualname -> consumers), cached per layer count."""
        cached = self.__dict__.get("_graph_cache")
        if cached is None or cached[0] != len(self.layers):
            index = {lay.qualname: lay for lay in self.layers}
            consumers: dict[str, list[LayerSpec]] = {name: [] for name in index}
            for lay in self.layers:
                for source in lay.inbound:
                    consumers.setdefault(self._key(lay, source), []).append(lay)
            cached = (len(self.layers), index, consumers)
            self.__dict__["_graph_cache"] = cached
        return cached[1], cached[2]

    def predecessors(self, layer: LayerSpec) -> list[LayerSpec]:
        index, _ = self._graph()
        return [index[k] for k in (self._key(layer, n) for n in layer.inbound) if k in index]

    def successors(self, layer: LayerSpec) -> list[LayerSpec]:
        return list(self._graph()[1].get(layer.qualname, []))

    def output_layers(self) -> list[LayerSpec]:
        """The model's output layers, looking inside nested models."""
        index = self._graph()[0]
        names = list(self.outputs)
        for _ in range(8):
            if not any(n in self.containers for n in names):
                break
            names = [m for n in names for m in self.containers.get(n, (n,))]
        return [index[n] for n in names if n in index]

    def total_params(self) -> Any:
        counts = [lay.params for lay in self.layers]
        if not counts or not all(is_known(c) for c in counts):
            return UNKNOWN
        return sum(counts)
