"""Data- and training-driven detection: a few seeded probe steps, then AF6xx findings.

``probe(model, x, y, fit_kwargs)`` trains a fresh copy of the model for a few
steps (the model itself is untouched) and reports a train/inference gap,
constant predictions, a diverging or flat loss, dead ReLUs and vanishing or
exploding gradients.
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding
from .detectors import DETECTORS, detect
from .facts import ProbeFacts, probe_facts


def probe(model: Any, x: Any, y: Any, fit_kwargs: dict | None = None, *, seed: int = 0,
          static_codes: tuple[str, ...] = ()) -> list[Finding]:
    """Probe-train a copy of ``model`` on ``x``/``y`` and return the AF6xx findings."""
    from ..verify.candidates import current_learning_rate

    facts = probe_facts(model, x, y, fit_kwargs, seed=seed)
    return detect(facts, {"learning_rate": current_learning_rate(model), "codes": static_codes})


__all__ = ["DETECTORS", "ProbeFacts", "detect", "probe", "probe_facts"]
