"""AF207-AF209, AF303, AF304, AF405, AF406: the target-range and update-count logic they share.

Each example's message, line and rewrite are checked by the generated example tests.
"""

from __future__ import annotations

import pytest

from autofix.findings import Finding
from autofix.rules import REGISTRY, select_rules
from autofix.source.check import check_source
from autofix.spec import CompileSpec, DataSpec, FitSpec, LayerSpec, ModelSpec

CODES = ("AF207", "AF208", "AF209", "AF303", "AF304", "AF405", "AF406")


def _regression_spec(activation: str, y_min: float, y_max: float, label_kind: str = "continuous") -> ModelSpec:
    layers = [
        LayerSpec("input", "InputLayer", {}),
        LayerSpec("out", "Dense", {"units": 1, "activation": activation}, inbound=("input",)),
    ]
    data = DataSpec(n_samples=100, x_shape=(4,), x_min=0.0, x_max=1.0, x_mean=0.5, x_std=0.3,
                    label_kind=label_kind, y_shape=(100,))
    data.y_min, data.y_max = y_min, y_max  # recorded by the data facts once DataSpec has them
    return ModelSpec(layers=layers, inputs=("input",), outputs=("out",),
                     compile=CompileSpec(loss="mse", optimizer="adam", metrics=[]), data=data)


@pytest.mark.parametrize("activation, low, high, reported", [
    ("relu", -3.0, 5.0, True),      # negative targets under a ReLU head
    ("sigmoid", 0.0, 250.0, True),  # prices under a sigmoid
    ("tanh", -0.9, 0.9, False),
    ("sigmoid", 0.02, 0.98, False),  # a proportion
    ("linear", -100.0, 100.0, False),
])
def test_bounded_head_reads_recorded_target_range(activation, low, high, reported):
    spec = _regression_spec(activation, low, high)
    findings = [f for f in REGISTRY["AF406"]().run(spec) if isinstance(f, Finding)]
    assert bool(findings) is reported
    if reported:
        assert f"span {low:g}..{high:g}" in findings[0].message


def test_bounded_head_never_guesses_continuous_targets_without_range():
    spec = _regression_spec("sigmoid", 0.0, 0.0)
    del spec.data.y_min, spec.data.y_max
    assert REGISTRY["AF406"]().run(spec) == []


def _fit_spec(**fit) -> ModelSpec:
    layers = [LayerSpec("input", "InputLayer", {}),
              LayerSpec("out", "Dense", {"units": 1, "activation": "sigmoid"}, inbound=("input",))]
    data = DataSpec(n_samples=fit.pop("n"), x_shape=(4,), x_min=0.0, x_max=1.0, x_mean=0.5, x_std=0.3)
    return ModelSpec(layers=layers, inputs=("input",), outputs=("out",), fit=FitSpec(**fit), data=data)


@pytest.mark.parametrize("n, batch, epochs, updates", [
    (9600, 32, 10, None),   # 10 epochs x 300 batches
    (1000, 1000, 5, 5),     # full batch
    (100, 32, 1, 4),
    (3200, 32, 1, None),    # exactly 100 updates
    (24, 32, 10, None),     # arrays smaller than one batch: a sample, not the training set
])
def test_too_few_updates_counts(n, batch, epochs, updates):
    spec = _fit_spec(n=n, batch_size=batch, epochs=epochs, shuffle=True)
    findings = REGISTRY["AF303"]().run(spec)
    if updates is None:
        assert findings == []
    else:
        assert f"only {updates} optimizer update" in findings[0].message


def test_too_few_updates_fix_reaches_the_minimum():
    spec = _fit_spec(n=100, batch_size=32, epochs=1, shuffle=True)
    (finding,) = REGISTRY["AF303"]().run(spec)
    edits = {e.arg: e.value for e in finding.fix.edits}
    assert edits == {"epochs": 25}  # 4 batches per epoch x 25 epochs = 100 updates


def test_corpus_correct_has_no_findings():
    from pathlib import Path

    rules = select_rules(list(CODES))
    for path in sorted((Path(__file__).parent / "source" / "corpus_correct").glob("*.py")):
        result = check_source(path.read_text(), str(path), rules)
        assert result.findings == [], (path.name, [f.render() for f in result.findings])
