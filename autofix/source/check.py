"""Check and fix one script's text: parse, extract, run rules, rewrite to a fixpoint."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

from .. import suppress
from ..engine import Diagnosis, choose_fixes, finding_order, fix_allowed, fix_to_fixpoint, run_rules
from ..edits import ChangeData
from ..findings import Finding, Fix, Skip
from ..rules.base import FACTS, Rule
from ..values import UNKNOWN, is_known
from .names import snippet_uses_keras  # a pasted snippet that never imports Keras is checked too

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
    #: Findings whose fixes cannot be written into this script (their fixes are dropped
    #: from ``findings``, so they are not counted as fixable), each with the reason.
    unwritable: list[tuple[Finding, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def in_file(self) -> list[Finding]:
        """The findings still in the file: those left after the fixes, and those of fixes not written
        (a dry run: ``--diff``, ``--verify`` without ``--fix``, or a fix verification refused)."""
        return [*self.findings, *([] if self.written else [finding for finding, _ in self.applied])]


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
    from .script_index import parse as ast_parse

    try:
        return ast_parse(code, path)
    except SyntaxError as exc:
        raise SourceError(f"syntax error: {exc.msg}", exc.lineno) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, pathological nesting
        raise SourceError(f"cannot parse: {exc if isinstance(exc, ValueError) else type(exc).__name__}") from None


def _ambiguous(spec: Any, diagnosis: Diagnosis, unwritable: dict[tuple, str]) -> None:
    """Drop the fixes that edit a layer by a name two layers of the model share (``name='x'`` in
    both branches of an if/else): the edit cannot say which call to change, so it is never
    offered as fixable; ``unwritable`` gets why, by finding."""
    from ..edits import touched_layers

    counts: dict[str, int] = {}
    for layer in spec.layers:
        counts[layer.qualname] = counts.get(layer.qualname, 0) + 1
    shared = {name for name, count in counts.items() if count > 1}
    if not shared:
        return
    for index, finding in enumerate(diagnosis.findings):
        names = sorted({n for fix in finding.fixes for e in fix.edits for n in touched_layers(e)} & shared)
        if names:
            unwritable[_key(finding)] = (f"two or more layers of this model are named {names[0]!r} (one per "
                                         "branch?): the fix cannot tell which call to edit; edit it by hand")
            diagnosis.findings[index] = replace(finding, fixes=())


def _diagnose(code: str, path: str, rules: Sequence[Rule], keras_version: Any,
              attach: Callable[[list], None] | None = None,
              unwritable: dict[tuple, str] | None = None) -> list[tuple[Any, Diagnosis]]:
    """Each model of the script with its diagnosis (suppressed findings dropped; fixes that
    cannot name their layer dropped, with why in ``unwritable``)."""
    from .extract import extract_tree
    from .text import SourceText

    specs = extract_tree(parse(code, path), SourceText(code, path), keras_version)
    if attach is not None:
        attach(specs)
    diagnoses = [(spec, run_rules(spec, rules)) for spec in specs]
    for spec, diagnosis in diagnoses:
        diagnosis.skips[:] = [replace(s, reason=NO_DATA) if s.reason == FACTS["data"] else s
                              for s in diagnosis.skips]
        diagnosis.skips.extend(Skip("model", note) for note in spec.skipped)  # what the extractor could not read
    table = suppress.directives(code) if any(d.findings for _, d in diagnoses) else {}
    for spec, diagnosis in diagnoses:
        diagnosis.findings[:] = [f for f in diagnosis.findings if not suppress.suppressed(f, table)]
        if unwritable is not None:
            _ambiguous(spec, diagnosis, unwritable)
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


def _key(finding: Finding) -> tuple:
    """A finding's identity across passes of the fix loop."""
    return finding.code, finding.origin.line, finding.origin.col, finding.message


class _Rewriter:
    """The fix loop's ``apply`` for a script's text: one pass's fixes as one libcst rewrite.

    The engine picked fixes from every finding; here the ones the script's
    shape cannot take are dropped first (an alternative fix is picked when the
    first cannot be written), then the rest are written together.  libcst is
    imported only when some finding has a fix to choose.

    ``unwritable`` collects, by finding, why its fix cannot be written: no
    alternative applies to this script, or a fix was written and the same
    finding came back (the rewrite did not change what the rule reads, e.g. two
    layers of one name in an if/else).  Such a finding is not picked again.
    """

    def __init__(self, unsafe: bool, version: Any, fixable: Callable[[str], bool]):
        self.unsafe, self.version, self.fixable = unsafe, version, fixable
        self.unwritable: dict[tuple, str] = {}
        self.written: set[tuple] = set()
        #: True once a fix changed the script's data code: data measured by a run of the original is stale.
        self.data_changed = False

    def __call__(self, code: str, picks: list) -> tuple[str, list]:
        from .rewrite import apply_edits, check_applicable

        tree = _parse_tree(code)
        batches, chosen = [], []
        for spec, findings, _ in picks:
            usable = []
            for finding in findings:
                key = _key(finding)
                if key in self.written:
                    self.unwritable.setdefault(key, "the fix was written but the finding remains (the rewrite "
                                                    "does not reach what the rule reads)")
                if key in self.unwritable:
                    continue
                reasons = {id(x): check_applicable(tree, spec, x.edits) for x in finding.fixes}
                kept = tuple(x for x in finding.fixes if reasons[id(x)] is None)
                allowed = [x for x in finding.fixes if fix_allowed(x, unsafe=self.unsafe)]
                if allowed and not any(reasons[id(x)] is None for x in allowed):
                    self.unwritable[key] = "; ".join(dict.fromkeys(str(reasons[id(x)]) for x in allowed))
                usable.append(replace(finding, fixes=kept))
            again = choose_fixes(usable, unsafe=self.unsafe, keras_version=self.version, fixable=self.fixable)
            if again:
                batches.append((spec, [e for _, x in again for e in x.edits]))
                chosen.extend(again)
        if not chosen:
            return code, []
        fixed = apply_edits(tree, batches).code
        if fixed == code:  # nothing the edits asked for changed the text
            for finding, _ in chosen:
                self.unwritable.setdefault(_key(finding), "the rewrite leaves the script unchanged")
            return code, []
        self.written.update(_key(finding) for finding, _ in chosen)
        self.data_changed |= any(isinstance(edit, ChangeData) for _, x in chosen for edit in x.edits)
        return fixed, chosen


def _rewriter(unsafe: bool, version: Any, fixable: Callable[[str], bool]) -> _Rewriter:
    return _Rewriter(unsafe, version, fixable)


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
    from .script_index import shared_trees

    with shared_trees():  # each text of the fix loop is parsed by ``ast`` once
        return _check(code, path, rules, fix, unsafe, keras_version, fixable, observed)


def _check(code: str, path: str, rules: Sequence[Rule], fix: bool, unsafe: bool, keras_version: Any,
           fixable: Callable[[str], bool], observed: dict[str, Any] | None) -> Result:
    result = Result(path, code, code)
    if not (imports_keras(code) or snippet_uses_keras(code)) or suppress.skip_file(code):
        return result
    version = keras_version
    if version is None:  # only the choice of fixes depends on it: checking skips the metadata read
        version = installed_keras_version() if fix else UNKNOWN
    rewriter = _rewriter(unsafe, version, fixable) if fix else None
    stale = lambda: rewriter is not None and rewriter.data_changed  # noqa: E731 - a data fix was written
    attach = _attacher(observed, result, stale) if observed else None
    ambiguous: dict[tuple, str] = {}
    diagnose = lambda text: _diagnose(text, path, rules, version, attach, ambiguous)  # noqa: E731
    diagnoses = diagnose(code)
    fixed = code
    if rewriter is not None:
        outcome = fix_to_fixpoint(code, diagnose, rewriter, unsafe=unsafe,
                                  keras_version=version, fixable=fixable, first=diagnoses)
        fixed, diagnoses, result.applied = outcome.state, outcome.diagnoses, outcome.applied
        if rewriter.unwritable:  # a fix "applied" again and again was never written: do not count it
            result.applied = [(f, x) for f, x in result.applied if _key(f) not in rewriter.unwritable]
    result.findings = sorted((f for _, d in diagnoses for f in d.findings), key=finding_order)
    if rewriter is not None and rewriter.unwritable:
        findings = []
        for finding in result.findings:
            reason = rewriter.unwritable.get(_key(finding))
            if reason is not None and finding.fixable:
                finding = replace(finding, fixes=())
                result.unwritable.append((finding, reason))
            findings.append(finding)
        result.findings = findings
    result.unwritable.extend((f, ambiguous[_key(f)]) for f in result.findings if _key(f) in ambiguous)
    result.skips = [s for _, d in diagnoses for s in d.skips]
    result.fixed = fixed
    if result.changed:
        from .script_index import parse as ast_tree

        try:  # the last pass of the fix loop parsed the fixed text: its tree is compiled
            compile(ast_tree(result.fixed, path), path, "exec")
        except SyntaxError as exc:  # a backend bug must never corrupt a script
            raise SourceError(f"internal error: the rewrite does not compile ({exc.msg}); file left unchanged",
                              exc.lineno) from None
    return result


def _attacher(observed: dict[str, Any], result: Result,
              stale: Callable[[], bool] = lambda: False) -> Callable[[list], None]:
    """Sets ``spec.data`` on the model ``observed`` matches, chosen on the first pass; once ``stale()``
    (a fix changed the script's data code) the script's own static data facts are read instead.

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
        if not stale():
            # the facts only the script's text shows outlive the run's: splits preprocessed apart (AF410) and
            # rows reordered apart (AF411; a run sees the arrays, not the order they came in)
            static = spec.data
            spec.data = replace(data, split_mismatch=static.split_mismatch,
                                shuffled_apart=static.shuffled_apart) if static is not None else data
        for key, value in (observed.get("fit") or {}).items():
            if hasattr(spec.fit, key) and not is_known(getattr(spec.fit, key)):
                setattr(spec.fit, key, value)

    return attach
