"""Data- and training-driven measurement: a few seeded probe steps on a copy of the model.

:func:`probe_facts` trains a fresh copy of the model for a few steps (the model
itself is untouched) and measures training- vs inference-mode accuracy, the
share of the majority prediction, the loss per step, dead ReLU units and
kernel gradient norms.  The rules AF601-AF605 (``autofix/rules/af60*.py``) read
those facts from ``spec.probe``; ``autofix.diagnose(model, x, y, probe=True)``
runs both.
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding
from .facts import ProbeFacts, probe_facts


def attach(spec: Any, model: Any, x: Any, y: Any, fit_kwargs: dict | None = None, *, seed: int = 0) -> list[str]:
    """Run the probe and store its facts on ``spec``; returns why it could not run (or nothing)."""
    if spec.data is None or spec.kind == "subclassed":
        return ["no training probe: it needs x and y as arrays and a Sequential or Functional model"]
    try:
        spec.probe = probe_facts(model, x, y, fit_kwargs, seed=seed)
    except Exception as exc:  # a probe failure must not block diagnosis
        return [f"training probe failed: {type(exc).__name__}: {exc}"[:300]]
    return []


def detect(facts: ProbeFacts) -> list[Finding]:
    """The probe rules' (AF6xx) findings for already-measured ``facts``."""
    from .. import engine
    from ..rules import select_rules
    from ..spec import ModelSpec

    return engine.run_rules(ModelSpec(layers=[], probe=facts), select_rules(["AF6"])).findings


def probe(model: Any, x: Any, y: Any, fit_kwargs: dict | None = None, *, seed: int = 0) -> list[Finding]:
    """Probe-train a copy of ``model`` on ``x``/``y`` and return the AF6xx findings."""
    return detect(probe_facts(model, x, y, fit_kwargs, seed=seed))


__all__ = ["ProbeFacts", "attach", "detect", "probe", "probe_facts"]
