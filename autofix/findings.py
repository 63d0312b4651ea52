"""Findings, fixes, severities and applicabilities."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from .edits import Edit, edit_to_dict
from .spec import Origin


class Severity(str, enum.Enum):
    """How bad a finding is."""

    ERROR = "error"  #: the model cannot learn as configured
    WARNING = "warning"  #: likely harmful
    INFO = "info"  #: advice


class Applicability(str, enum.Enum):
    """How safe a fix is to apply without review (ruff's vocabulary)."""

    SAFE = "safe"  #: restores evident intent, parameter shapes unchanged
    UNSAFE = "unsafe"  #: changes architecture or training dynamics
    DISPLAY_ONLY = "display_only"  #: a heuristic suggestion, never applied automatically


@dataclass(frozen=True)
class Fix:
    """A set of edits that together repair one finding."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "applicability": self.applicability.value,
            "edits": [edit_to_dict(e) for e in self.edits],
        }


@dataclass(frozen=True)
class Finding:
    """One diagnosed problem.

    ``fixes`` holds alternatives, best first; the engine applies the first one
    unless verification picks another.
    """

    code: str
    name: str
    message: str
    severity: Severity
    origin: Origin
    fixes: tuple[Fix, ...] = ()
    layers: tuple[str, ...] = field(default=())

    @property
    def fix(self) -> Fix | None:
        return self.fixes[0] if self.fixes else None

    @property
    def fixable(self) -> bool:
        return any(f.applicability != Applicability.DISPLAY_ONLY for f in self.fixes)

    def to_dict(self) -> dict[str, Any]:
        o = self.origin
        return {
            "rule": self.code,
            "name": self.name,
            "message": self.message,
            "severity": self.severity.value,
            "path": o.path,
            "line": o.line,
            "col": o.col,
            "end_line": o.end_line,
            "end_col": o.end_col,
            "layer": o.layer,
            "fixable": self.fixable,
            "applicability": self.fix.applicability.value if self.fix else None,
            "fixes": [f.to_dict() for f in self.fixes],
        }

    def render(self) -> str:
        mark = " [*]" if self.fixable else ""
        return f"{self.origin.render()}: {self.code} [{self.severity.value}] {self.message}{mark}"


@dataclass(frozen=True)
class Skip:
    """A rule that did not run, and why (a fact it needs is not visible)."""

    code: str
    reason: str
