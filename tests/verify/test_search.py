"""The symptom-driven repair search: strategies (edits only), symptoms, planning, and end to end."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

import autofix
from autofix.edits import InsertLayer, SetCompileArg, SetFitArg, SetLayerArg, SetOptimizerArg
from autofix.strategies import PRIORS, REGISTRY, SYMPTOMS, TRIGGERS, ranked, select_strategies
from autofix.training.arms import ArmResult, Cost, Data
from autofix.training.probe import ProbeFacts
from autofix.verify import search as search_mod
from autofix.verify.executors import RAY_MISSING, RayExecutor, split_cpus

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.keras
L = keras.layers
FIT = {"batch_size": 32, "epochs": 20}


def _spec(model, x=None, y=None, fit_kwargs=FIT, probe=None):
    from autofix.live.extract import extract

    spec = extract(model, x, y, fit_kwargs)
    spec.probe = probe
    return spec


def _stack(activation="tanh", init=None, optimizer=None, hidden=2, dropout=None, narrow=None):
    layers = [keras.Input((8,))]
    for i in range(hidden):
        layers.append(L.Dense(narrow if narrow and i == hidden - 1 else 16, activation=activation, name=f"h{i}",
                              **({"kernel_initializer": init} if init is not None else {})))
        if dropout:
            layers.append(L.Dropout(dropout, name=f"drop{i}"))
    layers.append(L.Dense(1, activation="sigmoid", name="out"))
    model = keras.Sequential(layers)
    model.compile(optimizer=optimizer or keras.optimizers.SGD(0.01), loss="binary_crossentropy")
    return model


def _code(code):
    return REGISTRY[code]()


# -- the registry and each strategy's edits (no training) ------------------------------
def test_registry_codes_docs_and_priors():
    assert all(re.fullmatch(r"AS[1-3]\d\d", code) for code in REGISTRY)
    assert len({cls.name for cls in REGISTRY.values()}) == len(REGISTRY)
    for cls in REGISTRY.values():
        doc = cls.doc()
        assert all(section in doc for section in ("## What it does", "## When it helps", "## Edits")), cls.code
        assert cls.title and any(cls.code in row for row in PRIORS.values()), cls.code
    assert {code for row in PRIORS.values() for code in row} <= set(REGISTRY)
    assert set(PRIORS) <= set(SYMPTOMS) and TRIGGERS <= set(SYMPTOMS)
    assert [s.code for s in select_strategies(["AS1"])] == ["AS101", "AS102", "AS103", "AS104", "AS105"]
    with pytest.raises(ValueError, match="unknown strategies"):
        select_strategies(["AS999"])


def test_verify_never_names_rule_codes():
    root = Path(autofix.__file__).parent / "verify"
    for name in ("search.py", "executors.py"):
        assert not re.search(r"AF\d{3}", (root / name).read_text()), name


@pytest.mark.parametrize("code, factor", [("AS101", 0.1), ("AS102", 0.01), ("AS103", 10.0)])
def test_learning_rate_strategies(code, factor):
    spec = _spec(_stack(optimizer=keras.optimizers.SGD(0.02)))
    assert _code(code).edits(spec) == [SetOptimizerArg("learning_rate", float(f"{0.02 * factor:.3g}"))]


def test_adam_default_replaces_other_optimizers_only():
    assert _code("AS104").edits(_spec(_stack())) == [SetCompileArg("optimizer", "adam")]
    assert _code("AS104").edits(_spec(_stack(optimizer=keras.optimizers.Adam()))) == []
    assert _code("AS104").edits(_spec(_stack(optimizer=keras.optimizers.Adam(0.1)))) == \
        [SetCompileArg("optimizer", "adam")]


def test_gradient_clipping():
    assert _code("AS105").edits(_spec(_stack())) == [SetOptimizerArg("clipnorm", 1.0)]
    assert _code("AS105").edits(_spec(_stack(optimizer=keras.optimizers.SGD(0.01, clipnorm=2.0)))) == []


def test_initializer_by_activation():
    model = _stack(activation="tanh", init=keras.initializers.RandomNormal(stddev=5.0))
    edits = _code("AS201").edits(_spec(model))
    assert SetLayerArg("h0", "kernel_initializer", "glorot_uniform") in edits
    assert SetLayerArg("h1", "kernel_initializer", "glorot_uniform") in edits
    assert not any(e.layer == "out" for e in edits), "the output layer's glorot_uniform is already right"
    relu = _code("AS201").edits(_spec(_stack(activation="relu")))
    assert relu == [SetLayerArg("h0", "kernel_initializer", "he_normal"),
                    SetLayerArg("h1", "kernel_initializer", "he_normal")]
    biased = keras.Sequential([keras.Input((8,)), L.Dense(4, name="d", bias_initializer="ones")])
    biased.compile(optimizer="sgd", loss="mse")
    assert SetLayerArg("d", "bias_initializer", "zeros") in _code("AS201").edits(_spec(biased))


def test_relu_activation_keeps_the_output_and_uses_leaky_relu_for_dead_units():
    assert _code("AS202").edits(_spec(_stack(activation="sigmoid"))) == \
        [SetLayerArg("h0", "activation", "relu"), SetLayerArg("h1", "activation", "relu")]
    dead = ProbeFacts(dead={"h0": 0.9})
    assert _code("AS202").edits(_spec(_stack(activation="relu"), probe=dead)) == \
        [SetLayerArg("h0", "activation", "leaky_relu"), SetLayerArg("h1", "activation", "leaky_relu")]
    assert _code("AS202").edits(_spec(_stack(activation="relu"))) == []


def test_batch_normalization_after_hidden_layers():
    edits = _code("AS203").edits(_spec(_stack(activation="relu")))
    assert [(type(e), e.anchor, e.new.class_name) for e in edits] == \
        [(InsertLayer, "h0", "BatchNormalization"), (InsertLayer, "h1", "BatchNormalization")]


def test_input_normalization_from_data_facts():
    rng = np.random.default_rng(0)
    x = (5.0 + 3.0 * rng.normal(size=(64, 8))).astype("float32")
    y = (rng.random(64) > 0.5).astype("int64")
    (edit,) = _code("AS204").edits(_spec(_stack(), x, y))
    assert isinstance(edit, InsertLayer) and not edit.after and edit.new.class_name == "Normalization"
    config = edit.new.kwargs
    assert config["mean"] == pytest.approx(x.mean(), abs=0.05) and config["variance"] == pytest.approx(x.var(), rel=0.01)
    assert _code("AS204").edits(_spec(_stack(), rng.normal(size=(64, 8)).astype("float32"), y)) == []
    assert _code("AS204").edits(_spec(_stack())) == [], "no data facts, no normalisation"


def test_wider_bottleneck_and_lower_dropout_and_more_updates():
    assert _code("AS205").edits(_spec(_stack(activation="relu", narrow=2))) == [SetLayerArg("h1", "units", 16)]
    assert _code("AS205").edits(_spec(_stack(activation="relu"))) == []
    assert _code("AS206").edits(_spec(_stack(dropout=0.5))) == \
        [SetLayerArg("drop0", "rate", 0.1), SetLayerArg("drop1", "rate", 0.1)]
    assert _code("AS206").edits(_spec(_stack(dropout=0.2))) == []
    assert _code("AS301").edits(_spec(_stack(), fit_kwargs={"batch_size": 64, "epochs": 10})) == \
        [SetFitArg("batch_size", 16), SetFitArg("epochs", 40)]
    assert _code("AS301").edits(_spec(_stack(), fit_kwargs={"batch_size": 8})) == []


def test_every_strategy_applies_on_the_graph_backend():
    from autofix.live.rebuild import apply_edits

    rng = np.random.default_rng(0)
    x = (5.0 + 3.0 * rng.normal(size=(64, 8))).astype("float32")
    y = (rng.random(64) > 0.5).astype("int64")
    model = _stack(activation="tanh", init=keras.initializers.RandomNormal(stddev=5.0), dropout=0.5, narrow=4)
    spec = _spec(model, x, y, probe=ProbeFacts(dead={"h0": 0.9}))
    # a regression with targets far from unit scale, for the strategies only a regression takes (AS207)
    regression = keras.Sequential([keras.Input((8,)), L.Dense(16, activation="relu", name="h0"), L.Dense(1, name="out")])
    regression.compile(optimizer="adam", loss="mse")
    targets = (1e4 * rng.normal(size=64) + 5e3).astype("float32")
    regression_spec = _spec(regression, x, targets)
    # a regression with a ReLU output, for the strategy that makes it linear (AS208)
    relu_head = keras.Sequential([keras.Input((8,)), L.Dense(1, activation="relu", name="out")])
    relu_head.compile(optimizer="adam", loss="mse")
    relu_head_spec = _spec(relu_head, x, targets)
    for strategy in select_strategies():
        target, edits = model, strategy.edits(spec)
        if not edits:
            target, edits = regression, strategy.edits(regression_spec)
        if not edits:
            target, edits = relu_head, strategy.edits(relu_head_spec)
        assert edits, strategy.code
        rebuilt = apply_edits(target, edits, FIT)
        assert rebuilt.model.count_params() > 0


def test_ranking_follows_the_priors(monkeypatch):
    monkeypatch.setattr("autofix.strategies._measured.CURES", {})  # the initial priors alone
    spec = _spec(_stack(activation="sigmoid"))
    order = [s.code for s in ranked(spec, {"diverging"})]
    assert order[:3] == ["AS101", "AS105", "AS102"]
    assert "AS202" not in order, "ReLU has no prior for a diverging loss"


# -- symptoms and planning ---------------------------------------------------------------
def _data(classes):
    classes = np.asarray(classes)
    x = np.zeros((len(classes), 2), "float32")
    return Data(x, classes, x, classes, classes)


def test_arm_symptoms():
    data = _data([0, 1] * 50)
    flat = ArmResult("a", 0, 0.5, 64, 1.0, {"loss": [0.693, 0.693, 0.6929]}, collapsed=True)
    assert set(search_mod.arm_symptoms(flat, data, min_gain=0.02)) == {"no-learning", "one-class", "flat-loss"}
    falling = ArmResult("a", 0, 0.52, 64, 1.0, {"loss": [0.9, 0.8, 0.7]})
    assert set(search_mod.arm_symptoms(falling, data, min_gain=0.02)) == {"no-learning", "still-falling"}
    learnt = ArmResult("a", 0, 0.9, 64, 1.0, {"loss": [0.7, 0.5, 0.3]})
    assert search_mod.arm_symptoms(learnt, data, min_gain=0.02) == {}
    nan = ArmResult("a", 0, float("-inf"), 64, 1.0, {"loss": [0.7, float("nan")]})
    assert "diverging" in search_mod.arm_symptoms(nan, data, min_gain=0.02)


def test_a_rate_finding_and_a_loss_still_falling_trigger_the_search_above_chance():
    """The source path's trigger on the live path: AF302 fired and the arm stopped while its loss still fell."""
    from types import SimpleNamespace

    from autofix.verify.symptoms import rate_evidence

    rate, other = [SimpleNamespace(code="AF302")], [SimpleNamespace(code="AF203")]
    falling, learnt, flat = [3.5, 3.2, 3.0, 2.7], [3.5, 1.0, 0.5, 0.45], [3.5, 3.5, 3.5, 3.5]
    assert "still-falling" in rate_evidence(rate, falling)
    assert "learning-rate rule" in rate_evidence(rate, falling)["still-falling"]
    assert rate_evidence(other, falling) == {}  # no learning-rate finding
    assert rate_evidence(rate, learnt) == {}  # most of the loss is gone
    assert rate_evidence(rate, flat) == {}
    assert rate_evidence(rate, falling[:2]) == {}  # too few epochs to say


def test_probe_symptoms():
    facts = ProbeFacts(losses=[1.0] * 4 + [3.0] * 20, fit_accuracy=0.9, eval_accuracy=0.5, majority_share=0.99,
                       true_majority_share=0.5, dead={"h": 0.8}, grad_norms={"a": 1e-5, "b": 0.5})
    assert set(search_mod.probe_symptoms(facts)) == {"diverging", "train-inference-gap", "one-class", "no-learning",
                                                    "dead-units", "vanishing-gradients"}
    healthy = ProbeFacts(losses=list(np.linspace(0.8, 0.6, 24)), fit_accuracy=0.7, eval_accuracy=0.7,
                         majority_share=0.6, true_majority_share=0.5, dead={"h": 0.0}, grad_norms={"a": 0.2, "b": 0.1})
    assert search_mod.probe_symptoms(healthy) == {}
    assert search_mod.probe_symptoms(None) == {}


def test_plan_prefers_more_strategies_then_more_steps():
    cost = Cost(overhead=1.0, step=0.002, epoch=0.0)
    assert search_mod.round_sizes(8) == [8, 4, 2] and search_mod.round_sizes(5) == [5, 3, 2]
    assert search_mod.round_sizes(1) == [1]
    roomy = search_mod.plan_search(60, cost, 8, 32, 2048)
    assert roomy.strategies == 8 and roomy.first_steps >= 48 and roomy.seconds <= 60
    tight = search_mod.plan_search(8, cost, 8, 32, 2048)
    assert tight.strategies < 8 and tight.seconds <= 8
    starved = search_mod.plan_search(0.5, cost, 8, 32, 2048)
    assert (starved.strategies, starved.first_steps) == (2, 48), "overrun with two strategies at the floor"


def test_split_cpus():
    assert split_cpus(None, 8) == (8, 1)
    assert split_cpus(2, 8) == (2, 4)
    assert split_cpus(16, 2) == (2, 1)


# -- executors ----------------------------------------------------------------------------
def test_ray_missing_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with pytest.raises(ImportError, match=re.escape("pip install 'autofix[ray]'")):
        RayExecutor(_data([0, 1] * 4))
    assert "autofix[ray]" in RAY_MISSING


# -- end to end ---------------------------------------------------------------------------
def _slow_sgd():
    """No rule flags it and it does not learn in a few hundred steps: SGD at 2e-5 (inside AF302's range)."""
    model = keras.Sequential([keras.Input((8,)), L.Dense(16, activation="relu"), L.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(2e-5), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def test_search_cures_a_model_no_rule_flags(binary_data):
    x, y = binary_data
    model = _slow_sgd()
    assert autofix.diagnose(model, x, y, fit_kwargs=FIT, probe=True) == []
    result = autofix.fix(model, x, y, fit_kwargs=FIT, verify=True, steps=256, strategies=["AS103", "AS104"])
    evidence, report = result.verification, result.verification.search
    assert report.triggered and "no-learning" in report.symptoms
    assert result.changed and [f.code for f, _ in result.applied] == ["AS104"]
    assert type(result.model.optimizer).__name__ == "Adam"
    verdict = next(v for v in evidence.verdicts if v.accepted)
    assert verdict.candidate == "AS104 adam-default" and verdict.gain > 2 * verdict.margin
    assert {t.code for t in report.trials} == {"AS103", "AS104"}, "every tried strategy is reported"
    assert all(t.steps == 256 and t.seconds > 0 and np.isfinite(t.score) for t in report.trials)
    lines = "\n".join(result.summary_lines())
    assert "Search (no-learning" in lines and "AS103 learning-rate-up" in lines and "winner" in lines
    assert model.optimizer.__class__.__name__ == "SGD", "the input model must not change"


def test_search_that_finds_nothing_returns_the_original(binary_data):
    x, y = binary_data
    model = _slow_sgd()
    result = autofix.fix(model, x, y, fit_kwargs=FIT, verify=True, steps=120, strategies=["AS102"])
    report = result.verification.search
    assert report.triggered and [t.code for t in report.trials] == ["AS102"]
    assert result.model is model and not result.changed
    assert any("search tried 1 strategy and confirmed none" in note for note in result.notes)
    assert "no strategy beat the original" in "\n".join(result.summary_lines())


def test_healthy_model_triggers_no_search(binary_data, dense_model):
    x, y = binary_data
    model = dense_model()
    result = autofix.fix(model, x, y, fit_kwargs={"batch_size": 32}, verify=True, steps=64)
    report = result.verification.search
    assert not report.triggered and report.arms == 0 and report.rounds == []
    assert result.model is model
    assert any(line.startswith("Search: not run") for line in result.summary_lines())


def test_search_false_disables_it(binary_data):
    x, y = binary_data
    result = autofix.fix(_slow_sgd(), x, y, fit_kwargs=FIT, verify=True, steps=120, probe=False, search=False)
    assert result.verification.search is None and not result.changed


def test_winner_is_combined_with_the_rule_fixes(binary_data):
    x, y = binary_data
    shifted = (x + 50.0).astype("float32")  # a rule fix (input normalisation) that does not cure the learning rate
    model = _slow_sgd()
    result = autofix.fix(model, shifted, y, fit_kwargs=FIT, verify=True, steps=256, strategies=["AS104"],
                         max_candidates=1)
    evidence, report = result.verification, result.verification.search
    assert evidence.verdicts[0].candidate == "default fixes" and not evidence.verdicts[0].accepted
    assert report.triggered and report.winner == "AS104 adam-default"
    assert report.combined and report.combined.startswith("default fixes + AS104 adam-default")
    names = [v.candidate for v in evidence.verdicts]
    assert "default fixes + AS104 adam-default" in names
    assert result.changed and "AS104" in [f.code for f, _ in result.applied]


@pytest.mark.slow
def test_process_pool_gives_the_same_verdicts(binary_data):
    x, y = binary_data
    runs = {}
    for executor in ("inprocess", "processes"):
        result = autofix.fix(_slow_sgd(), x, y, fit_kwargs=FIT, verify=True, steps=128,
                             strategies=["AS103", "AS104", "AS201"], executor=executor, workers=2)
        report = result.verification.search
        runs[executor] = ([(t.code, t.round, t.steps, round(t.score, 6), t.outcome) for t in report.trials],
                          [(v.candidate, v.accepted, v.reason) for v in result.verification.verdicts])
        assert report.executor == executor
    assert runs["inprocess"] == runs["processes"]


def test_a_confirmed_rule_fix_whose_loss_still_falls_under_a_rate_finding_is_searched_on():
    """AF203 (sigmoid + categorical CE) is confirmed by non-inferiority at SGD(1.0), which AF302 flags: the arm
    still falls steeply, so the search goes on and its winner joins the rule fixes."""
    rng = np.random.default_rng(210)
    words = rng.integers(0, 32, size=3000)
    x = np.eye(32, dtype="float32")[words]
    y = np.eye(32, dtype="float32")[(words * 5 + (rng.random(3000) < 0.1)) % 32]
    model = keras.Sequential([keras.Input((32,)), L.Dense(100, activation="sigmoid"), L.Dense(32, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss="categorical_crossentropy")
    result = autofix.fix(model, x, y, fit_kwargs=dict(epochs=15, batch_size=300), verify=True, steps=120,
                         strategies=["AS204"])
    report = result.verification.search
    assert report.triggered and "learning-rate rule fired" in report.reason
    assert report.winner == "AS204 input-normalization"
    assert {"AF203", "AS204"} <= {f.code for f, _ in result.applied}
