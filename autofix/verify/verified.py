"""Verified repair of a live model: confirm each fix with a short, seeded, budgeted A/B retrain.

:func:`verified_fix` trains the original model and every candidate repair
(see :mod:`autofix.verify.candidates`) from the same seed on the same data
subset for the same number of steps (a candidate that changes the schedule:
each side on its own, :func:`~autofix.verify.plan.schedule_sides`), scores
each on held-out rows in inference mode, and keeps the best candidate that beats the original by more
than the noise (:mod:`autofix.verify.verdict`).  When nothing is confirmed,
the original model is returned with the reason.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable

from ..live.diagnose import diagnose_live
from ..rules import select_rules
from ..spec import ModelSpec
from ..training.arms import ArmResult, Data, calibrate, fit_settings, prepare_data, train_arm, with_data_edits
from .candidates import MAX_TRAINED, Candidate, enumerate_candidates
from .evidence import Verification
from .plan import Plan, capped_steps, plan_arms, plan_steps, rows_for, schedule_sides
from .progress import as_progress
from .search import MAX_STRATEGIES
from .symptoms import check_symptoms, goal_of
from .verdict import MIN_GAIN, Verdict, judge


@dataclass
class VerifiedRepair:
    """What verification found: the original's spec and findings, the chosen candidate, the evidence."""

    spec: ModelSpec
    findings: list
    skips: list
    chosen: Candidate | None
    evidence: Verification


def _shrink(data: Data, steps: int, batch_size: int) -> Data:
    """Keep the rows the arms can visit in a few whole epochs (evenly spaced: the order is kept)."""
    import numpy as np

    rows = rows_for(steps, batch_size, len(data.x))
    if len(data.x) <= rows:
        return data
    keep = np.linspace(0, len(data.x) - 1, rows).astype(int)
    return Data(data.x[keep], data.y[keep], data.x_val, data.y_val, data.classes_val)


def verified_fix(model: Any, x: Any, y: Any, *, validation_data: Any = None, fit_kwargs: dict | None = None,
                 rules: list | None = None, unsafe_fixes: bool = True, budget: float | None = 60.0,
                 steps: int | None = None, seed: int = 0, verbose: int = 0, force: bool = False,
                 max_candidates: int = MAX_TRAINED, min_gain: float = MIN_GAIN, probe: bool = True,
                 search: bool = True, executor: Any = "inprocess", workers: int | None = None,
                 strategies: Any = None, max_strategies: int = MAX_STRATEGIES):
    """Repair ``model`` and keep only the repairs a short retrain confirms.

    Args:
        budget: wall seconds for the whole verification (turned once into a
            step count per arm, rounded to a coarse grid).
        steps: training steps per arm; overrides ``budget`` and makes the run
            fully reproducible.
        max_candidates: most candidate repairs trained (the best-ranked ones;
            fewer when the budget cannot give each arm enough steps).
        seed: seed of the weights, subsets and shuffling (a second seed,
            ``seed + 1``, re-measures gains that are close to the noise).
        force: apply the best candidate even when it is not confirmed.
        min_gain: smallest accuracy gain (or relative MSE gain) worth a fix.
        probe: run the training probes (AF6xx) to find more candidates.
        search: when the probe or the original arm shows a symptom (no
            learning, one class, diverging loss) that no rule's fix cured,
            search the repair strategies of :mod:`autofix.strategies` by
            successive halving (:mod:`autofix.verify.search`); False disables.
        executor: where the search's arms train: ``"inprocess"`` (default),
            ``"processes"`` (spawned worker processes, ``workers`` of them) or
            ``"ray"`` (needs ``pip install 'autofix[ray]'``).
        strategies: strategy codes, prefixes or names to search (default: all).
        max_strategies: most strategies trained in the search's first round.
        verbose: 0 silent, 1 a progress display (the plan, each arm as it trains), 2 one line per arm
            (:mod:`autofix.verify.progress`; a ``Progress`` object is passed through).

    Returns:
        A :class:`VerifiedRepair`: ``chosen`` is None when nothing was
        confirmed (:func:`autofix.fix` then returns the original model).
    """
    start = time.perf_counter()
    say = as_progress(verbose)
    rules = rules if rules is not None else select_rules()
    spec, diagnosis = diagnose_live(model, x, y, fit_kwargs, rules, seed=seed, probe=probe,
                                    validation_data=validation_data)
    findings, skips = diagnosis.findings, diagnosis.skips
    candidates = enumerate_candidates(model, x, y, fit_kwargs=fit_kwargs, rules=rules, unsafe=unsafe_fixes,
                                      findings=findings, limit=max_candidates)
    data = prepare_data(x, y, validation_data, seed=seed)
    batch = fit_settings(fit_kwargs)["batch_size"]
    plan, untried, cost, fixed_steps, capped, planned = None, [], None, steps, None, steps
    if steps is None and candidates:
        cost = calibrate(model, data, fit_kwargs, seed)
        improving = any(goal_of([f.code for f, _ in c.applied]) == "improve" for c in candidates)
        plan = plan_arms((budget or 60.0) - (time.perf_counter() - start), cost, len(candidates), batch,
                         len(data.x), rerun=improving)
        steps, untried, candidates = plan.steps, candidates[plan.candidates:], candidates[:plan.candidates]
        planned = steps
        steps, capped = capped_steps(steps, fit_kwargs, len(x))
        say(f"autofix verify: arm overhead {cost.overhead:.1f} s, {cost.step * 1e3:.0f} ms/step, "
            f"{cost.epoch * 1e3:.0f} ms/epoch -> {steps} steps per arm, {len(candidates)} candidate(s)")
    full, data = data, _shrink(data, steps or 0, batch)
    evidence = Verification(data.metric, seed, steps or 0, batch, len(data.x), len(data.x_val), budget)
    evidence.notes.extend(f"not trained within the budget (ranked lower): {c.name}" for c in untried)
    if capped:
        evidence.notes.append(capped)
    if not candidates:
        evidence.notes.append("no fixable finding: nothing to verify from the rules")
    else:
        _compete(model, candidates, data, evidence, fit_kwargs=fit_kwargs, min_gain=min_gain,
                 cap=(budget or math.inf) * 3, start=start, say=say,
                 rerun_ok=_rerun_policy(plan, budget, start), planned=planned, rows=len(x))
    found = []
    if search:
        from .search import run_search

        found = run_search(model, spec, findings, full, evidence, fit_kwargs=fit_kwargs, rule_candidates=candidates,
                           x=x, y=y, start=start, budget=budget, steps=fixed_steps, cost=cost, seed=seed,
                           min_gain=min_gain, executor=executor, workers=workers, strategies=strategies,
                           max_strategies=max_strategies, progress=say)
    chosen = _choose([*candidates, *found], evidence, force)
    evidence.seconds = time.perf_counter() - start
    return VerifiedRepair(spec, findings, skips, chosen, evidence)


def _rerun_policy(plan: Plan | None, budget: float | None, start: float) -> Callable[[], bool]:
    """Whether a second-seed re-run pair may still be trained.

    With a fixed step count (no plan) or a planned re-run: yes.  Otherwise only
    when the rest of the budget still holds two arms.
    """
    if plan is None or plan.rerun or not budget:
        return lambda: True
    return lambda: budget - (time.perf_counter() - start) >= 2 * plan.arm_seconds


def _compete(model: Any, candidates: list[Candidate], data: Data, evidence: Verification, *,
             fit_kwargs: dict | None, min_gain: float, cap: float, start: float, say,
             rerun_ok: Callable[[], bool] = lambda: True, planned: int | None = None,
             rows: int | None = None) -> None:
    """Train the original and every candidate, then judge them best-first.

    A candidate that changes the schedule (:func:`~autofix.verify.plan.schedule_sides`, with the
    ``planned`` per-arm steps and the user's ``rows``) is judged against the original trained on
    the user's own schedule; every other pair trains ``evidence.steps`` on both sides.
    """
    accuracy = data.classes_val is not None
    views = {}
    for candidate in list(candidates):
        try:
            views[candidate.name] = with_data_edits(data, candidate.data_edits)
        except ValueError as exc:
            candidates.remove(candidate)
            evidence.notes.append(f"'{candidate.name}' not trained: {exc}")

    def arm(name: str, net: Any, kwargs: dict | None, seed: int, steps: int, relabel: bool = False) -> ArmResult:
        remaining = cap - (time.perf_counter() - start)
        say.start(name, seed=seed, steps=steps, stage="rules")
        result = evidence.record(train_arm(name, net, views.get(name, data), fit_kwargs=kwargs, seed=seed,
                                           steps=steps, seconds_cap=max(remaining, 1.0), relabel=relabel))
        say.done(name, seed=seed, steps=steps, metric=data.metric, score=result.score,
                 seconds=result.seconds, stage="rules", error=result.error)
        if result.timed_out:
            evidence.notes.append(f"'{name}' hit the wall-clock cap: this verdict may not be reproducible")
        return result

    originals: dict[tuple[int, int], ArmResult] = {}

    def original(seed: int, steps: int) -> ArmResult:
        if (seed, steps) not in originals:
            originals[seed, steps] = arm("original", model, fit_kwargs, seed, steps)
        return originals[seed, steps]

    def pair(candidate: Candidate, seed: int) -> tuple[ArmResult, ArmResult]:
        before_steps, after_steps = steps_of[candidate.name]
        return original(seed, before_steps), arm(candidate.name, candidate.model, candidate.fit_kwargs, seed,
                                                 after_steps, candidate.changes_head)

    steps_of = {}
    for candidate in candidates:
        sides = schedule_sides(fit_kwargs, candidate.fit_kwargs, rows, planned) if planned and rows else None
        steps_of[candidate.name] = (sides.original, sides.candidate) if sides else (evidence.steps,) * 2
        if sides:
            evidence.baseline_steps[candidate.name] = sides.original
            evidence.notes.append(sides.note(candidate.name))
    original(evidence.seed, evidence.steps)  # first: the search reads it as the original's arm
    first = {c.name: pair(c, evidence.seed) for c in candidates}
    for candidate in candidates:
        evidence.descriptions[candidate.name] = candidate.describe()
    ranked = sorted(candidates, key=lambda c: -first[c.name][1].score)
    reruns = 0
    for candidate in ranked:
        before, after = first[candidate.name]
        verdict = judge(_verdict(candidate, before, after), evidence.n_val, accuracy=accuracy, min_gain=min_gain)
        if after.collapsed and not before.collapsed and verdict.gain < 0 and reruns < 2 and rerun_ok():
            # a collapsed arm has not started learning: its score says nothing, so measure again
            reruns += 1
            verdict = judge(_verdict(candidate, *pair(candidate, evidence.seed + 1)), evidence.n_val,
                            accuracy=accuracy, min_gain=min_gain)
            evidence.notes.append(f"'{candidate.name}' predicted one class for every held-out row on seed "
                                  f"{evidence.seed} (not yet learning): judged on seed {evidence.seed + 1}")
        elif verdict.needs_second_seed and reruns < 2 and not evidence.confirmed and rerun_ok():
            reruns += 1
            before2, after2 = pair(candidate, evidence.seed + 1)
            verdict.before.append(before2.score)
            verdict.after.append(after2.score)
            judge(verdict, evidence.n_val, accuracy=accuracy, min_gain=min_gain)
        elif verdict.reason == "ambiguous":
            why = ("a better candidate won" if evidence.confirmed
                   else "re-run limit reached" if reruns >= 2 else "no budget left")
            verdict.reason = f"gain within twice the noise margin (not re-measured: {why})"
        evidence.verdicts.append(verdict)


def _verdict(candidate: Candidate, before: ArmResult, after: ArmResult) -> Verdict:
    """A fresh verdict on one pair of arms with the candidate's goal and, for reporting fixes, its
    symptom evidence."""
    codes = [finding.code for finding, _ in candidate.applied]
    verdict = Verdict(candidate.name, [before.score], [after.score], goal=goal_of(codes))
    if verdict.goal == "no_worse":
        gone, lines = check_symptoms(codes, after.report)
        _, was = check_symptoms(codes, before.report)
        verdict.symptom_gone = gone if lines else None
        verdict.evidence = [*(f"before: {line}" for line in was), *(f"after:  {line}" for line in lines)]
    return verdict


def _choose(candidates: list[Candidate], evidence: Verification, force: bool) -> Candidate | None:
    by_name = {c.name: c for c in candidates}
    accepted = [v for v in evidence.verdicts if v.accepted]
    if accepted:
        best = max(accepted, key=lambda v: v.gain)
        evidence.chosen = best.candidate
        name = evidence.search.combined_candidate if evidence.search is not None else None
        combined = [v for v in accepted if name is not None and v.candidate == name]
        if combined and combined[0].gain >= best.gain - best.margin:
            evidence.chosen = combined[0].candidate  # the winner with the rule fixes, as good: it keeps them
    elif force and evidence.verdicts:
        evidence.chosen, evidence.forced = evidence.verdicts[0].candidate, True
    elif force and candidates:
        evidence.chosen, evidence.forced = candidates[0].name, True
    return by_name.get(evidence.chosen) if evidence.chosen else None


__all__ = ["VerifiedRepair", "Verification", "plan_steps", "verified_fix"]
