"""Check and fix one script's text: parse, extract, run rules, rewrite to a fixpoint."""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .. import suppress
from ..engine import choose_fixes, run_rules
from ..findings import Finding, Fix, Skip
from ..rules.base import Rule
from ..values import UNKNOWN

#: A script needs libcst only when it imports Keras (checked with a regex first).
_IMPORTS_KERAS = re.compile(r"^[ \t]*(?:from|import)[ \t]+(?:tensorflow|keras|tf_keras)\b", re.MULTILINE)

MAX_PASSES = 4


class SourceError(Exception):
    """A script that cannot be read or parsed (``line`` is 1-based, or None)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass
class Result:
    """Findings left in a script, the fixes applied, and the new text if it changed."""

    path: str
    original: str
    fixed: str
    findings: list[Finding] = field(default_factory=list)
    applied: list[tuple[Finding, Fix]] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def installed_keras_version() -> Any:
    """The installed Keras version (read from package metadata, never imported)."""
    try:
        return importlib.metadata.version("keras")
    except importlib.metadata.PackageNotFoundError:
        return UNKNOWN


def needs_libcst(code: str) -> bool:
    """Cheap pre-filter: a script that never imports Keras/TensorFlow has nothing to check."""
    return "keras" in code and _IMPORTS_KERAS.search(code) is not None


def parse(code: str):
    import libcst as cst  # imported lazily: start-up stays fast for files without Keras

    try:
        return cst.parse_module(code)
    except cst.ParserSyntaxError as exc:
        raise SourceError(f"syntax error: {exc.message}", exc.raw_line) from None
    except (RecursionError, MemoryError) as exc:  # pathological nesting
        raise SourceError(f"cannot parse: {type(exc).__name__}") from None


def _diagnose(module, path: str, rules: Sequence[Rule], keras_version: Any):
    import libcst as cst

    from ..extract.source import extract_module

    wrapper = cst.MetadataWrapper(module, unsafe_skip_copy=True)
    specs = extract_module(wrapper, path, keras_version)
    table = suppress.directives(module.code)
    found: list[tuple[Any, list[Finding], list[Skip]]] = []
    for spec in specs:
        diagnosis = run_rules(spec, rules)
        findings = [f for f in diagnosis.findings if not suppress.suppressed(f, table)]
        found.append((spec, findings, diagnosis.skips))
    return found


def check_source(
    code: str,
    path: str,
    rules: Sequence[Rule],
    *,
    fix: bool = False,
    unsafe: bool = False,
    keras_version: Any = None,
    fixable: Callable[[str], bool] = lambda code: True,
) -> Result:
    """Findings in ``code``; with ``fix``, the rewritten text too (to a fixpoint).

    Raises :class:`SourceError` for unparsable input or when a rewrite would not
    compile (the original is then left alone).
    """
    result = Result(path, code, code)
    if not needs_libcst(code) or suppress.skip_file(code):
        return result
    from ..backends.source import apply_edits, check_applicable

    version = installed_keras_version() if keras_version is None else keras_version
    module = parse(code)
    for passes in range(MAX_PASSES + 1):
        found = _diagnose(module, path, rules, version)
        result.findings = sorted((f for _, fs, _ in found for f in fs),
                                 key=lambda f: (f.origin.line or 0, f.origin.col or 0, f.code))
        result.skips = [s for _, _, ss in found for s in ss]
        if not fix or passes == MAX_PASSES:
            break
        batches, chosen = [], []
        for spec, findings, _ in found:
            picks = [(f, x) for f, x in choose_fixes(findings, unsafe=unsafe, keras_version=version,
                                                      fixable=fixable)
                     if check_applicable(module, spec, x.edits) is None]
            if picks:
                batches.append((spec, [e for _, x in picks for e in x.edits]))
                chosen.extend(picks)
        if not chosen:
            break
        module = apply_edits(module, batches)
        result.applied.extend(chosen)
    result.fixed = module.code
    if result.changed:
        try:
            compile(result.fixed, path, "exec")
        except SyntaxError as exc:  # a backend bug must never corrupt a script
            raise SourceError(f"internal error: the rewrite does not compile ({exc.msg}); file left unchanged",
                              exc.lineno) from None
    return result
