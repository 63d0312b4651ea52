"""Every rule's VALID/INVALID examples, run through the live-model (graph) path."""

from __future__ import annotations

import pytest

keras = pytest.importorskip("keras")

import autofix
from autofix.rules import REGISTRY
from autofix.testing import compile_signature, layer_signature, message_has, run_live

pytestmark = pytest.mark.keras


def _cases(kind: str, with_fixed: bool = False):
    for code, cls in sorted(REGISTRY.items()):
        for index, example in enumerate(getattr(cls, kind)):
            if example.source_only or (with_fixed and example.fixed is None):
                continue
            yield pytest.param(code, example, id=f"{code}-{kind.lower()}-{index}")


def _diagnose(code, example):
    """Diagnose the example with its rule only; training-probe rules (AF6xx) get their probe."""
    live = run_live(example.code)
    probe = "probe" in REGISTRY[code].requires
    return live, autofix.diagnose(live.model, live.x, live.y, fit_kwargs=live.fit_kwargs, select=[code],
                                  probe=probe)


@pytest.mark.parametrize("code, example", list(_cases("INVALID")))
def test_invalid_example_is_detected(code, example):
    _, findings = _diagnose(code, example)
    assert [f.code for f in findings] == [code], findings
    if example.message is not None:
        assert message_has(findings[0].message, example.message), findings[0].message


@pytest.mark.parametrize("code, example", [c for c in _cases("INVALID") if c.values[1].fixed is None])
def test_example_without_fixed_is_not_fixed(code, example):
    """A rule that repairs an example must say how: its ``fixed`` text (Fixit-strict).  A data fix leaves
    the model as it is and is carried for ``result.prepare(x, y)`` instead."""
    from autofix.data_prep import applies_to_arrays

    live = run_live(example.code)
    result = autofix.fix(live.model, live.x, live.y, fit_kwargs=live.fit_kwargs, select=[code])
    model_fixes = [fx for _, fx in result.applied if not all(applies_to_arrays(e) for e in fx.edits)]
    assert model_fixes == [], f"{code} fixes this example but it has no fixed="
    if result.applied:
        assert result.data_edits and all(applies_to_arrays(e) for e in result.data_edits)


@pytest.mark.parametrize("code, example", list(_cases("VALID")))
def test_valid_example_is_clean(code, example):
    _, findings = _diagnose(code, example)
    assert findings == []


@pytest.mark.parametrize("code, example", list(_cases("INVALID", with_fixed=True)))
def test_graph_fix_matches_fixed_example(code, example):
    live = run_live(example.code)
    before = layer_signature(live.model)
    result = autofix.fix(live.model, live.x, live.y, fit_kwargs=live.fit_kwargs, select=[code])
    assert [f.code for f, _ in result.applied] == [code]
    expected = run_live(example.fixed).model
    assert layer_signature(result.model) == layer_signature(expected)
    assert compile_signature(result.model) == compile_signature(expected)
    assert layer_signature(live.model) == before, "the input model must not change"
    assert autofix.diagnose(result.model, live.x, live.y, fit_kwargs={**(live.fit_kwargs or {}),
                                                                      **result.fit_kwargs},
                            select=[code]) == []
