"""The findings verification starts from: static rules plus the training probes."""

from __future__ import annotations

from typing import Any

from .. import engine
from ..extract.keras_model import extract


def diagnose_all(model: Any, x: Any, y: Any, fit_kwargs: dict | None, rules: list, *, seed: int = 0,
                 probe: bool = True) -> tuple[list, list, Any]:
    """(findings, skips, parameter count); with ``probe``, AF6xx probe findings are added."""
    spec = extract(model, x, y, fit_kwargs)
    diagnosis = engine.run_rules(spec, rules)
    findings = list(diagnosis.findings)
    skips = list(diagnosis.skips) + [engine.Skip("model", note) for note in spec.skipped]
    if probe and spec.data is not None and spec.kind != "subclassed":
        from ..probe import probe as run_probe

        try:
            findings += run_probe(model, x, y, fit_kwargs, seed=seed,
                                  static_codes=tuple(sorted({f.code for f in findings})))
        except Exception as exc:  # a probe failure must not block verification
            skips.append(engine.Skip("AF6xx", f"training probe failed: {type(exc).__name__}: {exc}"[:300]))
    return findings, skips, spec.total_params() or None
