"""Every rule carries Fixit-strict examples: INVALID ones say what they find and where."""

from __future__ import annotations

import pytest

from autofix.rules import REGISTRY


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_has_examples_of_both_kinds(code):
    cls = REGISTRY[code]
    assert cls.INVALID and cls.VALID, f"{code} needs INVALID and VALID examples"


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_invalid_examples_state_message_and_position(code):
    for index, example in enumerate(REGISTRY[code].INVALID):
        assert example.message, f"{code} INVALID[{index}] has no message="
        source_visible = not example.graph_only or "data" in REGISTRY[code].requires
        if source_visible and "probe" not in REGISTRY[code].requires and "params" not in REGISTRY[code].requires:
            assert example.line, f"{code} INVALID[{index}] has no line="
