"""AF406's dead one-sided output (static proof and probe), AS208, and AF303's update target."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from autofix.findings import Finding
from autofix.rules import REGISTRY
from autofix.spec import CompileSpec, DataSpec, FitSpec, LayerSpec, ModelSpec
from autofix.strategies import REGISTRY as STRATEGIES

UNIFORM_POS = {"class_name": "RandomUniform", "config": {"minval": 0.0, "maxval": 0.05, "seed": None}}


def _relu_head(x_min=-2.0, x_max=-0.1, hidden=False, loss="mse", activation="relu", **dense):
    config = {"units": 1, "activation": activation, "kernel_initializer": UNIFORM_POS, **dense}
    layers = [LayerSpec("input", "InputLayer", {})]
    if hidden:
        layers.append(LayerSpec("h", "Dense", {"units": 8, "activation": "relu"}, inbound=("input",)))
    layers.append(LayerSpec("out", "Dense", config, inbound=(layers[-1].name,)))
    data = DataSpec(n_samples=200, x_shape=(2,), x_min=x_min, x_max=x_max, label_kind="continuous",
                    y_shape=(200,), y_min=0.2, y_max=4.0)
    return ModelSpec(layers=layers, inputs=("input",), outputs=("out",),
                     compile=CompileSpec(loss=loss, optimizer="adam", metrics=[]), data=data)


def _af406(spec):
    return [f for f in REGISTRY["AF406"]().run(spec) if isinstance(f, Finding)]


def test_dead_relu_output_is_proven_from_signs():
    (finding,) = _af406(_relu_head())
    assert "cannot fire" in finding.message and "x_max -0.1" in finding.message
    assert [(e.arg, e.value) for e in finding.fix.edits] == [("activation", "linear")]
    (mirror,) = _af406(_relu_head(x_min=0.1, x_max=2.0, kernel_initializer="zeros"))
    assert "x_min 0.1" in mirror.message  # zeros: the pre-activation is exactly 0, ReLU's gradient too


@pytest.mark.parametrize("spec", [
    _relu_head(x_max=0.5),                                         # some inputs positive: it can fire
    _relu_head(kernel_initializer="glorot_uniform"),              # signed draws
    _relu_head(bias_initializer={"class_name": "Constant", "config": {"value": 1.0}}),  # bias starts > 0
    _relu_head(hidden=True),                                       # a hidden layer between: not provable
    _relu_head(activation="softplus"),                             # one-sided but never flat: not dead
    _relu_head(loss="binary_crossentropy"),                        # not a regression
])
def test_dead_output_traps_stay_quiet(spec):
    assert _af406(spec) == []


def test_probe_shows_a_dead_output_unit():
    spec = _relu_head(kernel_initializer="glorot_uniform")
    spec.probe = SimpleNamespace(dead={"out": 1.0})
    (finding,) = _af406(spec)
    assert "training probe" in finding.message
    spec.probe = SimpleNamespace(dead={"out": 0.0, "h": 1.0})  # alive head: not AF406's finding
    assert _af406(spec) == []


def test_linear_output_strategy_only_for_regression_heads():
    strategy = STRATEGIES["AS208"]()
    assert [(e.layer, e.arg, e.value) for e in strategy.edits(_relu_head())] == [("out", "activation", "linear")]
    assert strategy.edits(_relu_head(loss="binary_crossentropy")) == []
    assert strategy.edits(_relu_head(activation="linear")) == []
    assert strategy.applies(_relu_head(), {"dead-units"})


def _fit(optimizer, n=337, batch=5, epochs=1):
    layers = [LayerSpec("input", "InputLayer", {}),
              LayerSpec("out", "Dense", {"units": 3, "activation": "softmax"}, inbound=("input",))]
    return ModelSpec(layers=layers, inputs=("input",), outputs=("out",),
                     compile=CompileSpec(loss="categorical_crossentropy", optimizer=optimizer, metrics=[]),
                     fit=FitSpec(epochs=epochs, batch_size=batch, shuffle=True),
                     data=DataSpec(n_samples=n, x_shape=(4,)))


@pytest.mark.parametrize("optimizer, epochs", [
    ("adam", 30),    # 2 / 1e-3 = 2000 updates at 68 batches per epoch (r15: 1 epoch of batch 5 over 337 rows)
    ({"class_name": "SGD", "config": {"learning_rate": 0.05}}, 2),   # 2 / 0.05 = 40 < the floor of 100
    ({"class_name": "Adam", "config": {"learning_rate": {"class_name": "ExponentialDecay"}}}, 2),  # unknown
])
def test_update_target_follows_the_learning_rate(optimizer, epochs):
    (finding,) = REGISTRY["AF303"]().run(_fit(optimizer))
    assert {e.arg: e.value for e in finding.fix.edits} == {"epochs": epochs}


def test_update_target_never_reports_enough_updates():
    assert REGISTRY["AF303"]().run(_fit("adam", n=60000, batch=32, epochs=1)) == []  # 1875 updates
