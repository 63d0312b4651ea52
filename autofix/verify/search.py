"""Repairs no rule names: a symptom-driven, verified search over repair strategies.

When the probe or the original arm shows a symptom (the model does not learn,
predicts one class, its loss diverges) and no rule's fix cured it (no accepted
verdict, or no rule fired), :func:`run_search` tries the repair strategies of
:mod:`autofix.strategies` that apply, ranked by their priors for the symptoms
seen, by **successive halving**: round 0 trains the best-ranked strategies
(at most ``max_strategies``) for ``s`` steps each, round 1 the better half for
``2s``, and so on until one is left.  Every arm of a round (the original
included) has the same seed, the same training rows and the same step count;
each strategy is judged against the original's arm of its round with
:func:`autofix.verify.verdict.judge`.  The search stops as soon as a strategy's
gain clears the noise (twice the margin on one seed) *and* its arm no longer
shows the symptom.  The winner is also combined with the rule fixes (the
best-ranked rule candidate) and that combination verified against the same
original arm.  Every tried strategy is reported with its score, steps and
time (:class:`SearchReport`).

Symptoms come from the probe facts (``spec.probe``) and from the original
arm; only the original arm's ``no-learning``, ``one-class`` and
``diverging`` trigger the search (:data:`autofix.strategies.TRIGGERS`), and
``still-falling`` when a learning-rate rule fired (as on the source path:
:func:`autofix.verify.symptoms.rate_evidence`); the others rank strategies.  A probe that shows a symptom but no trained original
arm costs one arm to check.  This module never names rule codes.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..edits import SetLayerArg, SetLoss
from ..live.rebuild import apply_edits
from ..strategies import SYMPTOMS, TRIGGERS, Strategy, prior, ranked, select_strategies
from ..training.arms import ArmResult, Cost, Data, calibrate, fit_settings
from .candidates import Candidate
from .evidence import ArmRow, Verification, table_lines
from .executors import ArmJob, make_executor
from .plan import MIN_STEPS, STEP_GRID, arm_seconds, rows_for
from .progress import Progress
from .symptoms import rate_evidence
from .verdict import Verdict, judge, noise_margin

#: Strategies trained in the first round by default.
MAX_STRATEGIES = 8
#: Largest first-round step count the planner picks (later rounds double it).
MAX_FIRST_STEPS = 1024
#: Share of ``budget`` the search may use even when the rule candidates spent the budget.
MIN_SEARCH_SHARE = 0.5
#: Probe thresholds (the probe rules use stricter ones for their findings).
PROBE_CHANCE = 0.1
GAP = 0.2
DEAD = 0.5
VANISH_RATIO, VANISH_ABS, EXPLODE = 0.03, 1e-2, 100.0


# -- evidence ---------------------------------------------------------------------
@dataclass
class Trial:
    """One strategy arm in one round: its score against the original's arm of the round."""

    code: str
    name: str
    round: int
    steps: int
    seed: int
    score: float
    original: float
    gain: float
    margin: float
    seconds: float
    #: ``"advanced"``, ``"eliminated"``, ``"winner"``, ``"not confirmed"`` or ``"failed"``.
    outcome: str = ""
    reason: str = ""
    #: Symptoms this arm still shows.
    symptoms: list[str] = field(default_factory=list)
    error: str | None = None
    #: The arm's training loss per epoch (for ``result.plot()``).
    loss: list[float] = field(default_factory=list)

    @property
    def cured(self) -> bool:
        """The search's stopping rule: a gain that clears the noise (twice the margin) and no symptom left."""
        return self.outcome != "failed" and not self.error and math.isfinite(self.score) \
            and self.gain > 2 * self.margin and not self.symptoms


@dataclass
class SearchRound:
    index: int
    steps: int
    rows: int
    original: float
    original_seconds: float
    trials: list[Trial] = field(default_factory=list)
    seconds: float = 0.0
    original_loss: list[float] = field(default_factory=list)


@dataclass
class SearchReport:
    """Whether the search ran and why, and every strategy it tried."""

    triggered: bool
    reason: str
    symptoms: dict[str, str] = field(default_factory=dict)
    #: Applicable strategies by rank (``"AS201 initializer-by-activation"``) and those left out.
    ranked: list[str] = field(default_factory=list)
    not_tried: list[str] = field(default_factory=list)
    rounds: list[SearchRound] = field(default_factory=list)
    winner: str | None = None
    #: Whether the winner's verdict was accepted (its gain cleared the noise margin).
    confirmed: bool = False
    combined: str | None = None
    #: The name of that combination's candidate, when it was trained.
    combined_candidate: str | None = None
    #: Arms outside the rounds: second-seed re-runs and the combination with the rule fixes.
    extra: list[ArmRow] = field(default_factory=list)
    #: Names of the candidates the search added to the evidence (winner, combination).
    candidates: list[str] = field(default_factory=list)
    executor: str = "inprocess"
    workers: int = 1
    arms: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def trials(self) -> list[Trial]:
        return [t for r in self.rounds for t in r.trials]

    def rows(self) -> list[ArmRow]:
        """Every arm of the search for the summary table (rounds, then re-runs and the combination)."""
        out = []
        for rnd in self.rounds:
            stage = f"search r{rnd.index}"
            seed = rnd.trials[0].seed if rnd.trials else 0
            out.append(ArmRow(stage, "original", seed, rnd.steps, rnd.original, None, rnd.original_seconds,
                              "baseline"))
            for t in rnd.trials:
                still = f" (still: {', '.join(t.symptoms)})" if t.symptoms else ""
                why = f": {t.reason}" if t.reason and t.outcome in ("winner", "not confirmed", "failed") else ""
                out.append(ArmRow(stage, f"{t.code} {t.name}", t.seed, t.steps, t.score, t.gain, t.seconds,
                                  f"{t.outcome}{why}{still}"))
        return out + list(self.extra)

    def summary_lines(self, table: bool = True) -> list[str]:
        """The trigger, then (``table``) one row per arm, then the outcome, what was not tried and notes
        (:meth:`Verification.summary_lines` shows the arms in its own table of every arm)."""
        if not self.triggered:
            return [f"Search: not run ({self.reason})"]
        seen = ", ".join(self.symptoms) or "none"
        lines = [f"Search ({self.reason}; symptoms: {seen}): {len(self.rounds)} round(s), {self.arms} arm(s) on "
                 f"{self.executor}{f' x{self.workers}' if self.workers > 1 else ''}, {self.seconds:.1f} s"]
        if table:
            lines.extend(table_lines(self.rows(), "score"))
        combined = f"; combined with the rule fixes: {self.combined}" if self.combined else ""
        if self.winner and self.confirmed:
            lines.append(f"  confirmed strategy: {self.winner}{combined}")
        elif self.rounds:
            best = f" (best: {self.winner})" if self.winner else ""
            lines.append(f"  no strategy beat the original by more than the noise margin{best}{combined}")
        if self.not_tried:
            lines.append(f"  not tried (ranked lower): {', '.join(self.not_tried)}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return lines


# -- symptoms -----------------------------------------------------------------------
def _trend(losses: list[float]) -> str | None:
    if len(losses) < 2:
        return None
    if not all(math.isfinite(v) for v in losses):
        return "diverging"
    k = max(1, len(losses) // 4)
    head, tail = float(np.mean(losses[:k])), float(np.mean(losses[-k:]))
    if tail > 1.5 * head:
        return "diverging"
    if abs(head - tail) < 0.01 * abs(head) and head > 1e-3:
        return "flat-loss"
    return None


def probe_symptoms(probe: Any) -> dict[str, str]:
    """Symptoms the training probe shows, each with its evidence."""
    if probe is None:
        return {}
    out: dict[str, str] = {}
    losses = list(getattr(probe, "losses", []) or [])
    trend = _trend(losses) if len(losses) >= 8 else None
    if trend:
        out[trend] = f"probe loss {losses[0]:.3g} -> {losses[-1]:.3g} over {len(losses)} steps"
    share, base = probe.majority_share, probe.true_majority_share
    if share is not None and base is not None and share >= 0.95 > base:
        out["one-class"] = f"probe predicts one class for {share:.0%} of rows (largest class {base:.0%})"
    if probe.eval_accuracy is not None and base is not None and probe.eval_accuracy <= base + PROBE_CHANCE:
        out["no-learning"] = f"probe accuracy {probe.eval_accuracy:.2f} at chance (largest class {base:.2f})"
    if probe.fit_accuracy is not None and probe.eval_accuracy is not None \
            and probe.fit_accuracy - probe.eval_accuracy > GAP:
        out["train-inference-gap"] = (f"probe accuracy {probe.fit_accuracy:.2f} in training mode, "
                                      f"{probe.eval_accuracy:.2f} in inference mode")
    if probe.dead and max(probe.dead.values()) > DEAD:
        layer = max(probe.dead, key=probe.dead.get)
        out["dead-units"] = f"{probe.dead[layer]:.0%} of '{layer}' units never fire"
    norms = [v for v in (probe.grad_norms or {}).values()]
    if norms:
        largest = max(norms, key=lambda v: v if math.isfinite(v) else math.inf)
        if not all(math.isfinite(v) for v in norms) or largest > EXPLODE:
            out["exploding-gradients"] = f"largest kernel gradient norm {largest:.3g}"
        elif largest < VANISH_ABS or min(norms) < VANISH_RATIO * largest:
            out["vanishing-gradients"] = f"kernel gradient norms {min(norms):.2g} .. {largest:.2g}"
    return out


def chance_level(data: Data) -> float:
    """The score of a model that learned nothing: the majority share, or minus the labels' variance."""
    if data.classes_val is not None:
        counts = np.bincount(np.asarray(data.classes_val))
        return float(counts.max() / max(counts.sum(), 1))
    target = np.asarray(data.y_val, dtype=np.float64).reshape(len(data.y_val), -1)
    return -float(np.mean(np.var(target, axis=0)))


def arm_symptoms(arm: ArmResult, data: Data, *, min_gain: float) -> dict[str, str]:
    """Symptoms an arm shows: at chance, one class, diverging, flat or still falling (with evidence)."""
    if arm.error:
        return {}
    out: dict[str, str] = {}
    losses = [float(v) for v in arm.history.get("loss", [])]
    if not math.isfinite(arm.score) or (losses and _trend(losses) == "diverging"):
        out["diverging"] = (f"loss {losses[0]:.3g} -> {losses[-1]:.3g}" if losses else "outputs not finite")
    chance = chance_level(data)
    if math.isfinite(arm.score):
        if data.classes_val is not None:
            margin = noise_margin(chance, arm.score, len(data.classes_val), accuracy=True, min_gain=min_gain)
            if arm.score <= chance + margin:
                out["no-learning"] = f"{data.metric} {arm.score:.3f}, chance {chance:.3f}"
        elif arm.score <= 0.95 * chance:  # MSE at least 95% of the labels' variance
            out["no-learning"] = f"{data.metric} {arm.score:.4g}, predicting the mean gives {chance:.4g}"
    if arm.collapsed:
        out["one-class"] = "one class predicted for every held-out row"
    if losses and _trend(losses) == "flat-loss":
        out["flat-loss"] = f"loss {losses[0]:.3g} -> {losses[-1]:.3g}"
    if "no-learning" in out and len(losses) >= 2 and losses[-2] - losses[-1] > 0.05 * abs(losses[-2]):
        out["still-falling"] = f"loss fell {1 - losses[-1] / losses[-2]:.0%} in the last epoch"
    return out


# -- planning ---------------------------------------------------------------------------
def round_sizes(k: int) -> list[int]:
    """Strategies per round: ``k``, then the better half (rounded up) until two are compared."""
    sizes = [k]
    while sizes[-1] > 2:
        sizes.append(math.ceil(sizes[-1] / 2))
    return sizes


@dataclass(frozen=True)
class SearchPlan:
    first_steps: int
    strategies: int
    rounds: int
    seconds: float

    def steps(self, index: int) -> int:
        return self.first_steps * 2 ** index


def search_cost(first: int, k: int, cost: Cost, batch: int, available: int, combine: bool) -> float:
    sizes = round_sizes(k)
    total = sum((size + 1) * arm_seconds(first * 2 ** r, cost, batch, available) for r, size in enumerate(sizes))
    return total + (arm_seconds(first * 2 ** (len(sizes) - 1), cost, batch, available) if combine else 0.0)


def plan_search(budget: float, cost: Cost, n: int, batch: int, available: int, *, combine: bool = False,
                min_steps: int = MIN_STEPS) -> SearchPlan:
    """Most strategies (ranked best first) whose halving fits ``budget`` with at least ``min_steps`` in
    round 0; then the most first-round steps.  Overruns with two strategies at ``min_steps`` when even
    that does not fit."""
    grid = [s for s in STEP_GRID if min_steps <= s <= MAX_FIRST_STEPS] or [min_steps]
    for k in range(n, 0, -1):
        for first in reversed(grid):
            seconds = search_cost(first, k, cost, batch, available, combine)
            if seconds <= budget:
                return SearchPlan(first, k, len(round_sizes(k)), seconds)
        if k <= 2:
            break
    k = min(n, 2)
    return SearchPlan(grid[0], k, len(round_sizes(k)), search_cost(grid[0], k, cost, batch, available, combine))


def keep_rows(n_rows: int, steps: int, batch_size: int) -> np.ndarray | None:
    """The training rows an arm of ``steps`` uses, as verification picks them (evenly spaced, in order)."""
    rows = rows_for(steps, batch_size, n_rows)
    if n_rows <= rows:
        return None
    return np.linspace(0, n_rows - 1, rows).astype(int)


# -- the search -------------------------------------------------------------------------
def _label(strategy: Strategy) -> str:
    return f"{strategy.code} {strategy.name}"


def _changes_head(edits) -> bool:
    return any(isinstance(e, SetLoss) or (isinstance(e, SetLayerArg) and e.arg == "units") for e in edits)


@dataclass
class _Arm:
    strategy: Strategy
    candidate: Candidate
    relabel: bool


def run_search(model: Any, spec: Any, findings: list, data: Data, evidence: Verification, *,
               fit_kwargs: dict | None, rule_candidates: list[Candidate], x: Any, y: Any, start: float,
               budget: float | None, steps: int | None, cost: Cost | None, seed: int, min_gain: float,
               executor: Any = "inprocess", workers: int | None = None, strategies: Any = None,
               max_strategies: int = MAX_STRATEGIES, progress: Progress | None = None) -> list[Candidate]:
    """Run the search when a symptom calls for it; returns the candidates it judged (their verdicts are
    appended to ``evidence.verdicts``) and leaves a :class:`SearchReport` in ``evidence.search``."""
    began = time.perf_counter()
    progress = progress or Progress(0)
    report = SearchReport(False, "")
    evidence.search = report
    accuracy = data.classes_val is not None
    batch = fit_settings(fit_kwargs)["batch_size"]
    suspected = probe_symptoms(spec.probe)
    original = (evidence.arms.get("original") or [None])[0]
    cured = [v for v in evidence.verdicts if v.accepted]
    after_cure = ""
    if cured:
        best = max(cured, key=lambda v: v.gain)
        arm = (evidence.arms.get(best.candidate) or [None])[0]
        left = arm_symptoms(arm, data, min_gain=min_gain) if arm else {}
        if TRIGGERS & set(left):
            after_cure = f"a rule's fix was confirmed ({best.candidate}), but its arm still shows the symptom"
        elif rate_evidence(findings, _losses(arm) if arm else []):
            after_cure = (f"a rule's fix was confirmed ({best.candidate}), but a learning-rate rule fired and "
                          "its arm's loss still falls steeply")
        else:
            report.reason = f"a rule's fix was confirmed ({best.candidate}) and its arm shows no symptom"
            return []
    if original is None and not suspected:
        report.reason = "the probe shows no symptom" if spec.probe is not None else \
            "no probe was run and no rule candidate was trained (pass probe=True)"
        return []
    pool = select_strategies(strategies) if not isinstance(strategies, list) or not strategies or \
        not isinstance(strategies[0], Strategy) else strategies
    cap = (budget or math.inf) * 3
    search_budget = None
    if steps is None:
        left_s = (budget or 60.0) - (time.perf_counter() - start)
        search_budget = max(left_s, MIN_SEARCH_SHARE * (budget or 60.0))
        if cost is None:
            cost = calibrate(model, data, fit_kwargs, seed)
    combine = bool(rule_candidates)
    everything = ranked(spec, set(SYMPTOMS), pool)  # for planning only: the final ranking needs the arm
    if steps is not None:
        plan = SearchPlan(steps, min(len(everything), max_strategies) or 1, 0, 0.0)
    else:
        plan = plan_search(search_budget, cost, max(1, min(len(everything), max_strategies)), batch, len(data.x),
                           combine=combine)
    executor_obj = make_executor(executor, data, workers)
    report.executor, report.workers = executor_obj.name, getattr(executor_obj, "workers", 1)
    originals: dict[int, ArmResult] = {}
    if original is not None and original.steps:
        originals[evidence.steps] = original

    def remaining_cap() -> float:
        return max(cap - (time.perf_counter() - start), 1.0)

    def arm_job(name, net, kwargs, arm_seed, arm_steps, relabel=False, tag=None) -> ArmJob:
        return ArmJob(name, net, kwargs, arm_seed, arm_steps, keep_rows(len(data.x), arm_steps, batch), relabel,
                      remaining_cap(), tag)

    said, started = _reporters(report, progress, data.metric)

    def train(jobs: list[ArmJob]) -> list[ArmResult]:
        return executor_obj.run(jobs, said, started)

    def original_at(arm_steps: int, arm_seed: int = seed) -> ArmResult:
        key = arm_steps if arm_seed == seed else -arm_steps
        if key not in originals:
            originals[key] = train([arm_job("original", model, fit_kwargs, arm_seed, arm_steps)])[0]
        return originals[key]

    try:
        first = plan.first_steps
        base_arm = originals.get(first) or original or original_at(first)
        shown = arm_symptoms(base_arm, data, min_gain=min_gain)
        triggers = TRIGGERS & set(shown)
        if not triggers:  # the source path's trigger too (``verify_src``): a rate rule fired, the loss still falls
            shown.update(rate_evidence(findings, _losses(base_arm)))
            triggers = set(shown) & {"still-falling"}
        report.symptoms = {**suspected, **shown}
        if not triggers:
            report.reason = (f"the original arm shows no symptom ({data.metric} {base_arm.score:.3f} after "
                             f"{base_arm.steps} steps)")
            report.symptoms = {k: v for k, v in report.symptoms.items() if k not in TRIGGERS}
            return []
        for name in TRIGGERS - triggers:
            report.symptoms.pop(name, None)  # the arm is the authority on these
        report.triggered = True
        why = after_cure or ("no rule's fix was confirmed" if rule_candidates else "no rule proposed a fix")
        report.reason = f"{', '.join(sorted(triggers))}; {why}"
        order = ranked(spec, report.symptoms, pool)
        report.ranked = [f"{_label(s)} (prior {prior(s.code, report.symptoms):.2f})" for s in order]
        if not order:
            report.notes.append("no strategy applies to this model for these symptoms")
            return []
        k = min(len(order), max_strategies, plan.strategies) if steps is None else min(len(order), max_strategies)
        report.not_tried = [_label(s) for s in order[k:]]
        progress.info(f"autofix search ({report.reason}): {k} strateg{'y' if k == 1 else 'ies'} of "
                      f"{len(order)}, round 0 at {first} steps, on {report.executor}")
        arms = _build(model, spec, order[:k], fit_kwargs, findings, report)
        alive = list(arms)
        winner: tuple[_Arm, Verdict, ArmResult] | None = None
        deadline = None if search_budget is None else began + 1.25 * search_budget
        round_index = 0
        while alive:
            round_steps = first * 2 ** round_index
            round_start = time.perf_counter()
            before = original_at(round_steps)
            results = train([arm_job(a.candidate.name, a.candidate.model, a.candidate.fit_kwargs, seed, round_steps,
                                     a.relabel, a.strategy.code) for a in alive])
            rnd = SearchRound(round_index, round_steps, rows_for(round_steps, batch, len(data.x)), before.score,
                              before.seconds, original_loss=_losses(before))
            report.rounds.append(rnd)
            judged = []
            for arm, result in zip(alive, results):
                verdict, trial = _trial(arm.strategy, arm.candidate.name, result, before, round_index, round_steps,
                                        data, evidence.n_val, min_gain)
                rnd.trials.append(trial)
                judged.append((arm, verdict, result, trial))
            rnd.seconds = time.perf_counter() - round_start
            usable = [j for j in judged if not j[2].error and math.isfinite(j[2].score)]
            for *_, trial in judged:
                if trial.error or not math.isfinite(trial.score):
                    trial.outcome, trial.reason = "failed", trial.error or "outputs not finite"
            if not usable:
                break
            usable.sort(key=lambda j: -j[2].score)  # stable: ties keep the prior ranking
            cured_now = [j for j in usable if j[1].accepted and not j[3].symptoms]
            last = len(usable) <= 2 or (deadline is not None and time.perf_counter() > deadline)
            if cured_now or last:
                pick = cured_now[0] if cured_now else usable[0]
                winner = (pick[0], pick[1], pick[2])
                for arm, verdict, result, trial in usable:
                    trial.outcome = "winner" if arm is pick[0] else "eliminated"
                    if arm is pick[0]:
                        trial.reason = verdict.reason
                if cured_now and not last:
                    report.notes.append(f"stopped after round {round_index}: {pick[0].candidate.name} cleared the "
                                        "noise margin and its arm no longer shows the symptom")
                if deadline is not None and time.perf_counter() > deadline and not cured_now and len(usable) > 2:
                    report.notes.append("stopped early: the search budget is spent")
                break
            keep = math.ceil(len(usable) / 2)
            for position, (_, _, _, trial) in enumerate(usable):
                trial.outcome = "advanced" if position < keep else "eliminated"
            alive = [j[0] for j in usable[:keep]]
            round_index += 1
        if winner is None:
            return []
        return _finish(winner, model, spec, data, evidence, report, rule_candidates, fit_kwargs, x, y, seed,
                       min_gain, accuracy, arm_job, train, original_at, budget, start, cost, batch)
    finally:
        executor_obj.close()
        report.seconds = time.perf_counter() - began


def _losses(arm: ArmResult) -> list[float]:
    return [float(v) for v in arm.history.get("loss", [])]


def _reporters(report: SearchReport, progress: Progress, metric: str):
    """The executor callbacks: count and show each finished arm, show each arm as it starts."""
    def said(job: ArmJob, result: ArmResult) -> None:
        report.arms += 1
        progress.done(job.name, seed=job.seed, steps=job.steps, metric=metric, score=result.score,
                      seconds=result.seconds, stage="search", error=result.error)

    def started(job: ArmJob) -> None:
        progress.start(job.name, seed=job.seed, steps=job.steps, stage="search")

    return said, started


def _trial(strategy: Strategy, name: str, result: ArmResult, before: ArmResult, round_index: int, steps: int,
           data: Data, n_val: int, min_gain: float) -> tuple[Verdict, Trial]:
    """A strategy's arm judged against the original's arm of its round."""
    verdict = judge(Verdict(name, [before.score], [result.score]), n_val, accuracy=data.classes_val is not None,
                    min_gain=min_gain)
    left = arm_symptoms(result, data, min_gain=min_gain)
    trial = Trial(strategy.code, strategy.name, round_index, steps, result.seed,
                  result.score, before.score, verdict.gain, verdict.margin, result.seconds,
                  symptoms=sorted(TRIGGERS & set(left)), error=result.error, loss=_losses(result))
    return verdict, trial


def _build(model, spec, strategies: list[Strategy], fit_kwargs, findings, report: SearchReport) -> list[_Arm]:
    arms = []
    for strategy in strategies:
        fix = strategy.fix(spec)
        try:
            rebuilt = apply_edits(model, fix.edits, fit_kwargs)
        except Exception as exc:  # a strategy the model cannot take: reported, not trained
            report.notes.append(f"{_label(strategy)} could not be applied: {type(exc).__name__}: {exc}"[:200])
            continue
        candidate = Candidate(_label(strategy), rebuilt.model, dict(rebuilt.fit_kwargs),
                              [(strategy.finding(report.symptoms), fix)], list(findings),
                              sorted(set(rebuilt.reinitialised_layers)), strategy.code)
        arms.append(_Arm(strategy, candidate, _changes_head(fix.edits)))
    return arms


def _finish(winner, model, spec, data, evidence: Verification, report: SearchReport, rule_candidates, fit_kwargs,
            x, y, seed, min_gain, accuracy, arm_job, train, original_at, budget, start, cost, batch
            ) -> list[Candidate]:
    """Record the winner's verdict (re-measured on ``seed + 1`` when ambiguous) and verify it combined with
    the rule fixes."""
    arm, verdict, result = winner
    steps_of_round = report.rounds[-1].steps
    out = [arm.candidate]
    report.winner = arm.candidate.name
    report.candidates.append(arm.candidate.name)
    evidence.record(result)
    evidence.descriptions[arm.candidate.name] = f"search: {arm.strategy.title}"
    if verdict.needs_second_seed and _room(budget, start, cost, steps_of_round, batch, len(data.x), 2):
        before2 = original_at(steps_of_round, seed + 1)
        again = train([arm_job(arm.candidate.name, arm.candidate.model, arm.candidate.fit_kwargs, seed + 1,
                               steps_of_round, arm.relabel)])[0]
        evidence.record(again)
        verdict.before.append(before2.score)
        verdict.after.append(again.score)
        judge(verdict, evidence.n_val, accuracy=accuracy, min_gain=min_gain)
        report.extra += [ArmRow("search", "original", seed + 1, steps_of_round, before2.score, None, before2.seconds,
                                "baseline (second seed)"),
                         ArmRow("search", arm.candidate.name, seed + 1, steps_of_round, again.score,
                                again.score - before2.score, again.seconds,
                                f"{'CONFIRMED' if verdict.accepted else 'not confirmed'}: {verdict.reason}")]
    elif verdict.reason == "ambiguous":
        verdict.reason = "gain within twice the noise margin (not re-measured: no budget left)"
    report.confirmed = verdict.accepted
    verdict.evidence.append(f"search winner after {len(report.rounds)} round(s), {steps_of_round} steps; compared "
                            f"with the original's arm of that round")
    evidence.verdicts.append(verdict)
    if rule_candidates:
        base = rule_candidates[0]
        combined = _combine(arm.strategy, base, spec, x, y, report)
        if combined is not None:
            relabel = base.changes_head or arm.relabel
            result2 = train([arm_job(combined.name, combined.model, combined.fit_kwargs, seed, steps_of_round,
                                     relabel)])[0]
            evidence.record(result2)
            evidence.descriptions[combined.name] = combined.describe()
            before = original_at(steps_of_round)
            v2 = judge(Verdict(combined.name, [before.score], [result2.score]), evidence.n_val, accuracy=accuracy,
                       min_gain=min_gain)
            if v2.reason == "ambiguous":
                v2.reason = "gain within twice the noise margin (not re-measured)"
            v2.evidence.append(f"search winner combined with the rule fixes, {steps_of_round} steps")
            evidence.verdicts.append(v2)
            report.combined = f"{combined.name}: {result2.score:.3f} ({'CONFIRMED' if v2.accepted else v2.reason})"
            report.candidates.append(combined.name)
            report.combined_candidate = combined.name
            report.extra.append(ArmRow("combined", combined.name, seed, steps_of_round, result2.score,
                                       result2.score - before.score, result2.seconds,
                                       f"{'CONFIRMED' if v2.accepted else 'not confirmed'}: {v2.reason}"))
            out.append(combined)
    return out


def measure_strategies(model: Any, spec: Any, findings: list, data: Data, *, fit_kwargs: dict | None, steps: int,
                       seed: int = 0, min_gain: float = 0.02, strategies: Any = None, executor: Any = "inprocess",
                       workers: int | None = None, progress: Progress | None = None) -> SearchReport:
    """Round 0 of the search without halving or early stop, to measure the strategies (priors).

    Trains the original arm for ``steps``; when it shows a triggering symptom, every strategy that applies
    to the symptoms seen (probe and arm) trains with the same seed, rows and steps, and is judged
    against that arm as the search judges it (:attr:`Trial.cured`).  One :class:`SearchRound`.
    """
    began, progress = time.perf_counter(), progress or Progress(0)
    batch = fit_settings(fit_kwargs)["batch_size"]
    report = SearchReport(False, "")
    pool = strategies if isinstance(strategies, list) and strategies and isinstance(strategies[0], Strategy) \
        else select_strategies(strategies)
    with make_executor(executor, data, workers) as executor_obj:
        report.executor, report.workers = executor_obj.name, getattr(executor_obj, "workers", 1)
        said, started = _reporters(report, progress, data.metric)
        keep = keep_rows(len(data.x), steps, batch)
        before = executor_obj.run([ArmJob("original", model, fit_kwargs, seed, steps, keep)], said, started)[0]
        shown = arm_symptoms(before, data, min_gain=min_gain)
        triggers = TRIGGERS & set(shown)
        # as in the search: the arm is the authority on the triggering symptoms
        report.symptoms = {k: v for k, v in {**probe_symptoms(spec.probe), **shown}.items()
                           if k not in TRIGGERS or k in triggers}
        rnd = SearchRound(0, steps, rows_for(steps, batch, len(data.x)), before.score, before.seconds,
                          original_loss=_losses(before))
        report.rounds.append(rnd)
        report.triggered = bool(triggers)
        report.reason = ", ".join(sorted(triggers)) or "the original arm shows no symptom"
        order = ranked(spec, report.symptoms, pool) if triggers else []
        report.ranked = [f"{_label(s)} (prior {prior(s.code, report.symptoms):.2f})" for s in order]
        arms = _build(model, spec, order, fit_kwargs, findings, report)
        results = executor_obj.run([ArmJob(a.candidate.name, a.candidate.model, a.candidate.fit_kwargs, seed, steps,
                                           keep, a.relabel, None, a.strategy.code) for a in arms], said, started)
        for arm, result in zip(arms, results):
            verdict, trial = _trial(arm.strategy, arm.candidate.name, result, before, 0, steps, data,
                                    len(data.x_val), min_gain)
            trial.outcome, trial.reason = ("failed", trial.error or "") if trial.error else \
                ("cured" if trial.cured else "not cured", verdict.reason)
            rnd.trials.append(trial)
    rnd.seconds = report.seconds = time.perf_counter() - began
    return report


def _room(budget, start, cost, steps, batch, available, arms: int) -> bool:
    if cost is None or not budget:
        return True
    left = (1 + MIN_SEARCH_SHARE) * budget - (time.perf_counter() - start)
    return left >= arms * arm_seconds(steps, cost, batch, available)


def _combine(strategy: Strategy, base: Candidate, spec, x, y, report: SearchReport) -> Candidate | None:
    """``base`` (a rule candidate) with ``strategy``'s edits, recomputed on ``base``'s own spec."""
    from ..live.extract import extract

    if base.data_edits:  # the search's arms all train on the caller's data
        report.notes.append(f"'{base.name}' changes the training data: not combined with {_label(strategy)}")
        return None
    try:
        base_spec = extract(base.model, x, y, base.fit_kwargs or None)
        base_spec.probe = spec.probe
        fix = strategy.fix(base_spec)
        if not fix.edits:
            report.notes.append(f"{_label(strategy)} has nothing to change on '{base.name}': no combination")
            return None
        rebuilt = apply_edits(base.model, fix.edits, base.fit_kwargs)
    except Exception as exc:
        report.notes.append(f"could not combine {_label(strategy)} with '{base.name}': "
                            f"{type(exc).__name__}: {exc}"[:200])
        return None
    return Candidate(f"{base.name} + {_label(strategy)}", rebuilt.model, dict(rebuilt.fit_kwargs),
                     [*base.applied, (strategy.finding(report.symptoms), fix)], list(base.remaining),
                     sorted({*base.reinitialised, *rebuilt.reinitialised_layers}), strategy.code)
