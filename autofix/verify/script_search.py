"""``autofix-src --verify``'s strategy search: repairs no rule names, tried as script rewrites.

When no rule's fix was confirmed (or no rule fired) and the capped run of the
original shows that it does not learn (its task score from ``model.predict``
at chance, an R^2 at or below 0, or a loss that is not finite), the repair
strategies of :mod:`autofix.strategies` that apply to the script's model are
ranked by their priors for that symptom and tried in that order: each one's
edits are written into the script by the source backend and the rewrite is run
with the original's caps and seed, then judged against the original's run like
a rule fix (:func:`autofix.verify.scripts.verify_scripts`).  A learning-rate
rule's own display-only rate (AF302's in-range rate), when it raises the rate, is
tried first (the strategies reach only x10), and applied only when its run is confirmed.  The search stops at
the first strategy whose gain clears twice the noise margin and whose run no
longer shows the symptom, or when ``budget`` seconds are spent.  Every tried
strategy is reported with its score and time (:class:`ScriptSearch`).  No
Keras in this process: the scripts run in subprocesses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from ..edits import SetOptimizerArg
from ..findings import Applicability, Finding, Fix
from ..spec import Origin
from ..strategies import TRIGGERS, Strategy, prior, ranked
from ..strategies.base import SEARCH_ORIGIN, learning_rate, proposed_rate
from ..training._fit_hook import SCORE_KEY
from .progress import Progress, script_arm
from .scripts import ScriptRun, _compare, run_script
from .symptoms import falling_steeply
from .verdict import MIN_GAIN, Verdict, noise_margin


@dataclass
class ScriptTrial:
    """One strategy tried as a script rewrite: its run's score, the verdict, and the rewritten text."""

    strategy: Strategy
    seconds: float = 0.0
    score: float | None = None
    verdict: Verdict | None = None
    outcome: str = "not confirmed"  # "winner", "not confirmed", "failed", "not written"
    note: str = ""
    fixed: str = ""
    fix: Fix | None = None
    symptoms: dict[str, str] = field(default_factory=dict)
    #: The rewrite's capped run.
    run: ScriptRun | None = None

    def line(self) -> str:
        label = f"{self.strategy.code} {self.strategy.name}"
        score = f"score {self.score:.4g}" if self.score is not None else "no score"
        gain = f", gain {self.verdict.gain:+.4g} (margin {self.verdict.margin:.3g})" \
            if self.verdict is not None and math.isfinite(self.verdict.gain) else ""
        still = f"; still: {', '.join(self.symptoms)}" if self.symptoms else ""
        note = f": {self.note}" if self.note else ""
        return f"    {label}: {score}{gain}, {self.seconds:.1f} s, {self.outcome}{note}{still}"


@dataclass
class ScriptSearch:
    """What the search saw and tried; ``winner`` is the confirmed strategy's trial, if any."""

    symptoms: dict[str, str] = field(default_factory=dict)
    trials: list[ScriptTrial] = field(default_factory=list)
    not_tried: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def winner(self) -> ScriptTrial | None:
        return next((t for t in self.trials if t.outcome == "winner"), None)

    def summary_lines(self) -> list[str]:
        if not self.trials and self.reason:
            return [f"  strategy search not run: {self.reason}"]
        lines = [f"  strategy search for {', '.join(self.symptoms)}: {len(self.trials)} strategy(ies) tried"]
        lines += [trial.line() for trial in self.trials]
        if self.winner:
            lines.append(f"  confirmed strategy: {self.winner.strategy.code} {self.winner.strategy.title}")
        elif self.trials:
            lines.append("  no strategy beat the original by more than the noise margin")
        if self.not_tried:
            lines.append(f"  not tried ({self.reason or 'budget spent'}): {', '.join(self.not_tried)}")
        return lines


class RuleFix(Strategy):
    """A rule's fix tried as a search trial, credited to the rule's finding when its run wins.

    Two uses: a learning-rate rule's display-only rate (AF302's in-range rate,
    which it cannot apply unverified: :func:`rule_rates`), and a confirmed fix's
    refinement (an alternative fix that holds the fix's edits and more:
    :func:`refinements`).
    """

    def __init__(self, finding: Finding, fix: Fix, why: str, rate: float | None = None):
        self.code, self.name, self.title = finding.code, finding.name, f"{fix.title} ({why})"
        self._finding, self._edits, self._rate = finding, tuple(fix.edits), rate

    def applies(self, spec: Any, symptoms: Any) -> bool:
        """A rate trial (``rate``: the rule's rate) only raises the rate (the ranked strategies divide it by
        10 and 100, but multiply it by 10 only: a rate 1000x too low is out of their reach); a refinement
        always applies."""
        if self._rate is None:
            return True
        current = learning_rate(spec)
        return current is not None and self._rate > current

    def edits(self, spec: Any) -> list:
        return list(self._edits)

    def fix(self, spec: Any) -> Fix:
        return Fix(self.title, self._edits, Applicability.UNSAFE)

    def finding(self, symptoms: Any) -> Finding:
        return self._finding


def rule_rates(findings: list[Finding], rules: dict) -> list[Strategy]:
    """A :class:`RuleFix` trial for the first finding of a rule that searches the learning rate
    (``searches_learning_rate``) and proposes one (a ``SetOptimizerArg("learning_rate", ...)`` fix)."""
    for finding in findings:
        proposed = proposed_rate(finding) if getattr(rules.get(finding.code), "searches_learning_rate", False) \
            else None
        if proposed is not None:
            return [RuleFix(finding, proposed[0], "the rule's rate, confirmed by verification", rate=proposed[1])]
    return []


def refinements(applied: list[tuple[Finding, Fix]], allowed: Any) -> list[tuple[Fix, RuleFix]]:
    """(applied fix, trial) for each applied fix whose finding has an ``allowed`` alternative holding all
    of the fix's edits and more (AF304's momentum reset that also scales the learning rate): written on
    top of the rewrite, the alternative changes only what it adds."""
    out = []
    for finding, fix in applied:
        for other in finding.fixes:
            if other is not fix and allowed(other) and set(fix.edits) < set(other.edits):
                out.append((fix, RuleFix(finding, other, "an alternative fix, confirmed by verification")))
                break
    return out


def run_symptoms(run: ScriptRun, *, min_gain: float = MIN_GAIN) -> dict[str, str]:
    """The triggering symptoms a capped run shows, with their evidence: ``no-learning`` (task score at
    chance, or R^2 <= 0) and ``diverging`` (a loss that is not finite, or grew by half)."""
    out: dict[str, str] = {}
    losses = (run.histories[-1].get("loss") or []) if run.histories else []
    if losses and (not all(math.isfinite(v) for v in losses) or (len(losses) > 1 and losses[-1] > 1.5 * losses[0])):
        out["diverging"] = f"loss {losses[0]:.3g} -> {losses[-1]:.3g}"
    score = run.score()
    if "value" not in score:
        return out
    value, where = score["value"], score["rows"]
    if score["metric"] == "r2":
        if value <= 0.0:
            out["no-learning"] = f"R^2 {value:.3f} <= 0 on {where}"
        return out
    chance = score.get("chance")
    if chance is not None:
        margin = noise_margin(chance, value, score["n"], accuracy=True, min_gain=min_gain)
        if value <= chance + margin:
            out["no-learning"] = f"accuracy {value:.3f} on {where}, chance {chance:.3f}"
    return out


def model_spec(code: str, path: str, observed: dict[str, Any] | None, keras_version: Any = None):
    """The script's model that the run's first fit() call trained, with the run's data facts; or the
    reason there is none."""
    from ..source.check import Result, _attacher, match_observed, parse
    from ..source.extract import extract_tree
    from ..source.text import SourceText

    if not observed:
        return "the run recorded no fit() call"
    specs = extract_tree(parse(code, path), SourceText(code, path), keras_version)
    index, why = match_observed(specs, observed)
    if index is None:
        return why
    _attacher(observed, Result(path, code, code))(specs)
    return specs[index]


def _rewrite(code: str, spec: Any, strategy: Strategy) -> tuple[str | None, str]:
    """``code`` with the strategy's edits written in, or None and why not."""
    from ..source.check import _parse_tree
    from ..source.rewrite import apply_edits, check_applicable

    edits = strategy.edits(spec)
    tree = _parse_tree(code)
    why = check_applicable(tree, spec, edits)
    if why is not None:
        return None, str(why)
    fixed = apply_edits(tree, [(spec, edits)]).code
    if fixed == code:
        return None, "the rewrite leaves the script unchanged"
    try:
        compile(fixed, "<rewrite>", "exec")
    except SyntaxError as exc:
        return None, f"the rewrite does not compile ({exc.msg})"
    return fixed, ""


def last_losses(run: ScriptRun) -> list[float]:
    """The per-epoch loss of the run's last fit() call ([] when it recorded none)."""
    return (run.histories[-1].get("loss") or []) if run.histories else []


def still_falling(run: ScriptRun) -> str | None:
    """:func:`~autofix.verify.symptoms.falling_steeply` on the loss of the run's last fit() call."""
    return falling_steeply(last_losses(run))


def search_script(path: str, code: str, original: ScriptRun, *, budget: float, min_gain: float = MIN_GAIN,
                  keras_version: Any = None, strategies: list[Strategy] | None = None,
                  progress: Progress | None = None, also: dict[str, str] | None = None,
                  leading: list[Strategy] | None = None) -> ScriptSearch:
    """Try the strategies that apply to the script's model for the original run's symptoms (see the
    module docstring); each rewrite runs with the caps of :func:`~autofix.verify.scripts.run_script`'s
    defaults and ``budget / 2`` as its timeout, all within ``budget`` seconds (each run shown as an
    arm of ``progress``).  ``also`` adds symptoms the caller has evidence for (they trigger the search
    too); ``code`` may already hold unconfirmed rule fixes, each trial is still judged against
    ``original``.  ``leading`` strategies are tried first, before the ranked ones (a learning-rate
    rule's own rate: :func:`rule_rates`)."""
    report = ScriptSearch(symptoms={**run_symptoms(original, min_gain=min_gain), **(also or {})})
    if not (TRIGGERS | set(also or ())) & set(report.symptoms):
        score = original.score()
        shown = (f"{score['metric']} {score['value']:.3f} on {score['rows']}" if "value" in score
                 else score.get("skipped", "no task score"))
        report.reason = f"the original run shows no symptom that calls for it ({shown})"
        return report
    spec = model_spec(code, path, original.facts[0] if original.facts else None, keras_version)
    if isinstance(spec, str):
        report.reason = f"no model of the script to rewrite ({spec})"
        return report
    first = [s for s in leading or [] if s.applies(spec, report.symptoms)]
    order = [*first, *ranked(spec, report.symptoms, strategies)]
    if not order:
        report.reason = "no strategy applies to this model for these symptoms"
        return report
    spent = 0.0
    for index, strategy in enumerate(order):
        if spent + original.seconds > budget:  # the next run would take about as long as the original's
            report.not_tried = [f"{s.code} (prior {prior(s.code, report.symptoms):.2f})" for s in order[index:]]
            report.reason = f"the budget of {budget:g} s is spent"
            break
        trial = _try(path, code, spec, strategy, original, budget=budget, min_gain=min_gain, progress=progress)
        report.trials.append(trial)
        spent += trial.seconds
        if trial.outcome == "winner":
            break
    return report


def _try(path: str, code: str, spec: Any, strategy: Strategy, original: ScriptRun, *, budget: float,
         min_gain: float, progress: Progress | None = None) -> ScriptTrial:
    trial = ScriptTrial(strategy, fix=strategy.fix(spec))
    fixed, why = _rewrite(code, spec, strategy)
    if fixed is None:
        trial.outcome, trial.note = "not written", why
        return trial
    run = script_arm(progress, f"{strategy.code} {strategy.name}",
                     lambda: run_script(path, source=fixed, label=strategy.code, budget=budget / 2), stage="search")
    trial.seconds, trial.fixed, trial.score, trial.run = run.seconds, fixed, run.final(SCORE_KEY), run
    metric, trial.verdict = _compare(original, run, min_gain)
    trial.symptoms = {k: v for k, v in run_symptoms(run, min_gain=min_gain).items() if k in TRIGGERS}
    if run.returncode != 0:
        tail = run.stderr_tail.strip().splitlines()
        trial.outcome, trial.note = "failed", tail[-1] if tail else f"exit {run.returncode}"
    elif metric != SCORE_KEY or trial.verdict is None:
        trial.note = "no comparable score from predict"
    elif trial.verdict.accepted and trial.verdict.gain > 2 * trial.verdict.margin and not trial.symptoms:
        trial.outcome = "winner"
    else:
        trial.note = trial.verdict.reason
    return trial


def credited(trial: ScriptTrial, path: str, symptoms: dict[str, str]) -> tuple[Finding, Fix]:
    """The (finding, fix) pair that credits a winning strategy in the script's result."""
    finding = trial.strategy.finding(symptoms)
    return (replace(finding, origin=Origin(path=path)) if finding.origin == SEARCH_ORIGIN else finding), trial.fix
