"""The ``Strategy`` base class, the symptom vocabulary, and spec helpers strategies share.

A strategy is a repair that no rule names: verification's search
(:mod:`autofix.verify.search`) tries it when the model shows a symptom (it
does not learn, predicts one class, its loss diverges...) that the rules'
fixes did not cure.  Like a rule, a strategy is a class with a stable
``code`` (``AS101``) and ``name``, a docstring with the sections *What it
does / When it helps / Edits*, and it proposes plain :mod:`autofix.edits`
so both backends (live model, training script) can apply the winner.

Strategies never train anything: :meth:`Strategy.edits` reads the spec only.
"""

from __future__ import annotations

from typing import Any, ClassVar, Iterable

from ..edits import Edit, SetOptimizerArg
from ..findings import Applicability, Finding, Fix, Severity
from ..keras_vocab import SATURATING, WEIGHTED_WITH_ACTIVATION, layer_activation, units_of
from ..rules._init import is_hidden as reaches_weighted
from ..spec import LayerSpec, ModelSpec, Origin
from ..values import is_known

#: Symptoms the search reads from the training probe and the original arm, with what each means.
SYMPTOMS: dict[str, str] = {
    "no-learning": "held-out score at chance level (accuracy within the noise of the majority share, "
                   "or an MSE no better than predicting the mean)",
    "one-class": "one class predicted for (nearly) every row while the labels are mixed",
    "diverging": "the training loss grows or becomes NaN",
    "flat-loss": "the training loss barely moves (under 1%)",
    "dead-units": "more than half the units of a ReLU layer never fire",
    "vanishing-gradients": "kernel gradients tiny, or 100x smaller in some layers than in others",
    "exploding-gradients": "kernel gradients huge (norm above 100) or not finite",
    "train-inference-gap": "training-mode accuracy far above inference-mode accuracy on the same rows",
    "still-falling": "the loss still falls steeply at the end of the arm while the score is at chance",
}
#: Symptoms of the original arm that trigger the search (the others only rank strategies).
TRIGGERS = frozenset({"no-learning", "one-class", "diverging"})

#: Keras's default learning rate per optimizer (lower-case class name).
DEFAULT_RATES = {"adam": 1e-3, "adamw": 1e-3, "nadam": 1e-3, "adamax": 1e-3, "rmsprop": 1e-3,
                 "lion": 1e-4, "sgd": 1e-2, "adagrad": 1e-3, "adadelta": 1e-3, "ftrl": 1e-3}
#: Activations of the ReLU family (He initialisation suits them).
RELU_FAMILY = frozenset({"relu", "leaky_relu", "elu", "selu", "gelu", "silu", "swish", "relu6", "prelu",
                         "mish", "celu"})
#: Layers that already normalise their input.
SCALERS = frozenset({"Normalization", "Rescaling", "BatchNormalization", "LayerNormalization",
                     "GroupNormalization", "UnitNormalization"})
#: Where a search finding points (strategies have no source position of their own).
SEARCH_ORIGIN = Origin(path="search")


class Strategy:
    """Base class of all repair strategies.  Subclasses implement :meth:`edits`."""

    code: ClassVar[str]
    name: ClassVar[str]
    #: One-line description of the change, used in reports.
    title: ClassVar[str] = ""

    def applies(self, spec: ModelSpec, symptoms: Iterable[str]) -> bool:
        """Whether the strategy addresses one of ``symptoms`` (per the priors) and changes ``spec``."""
        from .priors import prior

        return prior(self.code, symptoms) > 0 and bool(self.edits(spec))

    def edits(self, spec: ModelSpec) -> list[Edit]:  # pragma: no cover - abstract
        """The edits of this strategy on ``spec`` (empty when it does not apply)."""
        raise NotImplementedError

    def fix(self, spec: ModelSpec) -> Fix:
        return Fix(f"{self.title} (searched by verification)", tuple(self.edits(spec)), Applicability.UNSAFE)

    def finding(self, symptoms: Iterable[str]) -> Finding:
        """A finding that credits this strategy in reports (``FixResult.applied``)."""
        found = ", ".join(sorted(symptoms)) or "a symptom"
        return Finding(self.code, self.name, f"verification search: {self.title} cured {found} that no "
                       "rule's fix cured", Severity.INFO, SEARCH_ORIGIN)

    @classmethod
    def doc(cls) -> str:
        return (cls.__doc__ or "").strip()


# -- spec helpers -----------------------------------------------------------------
def weighted_layers(spec: ModelSpec) -> list[LayerSpec]:
    """Dense/Conv layers at the top level of the model (not inside nested models)."""
    return [layer for layer in spec.layers if layer.class_name in WEIGHTED_WITH_ACTIVATION and not layer.scope]


def is_hidden(spec: ModelSpec, layer: LayerSpec) -> bool:
    """Whether another weighted layer (one with an activation) follows ``layer`` (it is not an output layer)."""
    return reaches_weighted(spec, layer, WEIGHTED_WITH_ACTIVATION)


def hidden_layers(spec: ModelSpec) -> list[LayerSpec]:
    return [layer for layer in weighted_layers(spec) if is_hidden(spec, layer)]


def next_activation(spec: ModelSpec, layer: LayerSpec) -> tuple[Any, LayerSpec | None]:
    """The activation applied after a weighted layer: its own, or a following ``Activation`` layer's
    when its own is linear (with that layer)."""
    act = layer_activation(layer)
    if act != "linear":
        return act, None
    nxt = spec.successors(layer)
    if len(nxt) == 1 and layer_activation(nxt[0]) is not None and nxt[0].class_name not in WEIGHTED_WITH_ACTIVATION:
        return layer_activation(nxt[0]), nxt[0]
    return act, None


def body_layers(spec: ModelSpec) -> list[LayerSpec]:
    return [layer for layer in spec.layers if layer.class_name != "InputLayer" and not layer.scope]


def optimizer_name(spec: ModelSpec) -> str | None:
    optimizer = spec.compile.optimizer if spec.compile is not None else None
    if isinstance(optimizer, str):
        return optimizer.lower()
    if isinstance(optimizer, dict) and isinstance(optimizer.get("class_name"), str):
        return optimizer["class_name"].lower()
    return None


def optimizer_config(spec: ModelSpec) -> dict[str, Any]:
    optimizer = spec.compile.optimizer if spec.compile is not None else None
    config = optimizer.get("config") if isinstance(optimizer, dict) else None
    return config if isinstance(config, dict) else {}


def proposed_rate(finding: Finding) -> tuple[Fix, float] | None:
    """A learning-rate finding's fix that sets the rate, and that rate (a positive number); None when its
    fixes propose none (AF302's display-only in-range rate: verification tries it)."""
    for fix in finding.fixes:
        for edit in fix.edits:
            if isinstance(edit, SetOptimizerArg) and edit.arg == "learning_rate":
                value = edit.value
                ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
                return (fix, float(value)) if ok else None
    return None


def learning_rate(spec: ModelSpec) -> float | None:
    """The optimizer's (constant) learning rate, from the compile config or the probe."""
    if spec.compile is None:
        return None
    value = optimizer_config(spec).get("learning_rate")
    if value is None and optimizer_name(spec) in DEFAULT_RATES and not optimizer_config(spec):
        value = DEFAULT_RATES[optimizer_name(spec)]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    rate = getattr(spec.probe, "learning_rate", None)
    return float(rate) if isinstance(rate, (int, float)) and rate > 0 and not isinstance(value, dict) else None


def saturating(act: Any) -> bool:
    return is_known(act) and isinstance(act, str) and act in SATURATING


def width(layer: LayerSpec) -> Any:
    return units_of(layer)


__all__ = ["Strategy", "SYMPTOMS", "TRIGGERS", "DEFAULT_RATES", "RELU_FAMILY", "SCALERS", "weighted_layers",
           "hidden_layers", "is_hidden", "next_activation", "body_layers", "optimizer_name", "optimizer_config",
           "learning_rate", "saturating", "width"]
