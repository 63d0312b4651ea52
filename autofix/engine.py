"""Run rules over a spec and choose which fixes to apply.

Shared by the graph and source paths.  The engine is backend-agnostic: a
caller supplies ``extract`` (spec from the current state) and ``apply``
(apply chosen fixes, returning the new state) to :func:`fix_to_fixpoint`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Generic, Iterable, TypeVar

from .edits import touched_layers
from .findings import Applicability, Finding, Fix, Skip
from .rules import REGISTRY, Rule
from .spec import ModelSpec
from .values import is_known

State = TypeVar("State")


@dataclass
class Diagnosis:
    """Findings of one pass, and the rules skipped with their reasons."""

    findings: list[Finding] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)


def run_rules(spec: ModelSpec, rules: Iterable[Rule]) -> Diagnosis:
    """Run each rule; a rule that raises becomes a Skip (never a traceback)."""
    out = Diagnosis()
    for rule in rules:
        try:
            results = rule.run(spec)
        except Exception as exc:  # a rule bug must not hide other findings
            out.skips.append(Skip(rule.code, f"internal error in rule: {type(exc).__name__}: {exc}"))
            continue
        for item in results:
            (out.skips if isinstance(item, Skip) else out.findings).append(item)
    out.findings.sort(key=lambda f: (f.origin.line or 0, f.origin.col or 0, f.code))
    return out


def version_allows(rule_code: str, keras_version: object) -> bool:
    """Whether a rule's fix exists in ``keras_version`` (unknown versions pass)."""
    spec = REGISTRY[rule_code].keras_versions if rule_code in REGISTRY else None
    if not spec or not is_known(keras_version) or not keras_version:
        return True
    from packaging.specifiers import SpecifierSet  # lazily: checking a script never needs it
    from packaging.version import InvalidVersion, Version

    try:
        return Version(str(keras_version)) in SpecifierSet(spec)
    except InvalidVersion:
        return True


def fix_allowed(fix: Fix, *, unsafe: bool) -> bool:
    if fix.applicability == Applicability.DISPLAY_ONLY:
        return False
    return unsafe or fix.applicability == Applicability.SAFE


def choose_fixes(
    findings: Iterable[Finding],
    *,
    unsafe: bool,
    keras_version: object = None,
    fixable: Callable[[str], bool] = lambda code: True,
    prefer: dict[str, int] | None = None,
) -> list[tuple[Finding, Fix]]:
    """Pick one allowed fix per finding, skipping ones that overlap earlier picks.

    ``prefer`` maps a rule code to the index of the alternative to use
    (verification's choice); the default is each finding's first allowed fix.
    """
    chosen: list[tuple[Finding, Fix]] = []
    taken: set[str] = set()
    for finding in findings:
        if not fixable(finding.code) or not version_allows(finding.code, keras_version):
            continue
        options = list(finding.fixes)
        if prefer and finding.code in prefer and prefer[finding.code] < len(options):
            options.insert(0, options.pop(prefer[finding.code]))
        for fix in options:
            if not fix_allowed(fix, unsafe=unsafe):
                continue
            touched = set().union(*(touched_layers(e) for e in fix.edits)) if fix.edits else set()
            if touched & taken:
                break
            taken |= touched
            chosen.append((finding, fix))
            break
    return chosen


@dataclass
class FixpointResult(Generic[State]):
    """Final state, every applied (finding, fix), and the last diagnosis."""

    state: State
    applied: list[tuple[Finding, Fix]]
    remaining: Diagnosis
    passes: int
    spec: ModelSpec | None = None


def fix_to_fixpoint(
    state: State,
    extract: Callable[[State], ModelSpec],
    apply: Callable[[State, list[Fix]], State],
    rules: list[Rule],
    *,
    unsafe: bool,
    fixable: Callable[[str], bool] = lambda code: True,
    prefer: dict[str, int] | None = None,
    max_passes: int = 4,
    first: tuple[ModelSpec, Diagnosis] | None = None,
) -> FixpointResult[State]:
    """Apply non-overlapping fixes, re-extract, repeat until nothing applies.

    ``first`` reuses an already-computed spec and diagnosis of ``state``.
    """
    applied: list[tuple[Finding, Fix]] = []
    for passes in range(1, max_passes + 1):
        if first is not None:
            spec, diagnosis = first
            first = None
        else:
            spec = extract(state)
            diagnosis = run_rules(spec, rules)
        chosen = choose_fixes(
            diagnosis.findings, unsafe=unsafe, keras_version=spec.keras_version,
            fixable=fixable, prefer=prefer,
        )
        if not chosen:
            return FixpointResult(state, applied, diagnosis, passes, spec)
        state = apply(state, [fix for _, fix in chosen])
        applied.extend(chosen)
    spec = extract(state)
    return FixpointResult(state, applied, run_rules(spec, rules), max_passes, spec)
