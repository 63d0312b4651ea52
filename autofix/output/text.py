"""Human-readable findings: ``path:line:col: CODE [severity] message [*]``."""

from __future__ import annotations

from typing import Sequence

from ..source.pipeline import Result


def render(results: Sequence[Result]) -> str:
    lines = [finding.render() for result in results for finding in result.findings]
    fixed = sum(len(result.applied) for result in results)
    remaining = len(lines)
    fixable = sum(f.fixable for r in results for f in r.findings)
    if remaining or fixed:
        summary = f"Found {remaining} finding{'s' if remaining != 1 else ''}"
        if fixable:
            summary += f" ({fixable} fixable with --fix; some may need --unsafe-fixes)"
        if fixed:
            summary += f"; fixed {fixed}"
        lines.append(summary + ".")
    return "\n".join(lines) + ("\n" if lines else "")
