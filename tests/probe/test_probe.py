"""Training probes: the AF6xx rules on measured facts, and a live probe on a tiny model."""

from __future__ import annotations

import numpy as np
import pytest

from autofix.probe import ProbeFacts, detect


def _codes(facts):
    return [f.code for f in detect(facts)]


def test_gap_between_fit_and_evaluate():
    assert _codes(ProbeFacts(fit_accuracy=0.95, eval_accuracy=0.5)) == ["AF601"]
    assert _codes(ProbeFacts(fit_accuracy=0.9, eval_accuracy=0.85)) == []


def test_constant_predictions():
    facts = ProbeFacts(fit_accuracy=0.5, eval_accuracy=0.5, majority_share=1.0, true_majority_share=0.5)
    (finding,) = detect(facts)
    assert finding.code == "AF602" and "collapsed" in finding.message
    balanced = ProbeFacts(fit_accuracy=0.5, eval_accuracy=0.5, majority_share=0.97, true_majority_share=0.96)
    assert _codes(balanced) == []


def test_diverging_and_flat_loss_suggest_a_learning_rate():
    diverging = ProbeFacts(losses=[1.0] * 6 + [3.0] * 6, learning_rate=0.01)
    (finding,) = detect(diverging)
    assert finding.code == "AF603" and finding.fixes[0].edits[0].value == pytest.approx(0.001)
    flat = ProbeFacts(losses=[0.693] * 12, learning_rate=1e-7)
    assert detect(flat)[0].fixes[0].edits[0].value == pytest.approx(1e-6)
    assert _codes(ProbeFacts(losses=list(np.linspace(1, 0.5, 12)), learning_rate=1e-3)) == []


def test_dead_relu_and_gradient_scale():
    facts = ProbeFacts(dead={"dense": 0.8, "dense_1": 0.1}, grad_norms={"a": 1e-9, "b": 1.0, "c": 5e3})
    assert sorted(_codes(facts)) == ["AF604", "AF605", "AF605"]


@pytest.mark.keras
def test_live_probe_finds_collapse_and_leaves_model_alone():
    keras = pytest.importorskip("keras")
    from autofix import diagnose as autofix_diagnose
    from autofix import fix as autofix_fix
    from autofix.api import diagnose_report
    from autofix.probe import probe, probe_facts

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1, activation="softmax")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    weights = [w.copy() for w in model.get_weights()]
    assert "AF602" in [f.code for f in probe(model, x, y, seed=0)]
    assert "AF602" in [f.code for f in autofix_diagnose(model, x, y, probe=True)]
    skipped = {s.code: s.reason for s in diagnose_report(model, x, y).skips}
    assert skipped["AF602"] == "no training probe was run (pass x, y and probe=True)"
    fixed = autofix_fix(model, x, y, probe=True)
    assert "AF602" in [f.code for f in fixed.findings] and "AF201" in [f.code for f, _ in fixed.applied]
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))
    facts = probe_facts(model, x, y, seed=0, steps=8)
    assert len(facts.losses) == 8 and set(facts.grad_norms) == {layer.name for layer in model.layers}
    assert probe_facts(model, x, y, seed=0, steps=8).losses == facts.losses


@pytest.mark.keras
def test_monitor_reports_during_fit_without_changing_it():
    keras = pytest.importorskip("keras")
    import subprocess
    import sys

    import autofix

    out = subprocess.run([sys.executable, "-c", "import sys, autofix; print('keras' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", "import autofix must stay free of keras"
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")

    def run(callbacks):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="softmax")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0, callbacks=callbacks)
        return model.get_weights()

    lines: list[str] = []
    monitor = autofix.Monitor(data=(x[:128], y[:128]), print_fn=lines.append)
    watched = run([monitor])
    assert {"AF201", "AF602"} <= {f.code for f in monitor.findings}
    assert len(lines) == len(monitor.findings)
    assert all(np.array_equal(a, b) for a, b in zip(watched, run([])))
