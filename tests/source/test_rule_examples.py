"""Every rule's VALID/INVALID example that the source path can see, through the source path."""

from __future__ import annotations

import pytest

from helpers import run_example, source_examples

INVALID = list(source_examples("INVALID"))
VALID = list(source_examples("VALID"))


@pytest.mark.parametrize("code,index,example", INVALID, ids=[f"{c}-{i}" for c, i, _ in INVALID])
def test_invalid_detected_and_fixed(code, index, example):
    result, _ = run_example(example.code, select=[code])
    assert code in [f.code for f in result.findings], result.skips
    if example.fixed is not None:
        fixed_result, fixed = run_example(example.code, select=[code], fix=True)
        assert fixed == example.fixed
        again, _ = run_example(fixed, select=[code], fix=True)
        assert not again.applied  # idempotent: nothing left to fix


@pytest.mark.parametrize("code,index,example", VALID, ids=[f"{c}-{i}" for c, i, _ in VALID])
def test_valid_has_no_finding(code, index, example):
    result, _ = run_example(example.code, select=[code])
    assert [f.code for f in result.findings] == []
