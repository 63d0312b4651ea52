"""Python API for live models: :func:`diagnose` and :func:`fix`."""

from __future__ import annotations

from typing import Any, Iterable

from .engine import Diagnosis
from .errors import UnsupportedModel
from .findings import Finding
from .live.diagnose import diagnose_live
from .live.repair import repair
from .model_copies import copy_refusal
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
                    ignore=None, probe: bool = False, seed: int = 0) -> Diagnosis:
    """Like :func:`diagnose`, also returning the skipped rules with reasons."""
    return diagnose_live(model, x, y, fit_kwargs, select_rules(select, ignore), probe=probe, seed=seed)[1]


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
    see :mod:`autofix.verify`.  When the model shows a symptom (no learning,
    one class, a diverging loss) that no rule's fix cures, verification also
    searches repair strategies no rule names (``search=False`` disables;
    ``executor="processes"`` or ``"ray"`` trains its arms in parallel).
    ``probe`` runs the training-probe rules (AF6xx, see :func:`diagnose`);
    default: on with ``verify``, off without.
    """
    rules = select_rules(select, ignore)
    probe = verify if probe is None else probe
    refused = copy_refusal(model) if verify else None
    if verify and refused is None:
        from .verify.verified import verified_fix  # lazily: verification trains models

        verified = verified_fix(model, x, y, validation_data=validation_data, fit_kwargs=fit_kwargs, rules=rules,
                                unsafe_fixes=unsafe_fixes, probe=probe, **verify_kwargs)
        return _verified_result(model, fit_kwargs, verified)
    spec, before = diagnose_live(model, x, y, fit_kwargs, rules, probe=probe,
                                 seed=verify_kwargs.get("seed", 0), validation_data=validation_data)
    result = FixResult(model=model, original=model, findings=before.findings, applied=[],
                       remaining=before.findings, skips=before.skips, params_before=spec.total_params() or None,
                       unsafe_fixes=unsafe_fixes)
    result.params_after = result.params_before
    if refused is not None:
        result.notes.append(f"not verified: verification trains new copies of the model, and {refused} "
                            "(the findings above are unverified)")
        return result
    try:
        outcome = repair(model, x, y, fit_kwargs=fit_kwargs, rules=rules, unsafe_fixes=unsafe_fixes,
                         first=[(spec, before)])
    except UnsupportedModel as exc:
        result.notes.append(str(exc))
        return result
    if outcome.applied:
        rebuilt = outcome.state
        result.model = rebuilt.model
        result.applied = outcome.applied
        result.fit_kwargs = _changed(fit_kwargs, rebuilt.fit_kwargs)
        result.reinitialised_layers = sorted(set(rebuilt.reinitialised_layers))
        result.label_encoding = rebuilt.label_encoding
        result.data_edits = list(rebuilt.data_edits)
        result.params_after = outcome.spec.total_params() or None
    result.remaining = outcome.remaining.findings
    return result


def _changed(given: dict | None, fit_kwargs: dict) -> dict:
    """The fit() settings a repair changed or added."""
    given = given or {}
    return {k: v for k, v in fit_kwargs.items() if k not in given or given[k] != v}


def _verified_result(model: Any, fit_kwargs: dict | None, verified: Any) -> FixResult:
    """The report of a verified repair (:class:`autofix.verify.verified.VerifiedRepair`)."""
    evidence, chosen = verified.evidence, verified.chosen
    params = verified.spec.total_params() or None
    result = FixResult(model=model, original=model, findings=verified.findings, applied=[],
                       remaining=verified.findings, skips=verified.skips, params_before=params,
                       params_after=params, verification=evidence)
    if chosen is None:
        why = "no fixable finding" if not evidence.verdicts else "no candidate beat the original by more than the noise"
        search = getattr(evidence, "search", None)
        if search is not None and search.triggered:
            tried = len({t.code for t in search.trials})
            why += f"; the repair search tried {tried} strateg{'y' if tried == 1 else 'ies'} and confirmed none"
        result.notes.append(f"verification confirmed no fix ({why}); the original model is returned "
                            "(pass force=True to apply the default fixes anyway)")
        return result
    result.model, result.applied, result.remaining = chosen.model, chosen.applied, chosen.remaining
    result.fit_kwargs = _changed(fit_kwargs, chosen.fit_kwargs)
    result.reinitialised_layers = chosen.reinitialised
    result.data_edits = list(chosen.data_edits)
    result.params_after = chosen.model.count_params() if chosen.model.built else None
    notes = {a.label_note for a in evidence.arms.get(chosen.name, []) if a.label_note}
    result.notes.extend(f"train the repaired model with {note}" for note in sorted(notes))
    return result
