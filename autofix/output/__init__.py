"""Report formats for ``autofix-src``: text, json, github, sarif, rdjson."""

from __future__ import annotations

from typing import Callable, Sequence

from ..source.check import Result
from . import machine, text

FORMATS: dict[str, Callable[[Sequence[Result]], str]] = {
    "text": text.render,
    "json": machine.json_report,
    "github": machine.github,
    "sarif": machine.sarif,
    "rdjson": machine.rdjson,
}


def render(fmt: str, results: Sequence[Result], mode: str = "check") -> str:
    """``results`` in format ``fmt``; ``mode`` (``check``, ``diff``, ``fix``) words the text summary."""
    if fmt == "text":
        return text.render(results, mode=mode)
    return FORMATS[fmt](results)
