"""Machine-readable formats: JSON, GitHub annotations, SARIF 2.1.0 and reviewdog rdjson."""

from __future__ import annotations

import difflib
import json
from typing import Any, Sequence

from ..findings import Finding, Severity
from ..rules import REGISTRY
from ..source.check import Result

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _findings(results: Sequence[Result]):
    """Every finding still in the files (also those whose fix a dry run or verification did not write)."""
    return [(r, f) for r in results for f in r.in_file()]


def json_report(results: Sequence[Result]) -> str:
    reasons = {id(f): why for r in results for f, why in getattr(r, "unwritable", ())}
    out = [dict(finding.to_dict(), **({"unwritable": reasons[id(finding)]} if id(finding) in reasons else {}))
           for _, finding in _findings(results)]
    return json.dumps(out, indent=2, default=str) + "\n"


def _escape(text: str, props: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if props else text


def github(results: Sequence[Result]) -> str:
    lines = []
    for _, f in _findings(results):
        o = f.origin
        props = (f"file={_escape(o.path or '', True)},line={o.line or 1},col={o.col or 1},"
                 f"endLine={o.end_line or o.line or 1},endColumn={o.end_col or o.col or 1},"
                 f"title={_escape(f'{f.code} {f.name}', True)}")
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {props}::{_escape(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def _region(f: Finding) -> dict[str, int]:
    o = f.origin
    return {"startLine": o.line or 1, "startColumn": o.col or 1,
            "endLine": o.end_line or o.line or 1, "endColumn": o.end_col or o.col or 1}


def sarif(results: Sequence[Result]) -> str:
    rules = [{"id": code, "name": cls.name, "shortDescription": {"text": cls.doc().splitlines()[0]},
              "helpUri": f"https://autofix.invalid/rules/{code}"} for code, cls in sorted(REGISTRY.items())]
    runs = [{
        "tool": {"driver": {"name": "autofix-src", "informationUri": "https://autofix.invalid", "rules": rules}},
        "results": [{
            "ruleId": f.code,
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": f.origin.path},
                                                "region": _region(f)}}],
        } for _, f in _findings(results)],
    }]
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": runs}, indent=2) + "\n"


def hunks(original: str, fixed: str) -> list[dict[str, Any]]:
    """Replaced line ranges of ``original`` (1-based, inclusive start) and their new text."""
    a, b = original.splitlines(keepends=True), fixed.splitlines(keepends=True)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            out.append({"start": i1 + 1, "end": i2 + 1, "text": "".join(b[j1:j2])})
    return out


def _rdjson_diag(f: Finding, suggestions: list[dict[str, Any]]) -> dict[str, Any]:
    o = f.origin
    return {
        "message": f.message,
        "location": {"path": o.path, "range": {"start": {"line": o.line or 1, "column": o.col or 1},
                                               "end": {"line": o.end_line or o.line or 1,
                                                       "column": o.end_col or o.col or 1}}},
        "severity": f.severity.value.upper() if f.severity != Severity.INFO else "INFO",
        "code": {"value": f.code},
        "suggestions": suggestions,
    }


def rdjson(results: Sequence[Result]) -> str:
    """reviewdog diagnostics; fixed findings carry the rewrite as suggestions."""
    diagnostics = []
    for result in results:
        pending = hunks(result.original, result.fixed) if result.changed else []
        for finding, _ in result.applied:
            mine = [h for h in pending if h["start"] <= (finding.origin.end_line or 0) + 1
                    and (finding.origin.line or 0) <= max(h["end"], h["start"])] or pending[:1]
            pending = [h for h in pending if h not in mine]
            diagnostics.append(_rdjson_diag(finding, [
                {"range": {"start": {"line": h["start"], "column": 1}, "end": {"line": h["end"], "column": 1}},
                 "text": h["text"]} for h in mine]))
        diagnostics.extend(_rdjson_diag(f, []) for f in result.findings)
    return json.dumps({"source": {"name": "autofix-src"}, "severity": "WARNING",
                       "diagnostics": diagnostics}, indent=2) + "\n"
