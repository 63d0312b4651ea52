"""Suppression comments: ``# autofix: ignore[AF201]``, ``# noqa: AF201``, ``# autofix: skip-file``.

A bare ``# autofix: ignore`` or ``# noqa`` silences every rule on its line. A
finding is silenced when a directive sits on any line of its source range.
"""

from __future__ import annotations

import re

from .findings import Finding

ALL = frozenset({"*"})
_SKIP_FILE = re.compile(r"#\s*autofix:\s*skip-file\b")
_IGNORE = re.compile(r"#\s*(?:autofix:\s*ignore|noqa)(?:\s*\[([^\]]*)\]|:\s*([A-Z0-9, ]+))?", re.IGNORECASE)


def skip_file(code: str) -> bool:
    return _SKIP_FILE.search(code) is not None


def directives(code: str) -> dict[int, frozenset[str]]:
    """Line number (1-based) -> silenced codes (``ALL`` for every rule)."""
    out: dict[int, frozenset[str]] = {}
    if "#" not in code:
        return out
    for number, line in enumerate(code.splitlines(), start=1):
        match = _IGNORE.search(line) if "#" in line else None
        if match:
            codes = match.group(1) or match.group(2)
            out[number] = frozenset(c.strip().upper() for c in codes.split(",") if c.strip()) if codes else ALL
    return out


def suppressed(finding: Finding, table: dict[int, frozenset[str]]) -> bool:
    origin = finding.origin
    if origin.line is None:
        return False
    for line in range(origin.line, (origin.end_line or origin.line) + 1):
        codes = table.get(line)
        if codes and (codes is ALL or "*" in codes or any(finding.code.startswith(c) for c in codes)):
            return True
    return False
