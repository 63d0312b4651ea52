"""Models followed through the code people write: functions, classes, loops, comprehensions.

Each script in ``corpus_structured/`` builds, compiles or fits its model through
one of those structures and declares the findings it must give in a
``# expect: AF201 AF501`` header; its flat twin ``<name>.flat.py`` writes the same
model top to bottom and must give the same findings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autofix.source.extract import extract_source
from helpers import run

FOLDER = Path(__file__).parent / "corpus_structured"
SCRIPTS = sorted(p for p in FOLDER.glob("*.py") if not p.name.endswith(".flat.py"))


def expected(path: Path) -> list[str]:
    match = re.match(r"# expect:([^\n]*)\n", path.read_text())
    assert match, f"{path.name} has no '# expect:' header"
    return sorted(match.group(1).split())


def found(path: Path) -> list[str]:
    """The codes found (a loop's one call site reports once where its flat twin has several)."""
    return sorted({f.code for f in run(path.read_text(), path=path.name).findings})


def test_corpus_is_large_enough():
    assert len(SCRIPTS) >= 20
    assert all(p.with_name(p.stem + ".flat.py").exists() for p in SCRIPTS)


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_structured_script_findings_match_header_and_flat_twin(path):
    codes = found(path)
    assert codes == expected(path), [f.render() for f in run(path.read_text()).findings]
    twin = path.with_name(path.stem + ".flat.py")
    assert expected(twin) == expected(path)
    assert codes == found(twin)


def _unpacked_lines(code: str) -> set[int]:
    """Lines of the values compile()/fit() read from a ``**settings`` dict (a fix edits them there)."""
    lines = set()
    for spec in extract_source(code):
        for call, origins in ((spec.compile_call, spec.compile.arg_origins if spec.compile else {}),
                              (spec.fit_call, spec.fit.arg_origins)):
            lines.update(o.line for o in origins.values() if call is None or not call.line <= o.line <= call.end_line)
    return lines


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_structured_script_fixes_edit_the_real_calls(path):
    """Every fix is written where its finding points, and the rewritten script is clean."""
    code = path.read_text()
    result = run(code, fix=True, unsafe=True, path=path.name)
    # a fix that would replace a variable by a literal is not written: reported with why, never inlined
    refused = {(f.code, f.origin.line) for f, why in result.unwritable if "does not replace a variable" in why}
    fixable = [f for f in run(code, path=path.name).findings if f.fixable and (f.code, f.origin.line) not in refused]
    if not fixable:
        return
    assert result.changed
    before, after = code.splitlines(), result.fixed.splitlines()
    if len(before) == len(after):
        lines = {i + 1 for i, (a, b) in enumerate(zip(before, after)) if a != b}
        # a value read from a parameter default or a module constant is changed where it is written
        written = {i + 1 for i, line in enumerate(before) if re.match(r"(def \w+\(|[A-Za-z_]\w* = )", line)}
        assert ({f.origin.line for f in fixable} | _unpacked_lines(code) | written) & lines, (
            sorted(lines), [f.render() for f in fixable])
    left = {f.code for f in result.findings}
    assert not left & {f.code for f in fixable}, [f.render() for f in result.findings]
