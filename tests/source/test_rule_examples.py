"""Every rule's VALID/INVALID example that the source path can see, through the source path.

Fixit-strict: an INVALID example's finding must carry its ``message`` fragment
at its ``line``, and its rewrite must equal ``fixed`` (``fixed_source`` where
the paths differ); a rule that rewrites an example without a ``fixed`` fails.
Examples that only data reveals run with the data facts a capped run records
(as ``autofix-src --verify`` attaches them).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from autofix.testing import snippet_line
from helpers import needs_run, run_example, source_examples

INVALID = list(source_examples("INVALID"))
VALID = list(source_examples("VALID"))


def _param(code, index, example):
    marks = [pytest.mark.keras] if needs_run(code, example) else []
    return pytest.param(code, index, example, id=f"{code}-{index}", marks=marks)


def _observed(code, example):
    if not needs_run(code, example):
        return None
    pytest.importorskip("keras")
    from autofix.testing import observed_run

    return observed_run(example.code)


@pytest.mark.parametrize("code,index,example", [_param(*case) for case in INVALID])
def test_invalid_detected_and_fixed(code, index, example):
    observed = _observed(code, example)
    result, _ = run_example(example.code, select=[code], observed=observed)
    found = [f for f in result.findings if f.code == code]
    assert found, (result.skips, result.data_note)
    if example.message is not None:
        assert any(example.message in f.message for f in found), [f.message for f in found]
    if example.line is not None:
        assert example.line in [snippet_line(example.code, f.origin.line) for f in found]
    expected = example.fixed_for("source")
    fixed_result, fixed = run_example(example.code, select=[code], fix=True, observed=observed)
    if expected is None:
        assert not fixed_result.applied, f"{code} rewrites this example but it has no fixed=: {fixed!r}"
        return
    assert fixed == expected
    # idempotent: nothing left to fix (a data example's fixed script is run again: a fix may change its data)
    again, _ = run_example(fixed, select=[code], fix=True, observed=_observed(code, replace(example, code=fixed)))
    assert not again.applied


@pytest.mark.parametrize("code,index,example", [_param(*case) for case in VALID])
def test_valid_has_no_finding(code, index, example):
    result, _ = run_example(example.code, select=[code], observed=_observed(code, example))
    assert [f.code for f in result.findings] == []
