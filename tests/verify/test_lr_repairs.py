"""Optimiser-family repairs: the rates verification tries for AF302, the rule's own rate as the source
search's first trial, and AF304's momentum reset that keeps the step (script runs faked)."""

from __future__ import annotations

import pytest

from autofix.edits import SetOptimizerArg
from autofix.engine import fix_allowed
from autofix.rules import REGISTRY, select_rules
from autofix.source.check import check_source
from autofix.training.task_score import ON_TRAINING
from autofix.verify import script_search
from autofix.verify.candidates import searched_rates
from autofix.verify.script_search import credited, refinements, rule_rates, search_script
from autofix.verify.scripts import ScriptRun

SCRIPT = '''import numpy as np
import keras
from keras import layers

x = np.random.default_rng(0).normal(size=(256, 8)).astype("float32")
y = (x[:, 0] > 0).astype("int64")
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                          layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.OPTIMIZER, loss="binary_crossentropy")
model.fit(x, y, epochs=5, batch_size=32, verbose=0)
'''
FACTS = {"call": 1, "model": "Sequential", "layers": ["Dense", "Dense"], "fit": {"epochs": 5, "batch_size": 32},
         "data": {"n_samples": 256, "x_shape": [8], "x_min": -3.0, "x_max": 3.0, "x_mean": 0.0, "x_std": 1.0,
                  "label_kind": "binary", "n_classes": 2, "y_shape": [256]}}


def _script(optimizer: str) -> str:
    return SCRIPT.replace("OPTIMIZER", optimizer)


def _run(value, label="original", loss=(0.69, 0.69)):
    score = {"value": value, "metric": "accuracy", "labels": "binary", "rows": ON_TRAINING, "n": 256, "chance": 0.5}
    return ScriptRun(label, 0, 5.0, [{"loss": list(loss)}], facts=[FACTS], scores=[score])


def _finding(code: str, optimizer: str, **kw):
    result = check_source(_script(optimizer), "t.py", select_rules([code]), **kw)
    found = [f for f in result.findings if f.code == code] + [f for f, _ in result.applied if f.code == code]
    return result, (found[0] if found else None)


@pytest.mark.parametrize("optimizer, rate, expected", [
    ("Adam(learning_rate=1e-6)", 1e-6, [1e-4, 1e-3]),  # the proposed 1e-3 is beyond x100: x100 and 1e-3
    ("SGD(learning_rate=1e-5)", 1e-5, [1e-3, 1e-2]),
    ("SGD(learning_rate=10.0)", 10.0, [0.1, 0.01]),  # too high: /100, then the proposed 0.01
    ("Adagrad(learning_rate=1e-5)", 1e-5, [1e-4, 1e-3]),  # the proposed 1e-3 is x100: the usual two steps
    ("Adam(learning_rate=0.05)", 0.05, [5e-3, 5e-4]),  # the proposed 1e-3 lies within /100: no extra arm
])
def test_searched_rates_reach_the_rule_s_proposed_rate(optimizer, rate, expected):
    _, finding = _finding("AF302", optimizer)
    assert finding is not None
    assert searched_rates(finding, rate) == pytest.approx(expected)


def test_rule_rates_offer_the_rule_s_own_rate_only_for_a_learning_rate_finding():
    result, _ = _finding("AF302", "Adam(learning_rate=1e-6)")
    trials = rule_rates(result.findings, REGISTRY)
    assert len(trials) == 1 and trials[0].code == "AF302"
    assert trials[0].edits(None) == [SetOptimizerArg("learning_rate", 1e-3)]
    quiet, _ = _finding("AF302", "Adam(learning_rate=1e-3)")
    assert rule_rates(quiet.findings, REGISTRY) == []
    momentum, _ = _finding("AF304", "SGD(learning_rate=0.05, momentum=0.999)")
    assert rule_rates(momentum.findings, REGISTRY) == []  # AF304 does not search the rate


def test_the_rule_s_rate_is_the_first_search_trial_and_is_credited_to_its_finding(monkeypatch):
    written = []

    def fake_run(path, *, source, label, budget):
        written.append(source)
        return _run(0.95, label=label)

    monkeypatch.setattr(script_search, "run_script", fake_run)
    code = _script("SGD(learning_rate=1e-5, momentum=0.9, nesterov=True)")
    result = check_source(code, "t.py", select_rules(None))
    report = search_script("t.py", code, _run(0.5), budget=600, leading=rule_rates(result.findings, REGISTRY))
    assert report.winner is report.trials[0] and report.winner.strategy.code == "AF302"
    assert "SGD(learning_rate=0.01, momentum=0.9, nesterov=True)" in written[0]
    finding, fix = credited(report.winner, "t.py", report.symptoms)
    assert finding.code == "AF302" and finding.origin.line == 9  # the rule's own position, not "search"
    assert fix_allowed(fix, unsafe=True) and fix.edits == (SetOptimizerArg("learning_rate", 0.01),)


def test_an_unconfirmed_rule_rate_leaves_the_ranked_strategies_to_try(monkeypatch):
    labels = []

    def fake_run(path, *, source, label, budget):
        labels.append(label)
        return _run(0.93 if len(labels) == 2 else 0.5, label=label)

    monkeypatch.setattr(script_search, "run_script", fake_run)
    code = _script("Adam(learning_rate=1e-6)")
    result = check_source(code, "t.py", select_rules(None))
    report = search_script("t.py", code, _run(0.5), budget=600, leading=rule_rates(result.findings, REGISTRY))
    assert labels[0] == "AF302" and labels[1].startswith("AS") and report.winner is report.trials[1]


def test_a_rule_rate_that_lowers_the_rate_is_left_to_the_ranked_strategies(monkeypatch):
    labels = []
    monkeypatch.setattr(script_search, "run_script",
                        lambda path, **kw: labels.append(kw["label"]) or _run(0.5, label=kw["label"]))
    code = _script("SGD(learning_rate=10.0)")  # too high: AS101/AS102 divide it by 10 and 100
    result = check_source(code, "t.py", select_rules(None))
    assert rule_rates(result.findings, REGISTRY)
    search_script("t.py", code, _run(0.5), budget=600, leading=rule_rates(result.findings, REGISTRY))
    assert labels and "AF302" not in labels


def test_af304_second_fix_keeps_the_step_at_the_written_rate():
    _, finding = _finding("AF304", "SGD(learning_rate=0.05, momentum=0.999)")
    first, second = finding.fixes
    assert first.edits == (SetOptimizerArg("momentum", 0.9),)
    assert second.edits == (SetOptimizerArg("momentum", 0.9), SetOptimizerArg("learning_rate", 0.005))
    _, rms = _finding("AF304", "RMSprop(learning_rate=1e-3, momentum=0.995)")
    assert rms.fixes[1].edits[-1] == SetOptimizerArg("learning_rate", 1e-4)
    # Adam's beta_1 is a bias-corrected average (its step does not grow): one fix only
    _, adam = _finding("AF304", "Adam(learning_rate=1e-3, beta_1=0.999)")
    assert len(adam.fixes) == 1
    _, unknown = _finding("AF304", "SGD(learning_rate=rate, momentum=0.999)")
    assert len(unknown.fixes) == 1  # an Opaque rate: not scaled
    for quiet in ("SGD(learning_rate=0.01, momentum=0.9)", "SGD(learning_rate=0.1, momentum=0.9, nesterov=True)"):
        assert _finding("AF304", quiet)[1] is None


def _momentum_result():
    result = check_source(_script("SGD(learning_rate=0.05, momentum=0.999)"), "t.py", select_rules(["AF304"]),
                          fix=True, unsafe=True)
    assert [f.code for f, _ in result.applied] == ["AF304"] and "momentum=0.9)" in result.fixed
    return result


def test_refinements_are_alternatives_that_hold_the_applied_fix():
    result = _momentum_result()
    (fix, trial), = refinements(result.applied, lambda fx: fix_allowed(fx, unsafe=True))
    assert fix is result.applied[0][1] and SetOptimizerArg("learning_rate", 0.005) in trial.edits(None)
    assert refinements(result.applied, lambda fx: False) == []
    rate, _ = _finding("AF302", "Adam(learning_rate=1e-6)")
    assert refinements([(f, f.fixes[0]) for f in rate.findings], lambda fx: True) == []  # one fix: none


@pytest.mark.parametrize("score, kept", [(0.97, True), (0.80, False)])
def test_refine_keeps_the_alternative_only_when_its_run_beats_the_rewrite(monkeypatch, score, kept):
    from pathlib import Path

    from autofix.cli.verify_src import refine

    monkeypatch.setattr(script_search, "run_script", lambda path, **kw: _run(score, label=kw["label"]))
    result = _momentum_result()
    before, lines = result.fixed, []
    changed = refine(Path("t.py"), result, budget=600, echo=lines.append, rewritten_run=_run(0.80))
    assert changed is kept and lines
    if kept:
        assert "SGD(learning_rate=0.005, momentum=0.9)" in result.fixed
        assert result.applied[0][1].edits[-1] == SetOptimizerArg("learning_rate", 0.005)
    else:
        assert result.fixed == before and len(result.applied[0][1].edits) == 1


def test_live_candidates_include_the_rule_s_rate():
    keras = pytest.importorskip("keras")
    import numpy as np

    from autofix.verify.candidates import enumerate_candidates
    from autofix import diagnose

    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = x[:, :1] * 2.0
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-6), loss="mse")
    fit = {"epochs": 2, "batch_size": 16}
    findings = diagnose(model, x, y, fit_kwargs=fit)
    assert "AF302" in {f.code for f in findings}
    names = [c.name for c in enumerate_candidates(model, x, y, fit_kwargs=fit, rules=select_rules(None),
                                                  unsafe=True, findings=findings)]
    assert any(name.endswith("learning_rate=0.001") for name in names)
    assert any(name.endswith("learning_rate=0.0001") for name in names)


@pytest.mark.parametrize("longer, kept", [(0.97, True), (0.80, False)])
def test_an_ambiguous_refinement_is_re_judged_on_longer_runs(monkeypatch, longer, kept):
    from pathlib import Path

    from autofix.cli.verify_src import refine

    scores = {"AF304": 0.81, "rewritten-again": 0.80, "refined-again": longer}
    monkeypatch.setattr(script_search, "run_script", lambda path, **kw: _run(scores[kw["label"]], label=kw["label"]))
    import autofix.verify.scripts as scripts

    calls = []
    monkeypatch.setattr(scripts, "run_script", lambda path, **kw: calls.append(kw) or
                        _run(scores[kw["label"]], label=kw["label"]))
    monkeypatch.setattr(script_search, "_compare", _ambiguous_first(script_search._compare))
    result, lines = _momentum_result(), []
    assert refine(Path("t.py"), result, budget=600, echo=lines.append, rewritten_run=_run(0.80)) is kept
    assert [kw["label"] for kw in calls] == ["rewritten-again", "refined-again"]
    assert calls[0]["steps"] == 4 * 200 and "re-judged on 4x longer runs" in lines[-1]


@pytest.mark.parametrize("again, kept", [(0.95, True), (0.78, False)])
def test_a_tight_budget_re_judges_on_a_second_seed(monkeypatch, again, kept):
    from pathlib import Path

    import autofix.verify.scripts as scripts
    from autofix.cli.verify_src import refine

    scores = {"AF304": 0.90, "rewritten-again": 0.80, "refined-again": again}
    fake = lambda path, **kw: _run(scores[kw["label"]], label=kw["label"])  # noqa: E731
    calls = []
    monkeypatch.setattr(script_search, "run_script", fake)
    monkeypatch.setattr(scripts, "run_script", lambda path, **kw: calls.append(kw) or fake(path, **kw))
    monkeypatch.setattr(script_search, "_compare", _ambiguous_first(script_search._compare))
    result, lines = _momentum_result(), []
    # 5 s runs: 4x longer runs would need 40 s of the 30 s budget, a second seed 10 s
    assert refine(Path("t.py"), result, budget=30, echo=lines.append, rewritten_run=_run(0.80)) is kept
    assert [kw.get("seed") for kw in calls] == [1, 1] and "re-judged on a second seed" in lines[-1]


def _ambiguous_first(compare):
    """The short runs' comparison reads as ambiguous (a gain within twice the margin)."""
    def wrapped(before, after, min_gain, goal="improve"):
        metric, verdict = compare(before, after, min_gain, goal)
        verdict.accepted, verdict.reason = False, "ambiguous"
        return metric, verdict
    return wrapped
