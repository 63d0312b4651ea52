"""``autofix-src --verify``: run the original and the rewritten script, report evidence per fix.

This is the only place where ``autofix-src`` runs user code, and only when
``--verify`` is given: both scripts run in subprocesses with ``fit()`` capped
(:func:`autofix.verify.scripts.verify_scripts`), and the final validation
metric of their Histories is compared with the verification noise margin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..source.pipeline import Result


def verify_rewrite(path: Path, result: Result, *, budget: float, echo: Callable[[str], None]) -> bool:
    """Verify ``result.fixed`` against the script at ``path``; print the evidence; True when confirmed."""
    from ..verify.scripts import verify_scripts
    from ..verify.symptoms import goal_of

    codes = [finding.code for finding, _ in result.applied]
    goal = goal_of(codes)
    echo(f"{path}: verifying {len(result.applied)} fix(es) by a capped run of the original and the "
         f"rewritten script (this runs your code; budget {budget:g} s)")
    evidence = verify_scripts(path, result.fixed, budget=budget, goal=goal)
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
