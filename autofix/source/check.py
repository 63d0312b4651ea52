"""Check and fix one script's text: parse, extract, run rules, rewrite to a fixpoint."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

from .. import suppress
from ..engine import Diagnosis, choose_fixes, finding_order, fix_to_fixpoint, run_rules
from ..findings import Finding, Fix, Skip
from ..rules.base import FACTS, Rule
from ..values import UNKNOWN, is_known

#: A script is checked only when it imports Keras (a regex decides before parsing).
#: ``import numpy as np, keras`` counts too (any name of a multi-name import).
_IMPORTS_KERAS = re.compile(
    r"^[ \t]*(?:from[ \t]+|import[ \t]+(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*)(?:tensorflow|keras|tf_keras)\b",
    re.MULTILINE)

#: Why data rules (AF401-AF404) are skipped on a script: only a run can see the data.
NO_DATA = "training data is not visible in the source (autofix-src --verify measures it in a capped run)"


def match_observed(specs: Sequence[Any], observed: dict[str, Any]) -> tuple[int | None, str]:
    """Which extracted model the first fit() call of a run trained: (index in ``specs``, why not).

    ``observed`` is what the start-up hook of ``autofix-src --verify`` recorded
    (:attr:`autofix.verify.scripts.ScriptRun.facts`): the model's layer class
    names. Among the models with a ``fit()`` call in the script, the one whose
    layer classes (Input layers aside) are the same is chosen; failing that, the
    only model with a fit() call and as many layers. Anything else is ambiguous.
    """
    fitted = [i for i, spec in enumerate(specs) if getattr(spec, "fit_call", None) is not None and spec.layers]
    if not fitted:
        return None, "no fit() call on a model the script builds visibly"
    seen = [name for name in observed.get("layers") or [] if name != "InputLayer"]
    body = {i: [layer.class_name for layer in specs[i].layers if layer.class_name != "InputLayer"] for i in fitted}
    same = [i for i in fitted if body[i] == seen]
    if len(same) == 1:
        return same[0], ""
    if not same and len(fitted) == 1 and len(body[fitted[0]]) == len(seen):
        return fitted[0], ""
    return None, (f"the first fit() call trained a model of {len(seen)} layers that matches "
                  f"{len(same) or 'none'} of the {len(fitted)} model(s) with a fit() call in the script")


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
    #: With data facts from a run (``observed``): the matched model's name, or why none matched.
    data_model: str | None = None
    data_note: str = ""
    #: True once the fixed text was written (to the file, or to stdout for ``-``).
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def installed_keras_version() -> Any:
    """The installed Keras version (read from package metadata, never imported)."""
    import importlib.metadata  # lazily: only choosing fixes needs the version

    try:
        return importlib.metadata.version("keras")
    except importlib.metadata.PackageNotFoundError:
        return UNKNOWN


def imports_keras(code: str) -> bool:
    """Cheap pre-filter: a script that never imports Keras/TensorFlow has nothing to check."""
    return "keras" in code and _IMPORTS_KERAS.search(code) is not None


def parse(code: str, path: str):
    """Parse with stdlib ``ast`` (checking never needs libcst)."""
    from .extract import parse as ast_parse

    try:
        return ast_parse(code, path)
    except SyntaxError as exc:
        raise SourceError(f"syntax error: {exc.msg}", exc.lineno) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, pathological nesting
        raise SourceError(f"cannot parse: {exc if isinstance(exc, ValueError) else type(exc).__name__}") from None


def _diagnose(code: str, path: str, rules: Sequence[Rule], keras_version: Any,
              attach: Callable[[list], None] | None = None) -> list[tuple[Any, Diagnosis]]:
    """Each model of the script with its diagnosis (suppressed findings dropped)."""
    from .extract import extract_tree
    from .text import SourceText

    specs = extract_tree(parse(code, path), SourceText(code, path), keras_version)
    if attach is not None:
        attach(specs)
    diagnoses = [(spec, run_rules(spec, rules)) for spec in specs]
    for _, diagnosis in diagnoses:
        diagnosis.skips[:] = [replace(s, reason=NO_DATA) if s.reason == FACTS["data"] else s
                              for s in diagnosis.skips]
    table = suppress.directives(code) if any(d.findings for _, d in diagnoses) else {}
    for _, diagnosis in diagnoses:
        diagnosis.findings[:] = [f for f in diagnosis.findings if not suppress.suppressed(f, table)]
    return diagnoses


def _parse_tree(code: str):
    """The libcst tree the rewriter edits (a SourceError if libcst cannot parse it)."""
    import libcst as cst

    from ._plan import SourceTree

    try:
        return SourceTree.parse(code)
    except cst.ParserSyntaxError as exc:
        raise SourceError(f"syntax error: {exc.message}", exc.raw_line) from None
    except (RecursionError, MemoryError) as exc:  # pathological nesting
        raise SourceError(f"cannot parse: {type(exc).__name__}") from None


def _rewriter(unsafe: bool, version: Any, fixable: Callable[[str], bool]):
    """The fix loop's ``apply`` for a script's text: one pass's fixes as one libcst rewrite.

    The engine picked fixes from every finding; here the ones the script's
    shape cannot take are dropped first (an alternative fix is picked when the
    first cannot be written), then the rest are written together.  libcst is
    imported only when some finding has a fix to choose.
    """
    def apply(code: str, picks: list) -> tuple[str, list]:
        from .rewrite import apply_edits, check_applicable

        tree = _parse_tree(code)
        batches, chosen = [], []
        for spec, findings, _ in picks:
            usable = [replace(f, fixes=tuple(x for x in f.fixes if check_applicable(tree, spec, x.edits) is None))
                      for f in findings]
            again = choose_fixes(usable, unsafe=unsafe, keras_version=version, fixable=fixable)
            if again:
                batches.append((spec, [e for _, x in again for e in x.edits]))
                chosen.extend(again)
        if not chosen:
            return code, []
        return apply_edits(tree, batches).code, chosen

    return apply


def check_source(
    code: str,
    path: str,
    rules: Sequence[Rule],
    *,
    fix: bool = False,
    unsafe: bool = False,
    keras_version: Any = None,
    fixable: Callable[[str], bool] = lambda code: True,
    observed: dict[str, Any] | None = None,
) -> Result:
    """Findings in ``code``; with ``fix``, the rewritten text too (to a fixpoint).

    ``observed`` is what a capped run of the script recorded at its first
    ``fit()`` call (``autofix-src --verify``; see :func:`match_observed`): its
    data facts fill ``spec.data`` of the matched model, so the data rules
    (AF401-AF404) run and their fixes are rewritten into the script, and fit()
    settings the source leaves opaque (``batch_size=bs``) take the values the
    run received.

    Raises :class:`SourceError` for unparsable input or when a rewrite would not
    compile (the original is then left alone).
    """
    result = Result(path, code, code)
    if not imports_keras(code) or suppress.skip_file(code):
        return result
    version = keras_version
    if version is None:  # only the choice of fixes depends on it: checking skips the metadata read
        version = installed_keras_version() if fix else UNKNOWN
    attach = _attacher(observed, result) if observed else None
    diagnose = lambda text: _diagnose(text, path, rules, version, attach)  # noqa: E731
    diagnoses = diagnose(code)
    fixed = code
    if fix:
        outcome = fix_to_fixpoint(code, diagnose, _rewriter(unsafe, version, fixable), unsafe=unsafe,
                                  keras_version=version, fixable=fixable, first=diagnoses)
        fixed, diagnoses, result.applied = outcome.state, outcome.diagnoses, outcome.applied
    result.findings = sorted((f for _, d in diagnoses for f in d.findings), key=finding_order)
    result.skips = [s for _, d in diagnoses for s in d.skips]
    result.fixed = fixed
    if result.changed:
        try:
            compile(result.fixed, path, "exec")
        except SyntaxError as exc:  # a backend bug must never corrupt a script
            raise SourceError(f"internal error: the rewrite does not compile ({exc.msg}); file left unchanged",
                              exc.lineno) from None
    return result


def _attacher(observed: dict[str, Any], result: Result) -> Callable[[list], None]:
    """Sets ``spec.data`` on the model ``observed`` matches, chosen on the first pass.

    Rewrites add or change layers but never models, so later passes reuse the
    first pass's index (the layer classes no longer match after AF402 inserts
    a Normalization layer).
    """
    from ..data import data_from_json

    data = data_from_json(observed["data"]) if observed.get("data") else None
    chosen: list[int | None] = []

    def attach(specs: list) -> None:
        if data is None:
            return
        if not chosen:
            index, why = match_observed(specs, observed)
            chosen.append(index)
            result.data_model, result.data_note = (specs[index].name, "") if index is not None else (None, why)
        index = chosen[0]
        if index is None or index >= len(specs):
            return
        spec = specs[index]
        spec.data = data
        for key, value in (observed.get("fit") or {}).items():
            if hasattr(spec.fit, key) and not is_known(getattr(spec.fit, key)):
                setattr(spec.fit, key, value)

    return attach
