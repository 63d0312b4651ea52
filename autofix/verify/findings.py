"""The findings verification starts from: static rules plus the training-probe rules (AF6xx)."""

from __future__ import annotations

from typing import Any

from .. import engine
from ..extract.keras_model import extract


def diagnose_all(model: Any, x: Any, y: Any, fit_kwargs: dict | None, rules: list, *, seed: int = 0,
                 probe: bool = True) -> tuple[list, list, Any]:
    """(findings, skips, parameter count); with ``probe``, AF6xx probe findings are added."""
    spec = extract(model, x, y, fit_kwargs)
    notes = list(spec.skipped)
    if probe:
        from ..probe import attach

        notes += attach(spec, model, x, y, fit_kwargs, seed=seed)
    diagnosis = engine.run_rules(spec, rules)
    skips = list(diagnosis.skips) + [engine.Skip("model", note) for note in notes]
    return list(diagnosis.findings), skips, spec.total_params() or None
