"""``autofix-src --verify``: run the original and the rewritten script, report evidence per fix.

This is the only place where ``autofix-src`` runs user code, and only when
``--verify`` is given: both scripts run in subprocesses with ``fit()`` capped
(:func:`autofix.verify.scripts.verify_scripts`), and the task scores from
``model.predict`` after their last fit() call (else a History metric) are
compared with the verification noise margin.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

from ..source.check import Result


def progress_printer(verbose: int):
    """The :class:`~autofix.verify.progress.Progress` that shows --verify's capped runs as arms, on stderr
    (stdout may carry ``--format json``)."""
    from ..verify.progress import Progress

    return Progress(verbose, sys.stderr)


def run_original(path: Path, *, budget: float, echo: Callable[[str], None], progress: Any = None):
    """The capped run of the original script: its Histories, and its first fit() call's data facts.

    Made once per script; :func:`verify_rewrite` compares the rewritten script
    against it. It gets half of ``budget`` (the rewritten script the other half).
    ``progress`` (a :class:`~autofix.verify.progress.Progress`) shows each capped run as an arm.
    """
    from ..verify.progress import script_arm
    from ..verify.scripts import run_script

    echo(f"{path}: running the original script with fit() capped to measure its data and training "
         f"(this runs your code; budget {budget:g} s)")
    return script_arm(progress, "original", lambda: run_script(path, budget=budget / 2))


def describe_data(observed: dict) -> str:
    """One line for the data facts the start-up hook recorded."""
    data = observed.get("data") or {}
    shape = (data.get("n_samples"), *(data.get("x_shape") or ()))
    text = (f"x {tuple(shape)} in [{data.get('x_min', 0):.4g}, {data.get('x_max', 0):.4g}], "
            f"mean {data.get('x_mean', 0):.4g}, std {data.get('x_std', 0):.3g}")
    if data.get("label_kind"):
        text += f"; labels {data['label_kind']}"
        if data.get("label_sorted"):
            text += " (sorted)"
    return text


def verify_rewrite(path: Path, result: Result, *, budget: float, echo: Callable[[str], None],
                   original_run=None, progress: Any = None) -> tuple[bool, Any]:
    """Verify ``result.fixed`` against the script at ``path``; print the evidence; return whether it is
    confirmed and the rewritten script's capped run.

    ``original_run`` (from :func:`run_original`) reuses the capped run of the
    original script that measured its data.
    """
    from ..verify.progress import as_progress, script_done
    from ..verify.scripts import verify_scripts
    from ..verify.symptoms import goal_of

    codes = [finding.code for finding, _ in result.applied]
    goal = goal_of(codes)
    echo(f"{path}: verifying {len(result.applied)} fix(es) by a capped run of the original and the "
         f"rewritten script (this runs your code; budget {budget:g} s)")
    original_run = original_run or run_original(path, budget=budget, echo=echo, progress=progress)
    progress = as_progress(progress)
    progress.start("rewritten", stage="script")
    evidence = verify_scripts(path, result.fixed, budget=budget, goal=goal, original_run=original_run)
    script_done(progress, evidence.rewritten)
    confirmed = bool(evidence.verdict and evidence.verdict.accepted)
    mark = "confirmed" if confirmed else "not confirmed"
    for finding, fix in result.applied:
        where = f"{finding.origin.line}:{finding.origin.col or 0}" if finding.origin.line else "-"
        echo(f"  {where} {finding.code} {finding.name}: {fix.title} [{mark}]")
    for line in evidence.summary_lines():
        echo(line)
    for run in (evidence.original, evidence.rewritten):
        if run.returncode != 0 and run.stderr_tail:
            echo(f"  {run.label} failed: {run.stderr_tail.strip().splitlines()[-1]}")
    return confirmed, evidence.rewritten


def search_repair(path: Path, result: Result, *, budget: float, unsafe: bool, echo: Callable[[str], None],
                  original_run, progress: Any = None, on_rewrite: bool = False) -> bool:
    """Search the repair strategies when a capped run does not learn
    (:func:`autofix.verify.script_search.search_script`); print every trial; return True on a confirmed one.

    By default (no confirmed rule fix) the search starts from the original script and a winner replaces
    ``result``'s rewrite (credited to its AS code).  With ``on_rewrite`` (a confirmed rule rewrite whose
    run, ``original_run``, still shows the symptom) it starts from ``result.fixed`` and a winner is added
    to the confirmed rule fixes.  A learning-rate rule's own display-only rate is the first trial
    (:func:`~autofix.verify.script_search.rule_rates`); when it wins it is applied, credited to that finding.
    """
    from ..source.check import installed_keras_version
    from ..rules import REGISTRY
    from ..verify.script_search import credited, rule_rates, run_symptoms, search_script

    if on_rewrite and unsafe and refine(path, result, budget=budget, echo=echo, rewritten_run=original_run,
                                        progress=progress):
        return True
    symptoms, also = run_symptoms(original_run), _rate_evidence(result, original_run)
    falling = _falling_after_fixes(original_run) if on_rewrite and not also else {}
    if falling:  # the confirmed fixes learn, slowly: a short run's R^2 <= 0 is not "no learning"
        symptoms.pop("no-learning", None)
        also = falling
    start = result.fixed if on_rewrite or also else result.original
    symptoms.update(also)
    if not symptoms:
        return False
    seen = "; ".join(f"{name} ({why})" for name, why in symptoms.items())
    which = "the rewritten script's run still shows" if on_rewrite else "the original run shows"
    if not unsafe:
        echo(f"{path}: {which} {seen}; repair strategies change the model: pass "
             "--unsafe-fixes to search them")
        return False
    echo(f"{path}: {which} {seen}; searching repair strategies by capped runs of rewritten "
         f"scripts (this runs your code; budget {budget:g} s)")
    report = search_script(str(path), start, original_run, budget=budget, keras_version=installed_keras_version(),
                           progress=progress, also=also,
                           leading=rule_rates(result.findings, REGISTRY))
    for line in report.summary_lines():
        echo(line)
    winner = report.winner
    if winner is not None and on_rewrite:  # on top of a confirmed rewrite: the gain must last (not a head start)
        if _rejudge(path, result.fixed, winner, original_run, budget=budget, echo=echo) != "winner":
            echo(f"{path}: {winner.strategy.code} not kept: its gain over the confirmed rewrite did not last "
                 "on longer runs")
            return False
    if winner is None:
        return False
    pair = credited(winner, str(path), report.symptoms)
    result.findings = [f for f in result.findings if f is not pair[0]]  # a rule's rate, now applied
    if on_rewrite or also:  # the winner was written on top of the rule fixes
        result.fixed, result.applied = winner.fixed, [*result.applied, pair]
        return True
    result.findings.extend(finding for finding, _ in result.applied)  # unconfirmed rule fixes stay findings
    result.fixed, result.applied = winner.fixed, [pair]
    return True


def refine(path: Path, result: Result, *, budget: float, echo: Callable[[str], None], rewritten_run,
           progress: Any = None) -> bool:
    """After a confirmed rewrite: each applied fix's refinement (an unsafe alternative holding the fix's
    edits and more, :func:`~autofix.verify.script_search.refinements`) is written on top of the rewrite
    and run; the first whose run beats ``rewritten_run`` by twice the noise margin replaces its fix.
    True when one did."""
    from ..engine import fix_allowed
    from ..source.check import installed_keras_version
    from ..verify.script_search import _try, model_spec, refinements
    from ..verify.verdict import MIN_GAIN

    trials = refinements(result.applied, lambda fx: fix_allowed(fx, unsafe=True))
    if not trials or rewritten_run.returncode != 0:
        return False
    spec = model_spec(result.fixed, str(path), rewritten_run.facts[0] if rewritten_run.facts else None,
                      installed_keras_version())
    if isinstance(spec, str):
        return False
    for fix, strategy in trials:
        trial = _try(str(path), result.fixed, spec, strategy, rewritten_run, budget=budget, min_gain=MIN_GAIN,
                     progress=progress)
        echo(f"{path}: against the confirmed rewrite's run, {strategy.code} {strategy.title}:")
        echo(trial.line())
        if trial.verdict is not None and trial.verdict.reason == "ambiguous" and trial.outcome != "failed":
            trial.outcome = _rejudge(path, result.fixed, trial, rewritten_run, budget=budget, echo=echo)
        if trial.outcome == "winner":
            result.fixed = trial.fixed
            result.applied = [(f, trial.fix if fx is fix else fx) for f, fx in result.applied]
            return True
    return False


def _rejudge(path: Path, rewrite: str, trial, rewritten_run, *, budget: float, echo: Callable[[str], None]) -> str:
    """An ambiguous refinement re-judged as ``verify_scripts`` re-judges a fix
    (:func:`~autofix.verify.scripts.rejudge`); ``"winner"`` when the refinement's gain is accepted."""
    from ..verify.scripts import rejudge
    from ..verify.verdict import MIN_GAIN

    again = rejudge(path, (rewrite, trial.fixed), (rewritten_run, trial.run), budget=budget, min_gain=MIN_GAIN,
                    labels=("rewritten-again", "refined-again"))
    if again is None:
        return trial.outcome
    _, verdict, _, how = again
    accepted = verdict is not None and verdict.accepted
    echo(f"    re-judged on {how}: {verdict.reason if verdict else 'no comparable score'} "
         f"({'confirmed' if accepted else 'not confirmed'})")
    return "winner" if accepted else "not confirmed"


def _falling_after_fixes(rewritten_run: Any) -> dict[str, str]:
    """``{"still-falling": why}`` when the confirmed rewrite's capped run stopped with its loss still falling
    steeply: the rule fixes helped, but the training they leave is still too slow (a low rate, too few
    updates), so the search goes on from the rewrite."""
    from ..verify.script_search import still_falling

    why = still_falling(rewritten_run)
    return {"still-falling": f"{why} after the confirmed fixes"} if why else {}


def _rate_evidence(result: Result, run: Any) -> dict[str, str]:
    """``{"still-falling": why}`` when a learning-rate rule fired statically (its rate is display-only
    until verified) and the capped run stopped with its loss still falling steeply: the search then
    starts from the rule rewrite (unconfirmed, or confirmed and ``run`` is its run: a fix confirmed by
    non-inferiority, AF203 on Keras 3's TensorFlow backend, leaves the rate's symptom as it was), and
    each trial is judged against ``run``."""
    from ..verify.script_search import last_losses
    from ..verify.symptoms import rate_evidence

    return rate_evidence(result.findings, last_losses(run))
