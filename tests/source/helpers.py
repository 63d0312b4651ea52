"""Shared helpers for the source-path tests."""

from __future__ import annotations

from autofix.rules import REGISTRY, select_rules
from autofix.source.check import Result, check_source

#: Rule examples may use these names; the source tests prepend this prelude.
PRELUDE = "import keras\nfrom keras import layers\nimport numpy as np\n"


def run(code: str, *, fix: bool = False, unsafe: bool = True, select=None, keras_version="3.15.1",
        path: str = "train.py") -> Result:
    return check_source(code, path, select_rules(select), fix=fix, unsafe=unsafe, keras_version=keras_version)


def run_example(snippet: str, **kwargs) -> tuple[Result, str]:
    """Run a rule example with the prelude; return the result and the fixed snippet."""
    result = run(PRELUDE + snippet, **kwargs)
    assert result.fixed.startswith(PRELUDE)
    return result, result.fixed[len(PRELUDE):]


def source_examples(kind: str):
    """(code, index, example) for every example the source path can check."""
    for code, cls in sorted(REGISTRY.items()):
        for index, example in enumerate(getattr(cls, kind)):
            if not example.graph_only:
                yield code, index, example
