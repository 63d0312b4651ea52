"""``autofix-src --verify``: run the original and the rewritten script, report evidence per fix.

This is the only place where ``autofix-src`` runs user code, and only when
``--verify`` is given: both scripts run in subprocesses with ``fit()`` capped
(:func:`autofix.verify.scripts.verify_scripts`), and the final validation
metric of their Histories is compared with the verification noise margin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..source.check import Result


def run_original(path: Path, *, budget: float, echo: Callable[[str], None]):
    """The capped run of the original script: its Histories, and its first fit() call's data facts.

    Made once per script; :func:`verify_rewrite` compares the rewritten script
    against it. It gets half of ``budget`` (the rewritten script the other half).
    """
    from ..verify.scripts import run_script

    echo(f"{path}: running the original script with fit() capped to measure its data and training "
         f"(this runs your code; budget {budget:g} s)")
    return run_script(path, budget=budget / 2)


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
                   original_run=None) -> bool:
    """Verify ``result.fixed`` against the script at ``path``; print the evidence; True when confirmed.

    ``original_run`` (from :func:`run_original`) reuses the capped run of the
    original script that measured its data.
    """
    from ..verify.scripts import verify_scripts
    from ..verify.symptoms import goal_of

    codes = [finding.code for finding, _ in result.applied]
    goal = goal_of(codes)
    echo(f"{path}: verifying {len(result.applied)} fix(es) by a capped run of the original and the "
         f"rewritten script (this runs your code; budget {budget:g} s)")
    evidence = verify_scripts(path, result.fixed, budget=budget, goal=goal, original_run=original_run)
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
    return confirmed
