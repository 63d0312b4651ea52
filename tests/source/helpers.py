"""Shared helpers for the source-path tests."""

from __future__ import annotations

from autofix.rules import REGISTRY, select_rules
from autofix.source.check import Result, check_source
from autofix.testing import PRELUDE

__all__ = ["PRELUDE", "run", "run_example", "source_examples"]


def run(code: str, *, fix: bool = False, unsafe: bool = True, select=None, keras_version="3.15.1",
        path: str = "train.py", observed: dict | None = None) -> Result:
    return check_source(code, path, select_rules(select), fix=fix, unsafe=unsafe, keras_version=keras_version,
                        observed=observed)


def run_example(snippet: str, **kwargs) -> tuple[Result, str]:
    """Run a rule example with the prelude; return the result and the fixed snippet."""
    result = run(PRELUDE + snippet, **kwargs)
    assert result.fixed.startswith(PRELUDE)
    return result, result.fixed[len(PRELUDE):]


def needs_run(code: str, example) -> bool:
    """A graph-only example of a data rule: the source path sees it with a capped run's data facts."""
    return example.graph_only and "data" in REGISTRY[code].requires and "probe" not in REGISTRY[code].requires


def source_examples(kind: str):
    """(code, index, example) for every example the source path can check (data examples with a run)."""
    for code, cls in sorted(REGISTRY.items()):
        for index, example in enumerate(getattr(cls, kind)):
            if not example.graph_only or needs_run(code, example):
                yield code, index, example
