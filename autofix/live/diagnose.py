"""Diagnose a live model: its spec, with training-probe facts when asked, through the rules."""

from __future__ import annotations

from typing import Any

from ..data import data_facts
from ..engine import Diagnosis, run_rules
from ..findings import Skip
from ..spec import ModelSpec
from .extract import extract


def wants_probe(rules: list) -> bool:
    """Whether any selected rule reads the training probe's facts."""
    return any("probe" in rule.requires for rule in rules)


def attach_probe(spec: ModelSpec, model: Any, x: Any, y: Any, fit_kwargs: dict | None = None, *,
                 seed: int = 0) -> list[str]:
    """Run the probe and store its facts on ``spec``; returns why it could not run (or nothing)."""
    if spec.data is None or spec.kind == "subclassed":
        return ["no training probe: it needs x and y as arrays and a Sequential or Functional model"]
    from ..training.probe import probe_facts  # lazily: a probe trains (Keras is loaded)

    try:
        spec.probe = probe_facts(model, x, y, fit_kwargs, seed=seed)
    except Exception as exc:  # a probe failure must not block diagnosis
        return [f"training probe failed: {type(exc).__name__}: {exc}"[:300]]
    return []


def diagnose_live(model: Any, x: Any, y: Any, fit_kwargs: dict | None, rules: list, *, probe: bool = False,
                  seed: int = 0) -> tuple[ModelSpec, Diagnosis]:
    """The model's spec and its diagnosis; notes on what the extractor or probe skipped become Skips.

    ``probe`` runs the training probe only when a selected rule needs it.
    """
    spec = extract(model, x, y, fit_kwargs)
    _validation_inputs(spec, fit_kwargs)
    notes = list(spec.skipped)
    if probe and wants_probe(rules):
        notes += attach_probe(spec, model, x, y, fit_kwargs, seed=seed)
    diagnosis = run_rules(spec, rules)
    diagnosis.skips.extend(Skip("model", note) for note in notes)
    return spec, diagnosis


def _validation_inputs(spec: ModelSpec, fit_kwargs: dict | None) -> None:
    """``spec.data.validation_x``: the range of ``fit_kwargs["validation_data"]``'s inputs (read by AF410)."""
    validation = (fit_kwargs or {}).get("validation_data")
    if spec.data is None or not isinstance(validation, (tuple, list)) or not validation:
        return
    measured = data_facts(validation[0])
    if measured is not None:
        spec.data.validation_x = (measured.x_min, measured.x_max)
