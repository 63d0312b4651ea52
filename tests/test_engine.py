"""The engine picks non-overlapping allowed fixes and honours version gates."""

from __future__ import annotations


from autofix import engine
from autofix.edits import SetLayerArg, SetLoss
from autofix.findings import Applicability, Finding, Fix, Severity
from autofix.rules import select_rules
from autofix.spec import CompileSpec, FitSpec, LayerSpec, ModelSpec, Origin
from autofix.values import UNKNOWN, Opaque


def _finding(code, *fixes):
    return Finding(code, "x", "msg", Severity.ERROR, Origin(layer="l"), tuple(fixes))


def test_choose_fixes_skips_overlap_display_only_and_unsafe():
    safe = Fix("a", (SetLayerArg("d", "activation", "relu"),), Applicability.SAFE)
    overlapping = Fix("b", (SetLayerArg("d", "units", 1),), Applicability.SAFE)
    unsafe = Fix("c", (SetLoss("mse"),), Applicability.UNSAFE)
    shown = Fix("d", (SetLoss("mae"),), Applicability.DISPLAY_ONLY)
    findings = [_finding("AF101", safe), _finding("AF201", overlapping), _finding("AF202", unsafe),
                _finding("AF302", shown)]
    chosen = engine.choose_fixes(findings, unsafe=False)
    assert [fx.title for _, fx in chosen] == ["a"]
    assert [fx.title for _, fx in engine.choose_fixes(findings, unsafe=True)] == ["a", "c"]


def test_prefer_picks_an_alternative():
    first = Fix("first", (SetLoss("a"),), Applicability.SAFE)
    second = Fix("second", (SetLoss("b"),), Applicability.SAFE)
    chosen = engine.choose_fixes([_finding("AF202", first, second)], unsafe=True, prefer={"AF202": 1})
    assert chosen[0][1].title == "second"


def test_renorm_fix_is_gated_on_keras_version():
    assert engine.version_allows("AF301", "3.15.1")
    assert not engine.version_allows("AF301", "3.10.0")
    assert engine.version_allows("AF301", UNKNOWN)


def _spec(activation):
    layers = [
        LayerSpec("in", "InputLayer", {}),
        LayerSpec("d1", "Dense", {"units": 8, "activation": activation}, ("in",)),
        LayerSpec("d2", "Dense", {"units": 1, "activation": "sigmoid"}, ("d1",)),
    ]
    return ModelSpec(layers, inputs=("in",), outputs=("d2",),
                     compile=CompileSpec(loss="binary_crossentropy"), fit=FitSpec())


def test_rules_run_on_plain_data_and_never_guess_opaque_values():
    rules = select_rules()
    assert [f.code for f in engine.run_rules(_spec(None), rules).findings] == ["AF101"]
    assert engine.run_rules(_spec(Opaque("act")), rules).findings == []
    assert engine.run_rules(_spec("relu"), rules).findings == []


def test_a_crashing_rule_becomes_a_skip():
    class Boom:
        code = "AF999"

        def run(self, spec):
            raise RuntimeError("bug")

    diagnosis = engine.run_rules(_spec(None), [Boom()])
    assert diagnosis.skips[0].code == "AF999" and "bug" in diagnosis.skips[0].reason
