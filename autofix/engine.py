"""Run rules over a spec and choose which fixes to apply.

Shared by the live and source paths.  The engine is backend-agnostic: a
caller supplies ``diagnose`` (specs and their diagnoses from the current
state) and ``apply`` (apply chosen fixes, returning the new state) to
:func:`fix_to_fixpoint`, the one fix-to-fixpoint loop.
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
#: Passes of the fix loop: a rewrite that enables another fix gets applied on the next pass.
MAX_PASSES = 4


def finding_order(finding: Finding) -> tuple:
    """Most relevant position first: by line, column, then code."""
    return finding.origin.line or 0, finding.origin.col or 0, finding.code


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
    out.findings.sort(key=finding_order)
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
    """Final state, every applied (finding, fix), and the last diagnosis of each spec."""

    state: State
    applied: list[tuple[Finding, Fix]]
    diagnoses: list[tuple[ModelSpec, Diagnosis]]
    passes: int

    @property
    def remaining(self) -> Diagnosis:
        """The last pass's findings (most relevant position first) and skips, all specs together."""
        merged = Diagnosis()
        for _, diagnosis in self.diagnoses:
            merged.findings.extend(diagnosis.findings)
            merged.skips.extend(diagnosis.skips)
        merged.findings.sort(key=finding_order)
        return merged

    @property
    def spec(self) -> ModelSpec | None:
        """The (first) spec of the final state."""
        return self.diagnoses[0][0] if self.diagnoses else None


#: ``diagnose(state)``: the state's specs, each with its diagnosis.
Diagnose = Callable[[State], list[tuple[ModelSpec, Diagnosis]]]
#: ``apply(state, picks)``: the new state and the (finding, fix) pairs it applied (an
#: empty list when none could be applied; the loop then stops).  Each pick is
#: ``(spec, its findings, the fixes chosen for them)``: a backend that cannot write
#: a chosen fix may choose again among the findings.
Pick = tuple[ModelSpec, list[Finding], list[tuple[Finding, Fix]]]
Apply = Callable[[State, list[Pick]], tuple[State, list[tuple[Finding, Fix]]]]


def with_rules(extract: Callable[[State], ModelSpec], rules: list[Rule]) -> Diagnose:
    """A :data:`Diagnose` for a state with one spec: extract it, run ``rules``."""
    def diagnose(state: State) -> list[tuple[ModelSpec, Diagnosis]]:
        spec = extract(state)
        return [(spec, run_rules(spec, rules))]

    return diagnose


def fix_to_fixpoint(
    state: State,
    diagnose: Diagnose,
    apply: Apply,
    *,
    unsafe: bool,
    keras_version: object = None,
    fixable: Callable[[str], bool] = lambda code: True,
    prefer: dict[str, int] | None = None,
    max_passes: int = MAX_PASSES,
    first: list[tuple[ModelSpec, Diagnosis]] | None = None,
) -> FixpointResult[State]:
    """Apply non-overlapping fixes, re-diagnose, repeat until nothing applies (at most ``max_passes``).

    Both paths use this loop: the live path's state is a rebuilt model, the
    source path's the script's text.  ``first`` reuses an already-computed
    diagnosis of ``state``; ``keras_version`` (default: each spec's own)
    decides which version-limited fixes exist.
    """
    applied: list[tuple[Finding, Fix]] = []
    diagnoses = first if first is not None else diagnose(state)
    for passes in range(1, max_passes + 1):
        picks = [(spec, d.findings, choose_fixes(d.findings, unsafe=unsafe, fixable=fixable, prefer=prefer,
                                                 keras_version=spec.keras_version if keras_version is None
                                                 else keras_version))
                 for spec, d in diagnoses]
        picks = [pick for pick in picks if pick[2]]
        if not picks:
            return FixpointResult(state, applied, diagnoses, passes)
        state, done = apply(state, picks)
        if not done:
            return FixpointResult(state, applied, diagnoses, passes)
        applied.extend(done)
        diagnoses = diagnose(state)
    return FixpointResult(state, applied, diagnoses, max_passes)
