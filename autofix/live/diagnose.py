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
                  seed: int = 0, validation_data: Any = None) -> tuple[ModelSpec, Diagnosis]:
    """The model's spec and its diagnosis; notes on what the extractor or probe skipped become Skips.

    ``probe`` runs the training probe only when a selected rule needs it.  ``validation_data`` (else
    ``fit_kwargs["validation_data"]``) is the held-out split, measured for AF410.
    """
    spec = extract(model, x, y, fit_kwargs)
    _validation_facts(spec, validation_data if validation_data is not None else (fit_kwargs or {}).get("validation_data"))
    notes = list(spec.skipped)
    if probe and wants_probe(rules):
        notes += attach_probe(spec, model, x, y, fit_kwargs, seed=seed)
    diagnosis = run_rules(spec, rules)
    diagnosis.skips.extend(Skip("model", note) for note in notes)
    return spec, diagnosis


def _validation_facts(spec: ModelSpec, validation: Any) -> None:
    """``spec.data.validation_x`` / ``validation_y``: the ranges of the held-out inputs and, for continuous
    targets on both sides, of the held-out targets (read by AF410)."""
    if spec.data is None or not isinstance(validation, (tuple, list)) or not validation:
        return
    measured = data_facts(validation[0], validation[1] if len(validation) > 1 else None)
    if measured is None:
        return
    spec.data.validation_x = (measured.x_min, measured.x_max)
    if spec.data.label_kind == "continuous" and measured.label_kind == "continuous":
        spec.data.validation_y = (measured.y_min, measured.y_max)
