"""Python API for live models: :func:`diagnose` and :func:`fix`."""

from __future__ import annotations

from typing import Any, Iterable

from . import engine
from .backends.graph import apply_edits
from .errors import UnsupportedModel, VerificationUnavailable
from .extract.keras_model import extract
from .findings import Finding
from .report import FixResult
from .rules import select_rules


def diagnose(
    model: Any,
    x: Any = None,
    y: Any = None,
    *,
    fit_kwargs: dict[str, Any] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    probe: bool = False,
    seed: int = 0,
) -> list[Finding]:
    """Find misconfigurations in ``model``; nothing is trained or changed.

    Args:
        model: a built or unbuilt Sequential/Functional ``keras.Model``
            (subclassed models get the checks their visible layers allow).
        x, y: optional training data (numpy arrays); enables the data rules
            (label encoding, input scale, class balance, sorted labels).
        fit_kwargs: the keyword arguments you pass to ``fit()``
            (``batch_size``, ``shuffle``...); enables the training rules.
        select, ignore: rule codes, code prefixes (``"AF2"``) or names.
        probe: also train a fresh, seeded copy of the model for a few steps on
            ``x``/``y`` (the model is untouched) and run the training-probe
            rules AF601-AF605 (train/inference gap, constant predictions,
            learning rate, dead ReLUs, gradient scale). Seconds on a CPU.
        seed: seed of the probe.

    Returns:
        The findings, most relevant position first. Rules that could not run
        are listed by :func:`diagnose_report`.
    """
    return diagnose_report(model, x, y, fit_kwargs=fit_kwargs, select=select, ignore=ignore, probe=probe,
                           seed=seed).findings


def diagnose_report(model: Any, x: Any = None, y: Any = None, *, fit_kwargs=None, select=None,
                    ignore=None, probe: bool = False, seed: int = 0) -> engine.Diagnosis:
    """Like :func:`diagnose`, also returning the skipped rules with reasons."""
    rules = select_rules(select, ignore)
    spec, notes = _extract(model, x, y, fit_kwargs, probe and _wants_probe(rules), seed)
    diagnosis = engine.run_rules(spec, rules)
    diagnosis.skips.extend(engine.Skip("model", note) for note in notes)
    return diagnosis


def _wants_probe(rules: list) -> bool:
    return any("probe" in rule.requires for rule in rules)


def _extract(model: Any, x: Any, y: Any, fit_kwargs: dict | None, probe: bool, seed: int):
    """The model's spec (with training-probe facts when ``probe``) and notes on what was skipped."""
    spec = extract(model, x, y, fit_kwargs)
    notes = list(spec.skipped)
    if probe:
        from .probe import attach

        notes += attach(spec, model, x, y, fit_kwargs, seed=seed)
    return spec, notes


def fix(
    model: Any,
    x: Any = None,
    y: Any = None,
    *,
    validation_data: Any = None,
    fit_kwargs: dict[str, Any] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    unsafe_fixes: bool = True,
    verify: bool = False,
    probe: bool | None = None,
    **verify_kwargs: Any,
) -> FixResult:
    """Return a repaired copy of ``model`` and a report; ``model`` is untouched.

    Fixes are applied to a rebuilt copy (weights of unchanged layers kept),
    re-diagnosed and repeated until nothing more applies. ``unsafe_fixes``
    (default True) allows fixes that change the architecture or training
    dynamics; with False only safe fixes run. Display-only suggestions (a
    learning rate) are reported, never applied.

    ``verify=True`` retrains before/after on ``x``/``y`` to confirm each fix;
    see :mod:`autofix.verify`. ``probe`` runs the training-probe rules
    (AF6xx, see :func:`diagnose`); default: on with ``verify``, off without.
    """
    rules = select_rules(select, ignore)
    probe = verify if probe is None else probe
    if verify:
        verify_kwargs["probe"] = probe
    spec, notes = _extract(model, x, y, fit_kwargs, probe and not verify and _wants_probe(rules),
                           verify_kwargs.get("seed", 0))
    before = engine.run_rules(spec, rules)
    skips = list(before.skips) + [engine.Skip("model", n) for n in notes]
    if verify:
        try:
            from .verify import verified_fix
        except ImportError as exc:
            raise VerificationUnavailable(
                "verify=True is not available in this version of autofix: call fix(..., verify=False) "
                "and check the repaired model with your own short training run."
            ) from exc
        return verified_fix(model, x, y, validation_data=validation_data, fit_kwargs=fit_kwargs,
                            rules=rules, unsafe_fixes=unsafe_fixes, **verify_kwargs)
    result = FixResult(model=model, original=model, findings=before.findings, applied=[],
                       remaining=before.findings, skips=skips, params_before=spec.total_params() or None,
                       unsafe_fixes=unsafe_fixes)
    result.params_after = result.params_before
    if spec.kind == "subclassed":
        result.notes.append(spec.skipped[0] if spec.skipped else "subclassed model: not rebuilt")
        return result
    try:
        outcome = repair(model, x, y, fit_kwargs=fit_kwargs, rules=rules, unsafe_fixes=unsafe_fixes,
                         first=(spec, before))
    except UnsupportedModel as exc:
        result.notes.append(str(exc))
        return result
    if outcome.applied:
        rebuilt = outcome.state
        result.model = rebuilt.model
        result.applied = outcome.applied
        result.fit_kwargs = {k: v for k, v in rebuilt.fit_kwargs.items()
                             if (fit_kwargs or {}).get(k, _MISSING) != v}
        result.reinitialised_layers = sorted(set(rebuilt.reinitialised_layers))
        result.label_encoding = rebuilt.label_encoding
        result.params_after = outcome.spec.total_params() or None
    result.remaining = outcome.remaining.findings
    return result


_MISSING = object()


def repair(model: Any, x: Any = None, y: Any = None, *, fit_kwargs=None, rules=None,
           unsafe_fixes: bool = True, prefer: dict[str, int] | None = None, first=None):
    """Run the fix loop on a live model; returns an engine.FixpointResult of ``Rebuilt``."""
    from .backends.graph import Rebuilt

    rules = rules if rules is not None else select_rules()
    start = Rebuilt(model, dict(fit_kwargs or {}))
    return engine.fix_to_fixpoint(
        start,
        extract=lambda state: extract(state.model, x, y, state.fit_kwargs if fit_kwargs is not None
                                      or state.fit_kwargs else None),
        apply=lambda state, fixes: _accumulate(state, apply_edits(
            state.model, [e for fx in fixes for e in fx.edits], state.fit_kwargs)),
        rules=rules,
        unsafe=unsafe_fixes,
        prefer=prefer,
        first=first,
    )


def _accumulate(previous, rebuilt):
    """Keep the re-initialised layers and the label encoding across passes of the fix loop."""
    rebuilt.reinitialised_layers = [*previous.reinitialised_layers, *rebuilt.reinitialised_layers]
    rebuilt.label_encoding = rebuilt.label_encoding or previous.label_encoding
    return rebuilt
