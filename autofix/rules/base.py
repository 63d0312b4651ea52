"""The ``Rule`` base class and the ``Example`` that doubles as its test.

A rule is a class with a stable ``code`` and ``name``, a docstring with the
sections *What it does / Why is this bad? / Example / Fix safety / Keras
versions / References*, and ``VALID``/``INVALID`` examples.  Examples are small
Keras scripts: the test suite runs them through the live-model path (executing
them with ``fit`` recorded, not run) and through the source path (parsing them),
and checks detection and the rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Iterable, Iterator

from ..findings import Applicability, Finding, Fix, Severity, Skip
from ..spec import LayerSpec, ModelSpec, Origin
from ..values import is_known


@dataclass(frozen=True)
class Example:
    """A Keras script snippet that doubles as a test of its rule (Fixit-style).

    Snippets may use ``keras``, ``layers`` (``keras.layers``) and ``np``
    (:data:`autofix.testing.PRELUDE`), and must bind the model to ``model``.
    ``model.fit(...)`` calls are recorded, not run.

    An INVALID example states what the finding must say and where:
    ``message`` is a fragment of the expected message and ``line`` the
    1-based line of the finding on the source path, counted from the
    snippet's first code line (a leading newline is not a line).
    ``fixed`` is the snippet after the rule's fix on the paths that can fix it;
    a rule that yields an applicable fix for an example without ``fixed`` fails
    the generated tests.  ``graph_only``/``source_only`` restrict an example to
    one path (e.g. when only training data reveals the fault); ``fixed_source``
    overrides ``fixed`` on the source path when the two paths write different
    text (a script edit the live model has no counterpart for).
    """

    code: str
    fixed: str | None = None
    graph_only: bool = False
    source_only: bool = False
    message: str | None = None
    line: int | None = None
    fixed_source: str | None = None

    def fixed_for(self, path: str) -> str | None:
        """The expected fixed text on ``path`` (``"source"`` or ``"graph"``)."""
        if path == "source" and self.fixed_source is not None:
            return self.fixed_source
        return self.fixed


#: Fact names a rule can require; the engine skips the rule with a reason when
#: the spec cannot provide one.
FACTS = {
    "compile": "the model is not compiled (no loss/optimizer to check)",
    "data": "no training data was given (pass x and y)",
    "params": "parameter counts are not visible on this path",
    "fit": "no fit() settings are visible (pass fit_kwargs)",
    "probe": "no training probe was run (pass x, y and probe=True)",
    "script": "only a training script shows this (run autofix-src on the script)",
}


def missing_fact(spec: ModelSpec, fact: str) -> bool:
    if fact == "compile":
        return spec.compile is None
    if fact == "data":
        return spec.data is None
    if fact == "params":
        return not is_known(spec.total_params())
    if fact == "probe":
        return spec.probe is None
    if fact == "script":
        return spec.uses is None
    if fact == "fit":
        return all(not is_known(v) for v in (spec.fit.batch_size, spec.fit.shuffle, spec.fit.epochs))
    raise ValueError(f"unknown fact {fact!r}")


class Rule:
    """Base class of all rules. Subclasses implement :meth:`check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    applicability: ClassVar[Applicability] = Applicability.SAFE
    requires: ClassVar[tuple[str, ...]] = ()
    #: PEP 440 specifier of Keras versions where the fix is available, if limited.
    keras_versions: ClassVar[str | None] = None
    #: What verification must show for this rule's fix: ``"improve"`` (the repaired
    #: model scores better than the original by more than the noise) or
    #: ``"no_worse"`` (a fix that corrects reporting or spelling, not learning, or
    #: one whose fault is shown without training -- a constant output, a loss that is
    #: identically 0, units kept identical by their initialisation, a schedule the
    #: capped run cannot reach: the repaired model is not worse by more than the
    #: noise, and the symptom is gone).
    verify_goal: ClassVar[str] = "improve"
    #: Verification: the symptom this rule's fix is one competing cure of (for
    #: example ``"train-inference-gap"``).  When two or more cures of one symptom
    #: are in the default fix set, verification also tries each alone.
    cure_of: ClassVar[str | None] = None
    #: Rank of this cure among the cures of its symptom (lower is tried first),
    #: from prior measurements (say which in the rule's docstring).
    cure_prior: ClassVar[int] = 0
    #: Verification: this rule's (display-only) fix is a learning rate to search
    #: around (x0.1 and x0.01, or x10 and x100 when the rate is too low).
    searches_learning_rate: ClassVar[bool] = False
    VALID: ClassVar[list[Example]] = []
    INVALID: ClassVar[list[Example]] = []

    def run(self, spec: ModelSpec) -> list[Finding | Skip]:
        """Check ``spec``; return findings, or one ``Skip`` per missing fact."""
        missing = [FACTS[f] for f in self.requires if missing_fact(spec, f)]
        if missing:
            return [Skip(self.code, "; ".join(missing))]
        return list(self.check(spec))

    def check(self, spec: ModelSpec) -> Iterable[Finding | Skip]:  # pragma: no cover
        raise NotImplementedError

    # -- helpers for subclasses -----------------------------------------
    def finding(
        self,
        message: str,
        *,
        at: LayerSpec | Origin,
        fixes: Iterable[Fix] = (),
        severity: Severity | None = None,
        layers: Iterable[str] = (),
    ) -> Finding:
        origin = at.origin if isinstance(at, LayerSpec) else at
        if isinstance(at, LayerSpec) and origin.layer is None and origin.line is None:
            origin = Origin(layer=at.qualname)
        return Finding(
            code=self.code,
            name=self.name,
            message=message,
            severity=severity or self.severity,
            origin=origin,
            fixes=tuple(fixes),
            layers=tuple(layers) or ((at.qualname,) if isinstance(at, LayerSpec) else ()),
        )

    def make_fix(self, title: str, *edits: Any, applicability: Applicability | None = None) -> Fix:
        return Fix(title, tuple(edits), applicability or self.applicability)

    @classmethod
    def symptom_gone(cls, report: dict[str, Any] | None) -> tuple[bool, str] | None:
        """For a ``verify_goal = "no_worse"`` rule: whether an arm shows its symptom gone.

        ``report`` is an arm's :func:`autofix.training.metrics.metric_report`
        (or None).  Returns (gone, evidence text), or None when the rule has no
        symptom check (the default).
        """
        return None

    @classmethod
    def doc(cls) -> str:
        return (cls.__doc__ or "").strip()


def walk_back(spec: ModelSpec, layer: LayerSpec) -> Iterator[LayerSpec]:
    """Yield the single-input chain of layers before ``layer`` (nearest first)."""
    current = layer
    for _ in range(len(spec.layers)):
        preds = spec.predecessors(current)
        if len(preds) != 1:
            return
        current = preds[0]
        yield current
