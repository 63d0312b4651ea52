"""Training probes, public surface: a few seeded steps on a copy of the model, judged by AF6xx.

:func:`~autofix.training.probe.probe_facts` trains a fresh copy of the model
for a few steps (the model itself is untouched) and measures training- vs
inference-mode accuracy, the share of the majority prediction, the loss per
step, dead ReLU units and kernel gradient norms.  The probe rules
(``autofix/rules/af60*.py``) read those facts from ``spec.probe``;
``autofix.diagnose(model, x, y, probe=True)`` runs both.
"""

from __future__ import annotations

from typing import Any

from .engine import run_rules
from .findings import Finding
from .rules import probe_rules
from .spec import ModelSpec
from .training.probe import ProbeFacts, probe_facts


def detect(facts: ProbeFacts) -> list[Finding]:
    """The probe rules' findings for already-measured ``facts``."""
    return run_rules(ModelSpec(layers=[], probe=facts), probe_rules()).findings


def probe(model: Any, x: Any, y: Any, fit_kwargs: dict | None = None, *, seed: int = 0) -> list[Finding]:
    """Probe-train a copy of ``model`` on ``x``/``y`` and return the probe rules' findings."""
    return detect(probe_facts(model, x, y, fit_kwargs, seed=seed))


__all__ = ["ProbeFacts", "detect", "probe", "probe_facts"]
