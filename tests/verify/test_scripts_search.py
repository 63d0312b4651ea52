"""autofix-src --verify's strategy search over script rewrites (runs faked: no Keras needed)."""

from __future__ import annotations

import math

from autofix.training.task_score import ON_TRAINING
from autofix.verify import script_search
from autofix.verify.script_search import credited, run_symptoms, search_script
from autofix.verify.scripts import ScriptRun

SCRIPT = '''import numpy as np
import keras
from keras import layers

x = np.random.default_rng(0).normal(size=(256, 8)).astype("float32")
y = (x[:, 0] > 0).astype("int64")
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="sigmoid"),  # hidden
                          layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-6), loss="binary_crossentropy")
model.fit(x, y, epochs=5, batch_size=32, verbose=0)
'''
FACTS = {"call": 1, "model": "Sequential", "layers": ["Dense", "Dense"], "fit": {"epochs": 5, "batch_size": 32},
         "data": {"n_samples": 256, "x_shape": [8], "x_min": -3.0, "x_max": 3.0, "x_mean": 0.0, "x_std": 1.0,
                  "label_kind": "binary", "n_classes": 2, "y_shape": [256]}}


def _run(value, metric="accuracy", chance=0.5, loss=(0.69, 0.69), facts=(FACTS,), label="original"):
    score = {"value": value, "metric": metric, "labels": "binary" if metric == "accuracy" else "continuous",
             "rows": ON_TRAINING, "n": 256, "chance": chance}
    return ScriptRun(label, 0, 5.0, [{"loss": list(loss)}], facts=list(facts), scores=[score])


def test_symptoms_from_the_task_score_and_the_loss():
    assert "no-learning" in run_symptoms(_run(0.52))
    assert run_symptoms(_run(0.9)) == {}
    assert "no-learning" in run_symptoms(_run(-0.1, "r2")) and run_symptoms(_run(0.5, "r2")) == {}
    assert "diverging" in run_symptoms(_run(0.9, loss=(0.7, math.nan)))
    assert run_symptoms(ScriptRun("original", 1, 1.0)) == {}  # no run, no symptom


def test_no_search_without_a_symptom_or_a_model():
    report = search_script("t.py", SCRIPT, _run(0.95), budget=60)
    assert not report.trials and "no symptom" in report.reason
    other = dict(FACTS, layers=["Conv1D", "Dense", "Dense"])
    report = search_script("t.py", SCRIPT, _run(0.5, facts=(other,)), budget=60)
    assert not report.trials and "no model of the script" in report.reason


def test_strategies_are_tried_in_rank_order_until_one_is_confirmed(monkeypatch):
    tried = []

    def fake_run(path, *, source, label, budget):
        tried.append(label)
        value = 0.93 if len(tried) == 2 else 0.51
        return _run(value, label=label)

    monkeypatch.setattr(script_search, "run_script", fake_run)
    report = search_script("t.py", SCRIPT, _run(0.5), budget=600)
    assert len(tried) == 2 and report.winner is report.trials[1]
    assert [t.outcome for t in report.trials] == ["not confirmed", "winner"]
    assert report.trials[1].score == 0.93 and report.trials[1].fixed != SCRIPT
    lines = report.summary_lines()
    assert "no-learning" in lines[0] and tried[0] in lines[1] and "score 0.51" in lines[1]
    assert lines[-1].startswith(f"  confirmed strategy: {tried[1]}")
    finding, fix = credited(report.winner, "t.py", report.symptoms)
    assert finding.code == tried[1] and finding.origin.path == "t.py" and fix.edits


def test_the_budget_stops_the_search_and_says_what_was_not_tried(monkeypatch):
    monkeypatch.setattr(script_search, "run_script", lambda path, **kw: _run(0.5, label=kw["label"]))
    report = search_script("t.py", SCRIPT, _run(0.5), budget=12)  # the original took 5 s: two trials fit
    assert len(report.trials) == 2 and report.winner is None and report.not_tried
    assert "budget of 12 s is spent" in report.summary_lines()[-1]


def test_still_falling_reads_the_last_epochs_of_the_loss():
    from autofix.verify.script_search import still_falling

    assert "still falling" in still_falling(_run(0.3, loss=(3.5, 3.2, 3.0, 2.9)))
    assert still_falling(_run(0.3, loss=(3.5, 1.0, 0.99, 0.985))) is None  # most of the loss is gone
    assert still_falling(_run(0.3, loss=(3.5, 3.4, 3.4, 3.4))) is None  # flat: not falling
    assert still_falling(_run(0.3, loss=(3.5, 3.0))) is None  # too few epochs to say


def test_caller_evidence_triggers_the_search_from_the_given_code(monkeypatch):
    seen = []

    def fake_run(path, *, source, label, budget):
        seen.append(source)
        return _run(0.93, label=label)

    monkeypatch.setattr(script_search, "run_script", fake_run)
    healthy = _run(0.7, loss=(0.69, 0.66, 0.63, 0.6))
    assert not search_script("t.py", SCRIPT, healthy, budget=600).trials  # no symptom of its own
    rewritten = SCRIPT.replace("# hidden", "# hidden (rule fix)")
    report = search_script("t.py", rewritten, healthy, budget=600, also={"still-falling": "loss still falling"})
    assert report.winner is not None and "still-falling" in report.symptoms
    assert all("(rule fix)" in source for source in seen)  # trials are written on top of the given code


def test_rate_evidence_needs_a_learning_rate_finding_and_a_falling_loss():
    from autofix.cli.verify_src import _rate_evidence
    from autofix.rules import select_rules
    from autofix.source.check import check_source

    result = check_source(SCRIPT, "t.py", select_rules(None))
    codes = {f.code for f in result.findings}
    assert "AF302" in codes  # Adam at 1e-6
    falling = _run(0.6, loss=(0.69, 0.67, 0.65, 0.63))
    assert "still-falling" in _rate_evidence(result, falling)
    assert _rate_evidence(result, _run(0.6, loss=(0.69, 0.69, 0.69, 0.69))) == {}
    quiet = check_source(SCRIPT.replace("learning_rate=1e-6", "learning_rate=1e-3"), "t.py", select_rules(None))
    assert _rate_evidence(quiet, falling) == {}
