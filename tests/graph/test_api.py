"""The live-model API: never mutate, clear errors, explained skips, weights kept."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from keras import layers

import autofix
from autofix.api import diagnose_report
from autofix.errors import UnsupportedModel
from autofix.testing import layer_signature

pytestmark = pytest.mark.keras


def _broken_binary(functional: bool = False):
    keras.utils.set_random_seed(0)
    if functional:
        inputs = keras.Input((12,))
        x = layers.Dense(8, name="hidden")(inputs)
        x = layers.Dense(8, activation="relu", name="hidden2")(x)
        x = layers.Dense(1, name="out")(x)
        outputs = layers.Activation("softmax", name="act")(x)
        model = keras.Model(inputs, outputs)
    else:
        model = keras.Sequential([
            keras.Input((12,)), layers.Dense(8, name="hidden"),
            layers.Dense(8, activation="relu", name="hidden2"),
            layers.Dense(1, name="out"), layers.Activation("softmax", name="act"),
        ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


@pytest.mark.parametrize("functional", [False, True])
def test_fix_returns_new_model_keeps_weights_and_input_untouched(functional):
    model = _broken_binary(functional)
    weights = [w.copy() for w in model.get_weights()]
    signature = layer_signature(model)
    result = autofix.fix(model)
    assert sorted(f.code for f, _ in result.applied) == ["AF101", "AF201"]
    assert result.model is not model and result.changed
    assert layer_signature(model) == signature
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))
    for name in ("hidden", "hidden2", "out"):
        for old, new in zip(model.get_layer(name).get_weights(), result.model.get_layer(name).get_weights()):
            np.testing.assert_array_equal(old, new)
    assert result.model.get_layer("hidden").get_config()["activation"] == "relu"
    assert result.model.get_layer("act").get_config()["activation"] == "sigmoid"
    assert result.model.compiled and autofix.diagnose(result.model) == []


def test_summary_reports_findings_fixes_and_params():
    lines: list[str] = []
    autofix.fix(_broken_binary()).summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "AF201" in text and "AF101" in text and "Parameters:" in text


def test_fixed_model_learns_where_the_original_cannot():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 12)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")
    original = _broken_binary()
    fixed = autofix.fix(original).model
    keras.utils.set_random_seed(1)
    original.fit(x, y, epochs=40, batch_size=16, verbose=0)
    keras.utils.set_random_seed(1)
    fixed.fit(x, y, epochs=40, batch_size=16, verbose=0)
    before = original.evaluate(x, y, verbose=0)[1]
    after = fixed.evaluate(x, y, verbose=0)[1]
    assert before < 0.6 and after > 0.85, (before, after)


def test_non_keras_object_gets_a_clear_type_error():
    with pytest.raises(TypeError, match="expects a keras.Model"):
        autofix.diagnose("model.h5")


def test_uncompiled_model_runs_architecture_rules_and_skips_loss_rules():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(1, activation="softmax")])
    report = diagnose_report(model)
    assert {f.code for f in report.findings} == {"AF101", "AF201"}
    reasons = {s.code: s.reason for s in report.skips}
    assert "not compiled" in reasons["AF202"]
    result = autofix.fix(model)
    assert not result.model.compiled and result.model.layers[-1].get_config()["activation"] == "sigmoid"


def test_unbuilt_model_is_diagnosed_and_rebuilt():
    model = keras.Sequential([layers.Dense(3), layers.Dense(1, activation="softmax")])
    report = diagnose_report(model)
    assert {f.code for f in report.findings} == {"AF101", "AF201"}
    assert any("parameter counts" in s.reason for s in report.skips)
    assert autofix.fix(model).model.layers[-1].get_config()["activation"] == "sigmoid"


class Subclassed(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(4)
        self.out = layers.Dense(1, activation="softmax")

    def call(self, x):
        return self.out(self.hidden(x))


def test_subclassed_model_gets_an_explained_skip():
    model = Subclassed()
    model(np.zeros((1, 3)))
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy")
    report = diagnose_report(model)
    assert [f.code for f in report.findings] == ["AF302"]  # compile facts stay visible
    assert any("subclassed" in s.reason for s in report.skips)
    result = autofix.fix(model)  # the rate is display-only without verification
    assert result.model is model and not result.changed
    assert any("subclassed" in s.reason for s in result.skips)


class Ring(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(32, activation="relu")
        self.out = layers.Dense(3, activation="softmax")

    def call(self, x):
        return self.out(self.hidden(x))


class NeedsWidth(Ring):
    def __init__(self, width):
        super().__init__()
        self.width = width


def _rings(n=900):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(n, 4)).astype("float32")
    labels = np.digitize(np.hypot(x[:, 0], x[:, 1]), [0.9, 1.5])
    return x, keras.utils.to_categorical(labels, 3)


def test_a_subclassed_models_learning_rate_is_verified_on_new_instances_of_its_class():
    x, y = _rings()
    model = Ring()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-5, momentum=0.9), loss="categorical_crossentropy")
    result = autofix.fix(model, x, y, fit_kwargs=dict(epochs=10, batch_size=32), verify=True, budget=30, seed=0)
    assert result.changed and [f.code for f, _ in result.applied] == ["AF302"]
    assert type(result.model) is Ring and result.model is not model
    assert float(result.model.optimizer.learning_rate) > 1e-4
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-5)  # the input model is untouched


def test_a_subclassed_model_that_cannot_be_copied_is_explained_not_raised():
    x, y = _rings(300)
    model = NeedsWidth(8)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-5), loss="categorical_crossentropy")
    result = autofix.fix(model, x, y, fit_kwargs=dict(epochs=2, batch_size=32), verify=True, budget=5)
    assert result.model is model and not result.changed
    assert any("cannot be copied" in note for note in result.notes), result.notes


@keras.saving.register_keras_serializable(package="autofix_tests")
class Scale(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class Unregistered(layers.Layer):
    def call(self, x):
        return x


def test_registered_custom_layer_survives_a_rebuild():
    model = keras.Sequential([keras.Input((4,)), Scale(3.0), layers.Dense(1, activation="softmax")])
    result = autofix.fix(model)
    assert result.changed and type(result.model.layers[0]).__name__ == "Scale"
    assert result.model.layers[0].factor == 3.0


def test_unregistered_custom_layer_is_an_explained_skip():
    model = keras.Sequential([keras.Input((4,)), Unregistered(), layers.Dense(1, activation="softmax")])
    result = autofix.fix(model)
    assert [f.code for f in result.findings] == ["AF201"]
    assert result.model is model and any("could not be rebuilt" in n for n in result.notes)


def test_nested_model_is_diagnosed_and_fixed_inside():
    inner = keras.Sequential([keras.Input((6,)), layers.Dense(5), layers.Dense(4, activation="relu"),
                              layers.Dense(2, activation="softmax")], name="inner")
    inputs = keras.Input((6,))
    model = keras.Model(inputs, inner(inputs))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    codes = {f.code for f in autofix.diagnose(model)}
    assert codes == {"AF101", "AF202"}
    result = autofix.fix(model)
    new_inner = result.model.get_layer("inner")
    assert new_inner.layers[0].get_config()["activation"] == "relu"
    assert result.model.get_compile_config()["loss"] == "categorical_crossentropy"


def test_safe_only_mode_skips_unsafe_fixes():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="relu"),
                              layers.Dense(3, activation="softmax"), layers.Dropout(0.5)])
    assert autofix.fix(model, unsafe_fixes=False).applied == []
    assert [f.code for f, _ in autofix.fix(model).applied] == ["AF103"]


def test_select_and_ignore():
    model = _broken_binary()
    assert {f.code for f in autofix.diagnose(model, select=["AF2"])} == {"AF201"}
    assert {f.code for f in autofix.diagnose(model, ignore=["missing-activation"])} == {"AF201"}
    with pytest.raises(ValueError, match="unknown rule selector"):
        autofix.diagnose(model, select=["XX9"])


def test_data_rules_need_data_and_fit_settings():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x = np.random.default_rng(0).random((40, 4))
    y = (np.arange(40) >= 20).astype("int32")
    assert autofix.diagnose(model, x, y) == []
    result = autofix.fix(model, x, y, fit_kwargs={"shuffle": False})
    assert [f.code for f, _ in result.applied] == ["AF404"] and result.fit_kwargs == {"shuffle": True}
    assert not result.changed or result.model is not model


def test_dataset_input_is_skipped_with_a_reason():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
    report = diagnose_report(model, iter([1, 2]), None)
    assert any("not an array" in s.reason for s in report.skips)


def test_loss_given_as_a_function_runs_every_rule():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss=keras.losses.categorical_crossentropy,
                  metrics=[keras.metrics.Precision()])
    report = diagnose_report(model)
    assert not [s for s in report.skips if "internal error" in s.reason]
    assert [f.code for f in report.findings] == ["AF206"]


def test_validation_data_given_to_fix_is_measured_by_the_split_rule():
    """fix(..., validation_data=) (not only fit_kwargs) feeds AF410: held-out inputs and targets on another scale."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 4)).astype("float32")
    y = (50.0 + 20.0 * x[:, 0]).astype("float32")
    model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    codes = lambda result: [f.code for f in result.findings]  # noqa: E731
    assert "AF410" not in codes(autofix.fix(model, x, y / 100.0, validation_data=(x, y / 100.0)))
    targets = autofix.fix(model, x, y / 100.0, validation_data=(x, y))
    assert any(f.code == "AF410" and "targets" in f.message for f in targets.findings)
    inputs = autofix.fix(model, x, y, validation_data=(x * 255.0, y))
    assert any(f.code == "AF410" and "inputs" in f.message for f in inputs.findings)
    assert "AF410" not in codes(autofix.fix(model, x, y))
