"""The findings verification starts from: static rules plus the training probes."""

from __future__ import annotations

from typing import Any

from .. import engine
from ..extract.keras_model import extract


def diagnose_all(model: Any, x: Any, y: Any, fit_kwargs: dict | None, rules: list, *, seed: int = 0,
                 probe: bool = True) -> tuple[list, list, Any]:
    """(findings, skips, parameter count) with probe facts (AF6xx rules) when ``probe``."""
    spec = extract(model, x, y, fit_kwargs)
    if probe and spec.data is not None and spec.kind != "subclassed":
        from ..probe import probe_facts

        spec.probe = probe_facts(model, x, y, fit_kwargs, seed=seed)
    diagnosis = engine.run_rules(spec, rules)
    skips = list(diagnosis.skips) + [engine.Skip("model", note) for note in spec.skipped]
    return diagnosis.findings, skips, spec.total_params() or None
