"""Human-readable findings: ``path:line:col: CODE [severity] message [*]``."""

from __future__ import annotations

from typing import Sequence

from ..source.check import Result


def render(results: Sequence[Result], mode: str = "check") -> str:
    """Findings, then a summary; fixes count as "fixed" only where they were written
    (``Result.written``): with ``mode="diff"`` the others are "in the diff"; the findings of fixes not
    written are listed and counted, since they are still in the file.  A fix
    that cannot be written into its script is named, with why, before the summary."""
    lines = [finding.render() for result in results for finding in result.in_file()]
    notes = [f"{finding.origin.render()}: {finding.code} fix not written: {reason}"
             for result in results for finding, reason in result.unwritable]
    fixed = sum(len(result.applied) for result in results if result.written)
    unwritten = sum(len(result.applied) for result in results if not result.written)
    remaining = len(lines)
    fixable = sum(f.fixable for r in results for f in r.findings) + unwritten
    if remaining or fixed or unwritten:
        summary = f"Found {remaining} finding{'s' if remaining != 1 else ''}"
        if fixable:
            summary += f" ({fixable} fixable with --fix; some may need --unsafe-fixes)"
        if fixed:
            summary += f"; fixed {fixed}"
        if unwritten:
            where = " in the diff" if mode == "diff" else ""
            summary += f"; {unwritten} fix{'es' if unwritten != 1 else ''}{where}, not written"
        if notes:
            summary += (f"; {len(notes)} fix{'es' if len(notes) != 1 else ''} cannot be written into the script "
                        "(reasons above)")
        lines.extend(notes)
        lines.append(summary + ".")
    return "\n".join(lines) + ("\n" if lines else "")
