"""A fix that changes a value the script passes through a variable is not written as a literal in the call."""

from __future__ import annotations

import pytest

from helpers import run

HEAD = """import numpy as np
import keras
from keras import layers
rng = np.random.default_rng(0)
x = rng.normal(size=(600, 8)).astype("float32")
y = (x[:, 0] > 0).astype("int64")
"""
MODEL = ('model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), '
         'layers.Dense(1, activation="sigmoid")])\n'
         'model.compile(optimizer="adam", loss="binary_crossentropy")\n')


def test_a_module_constant_read_only_here_is_changed_where_it_is_set():
    code = HEAD + "EPOCHS = 1  # quick run\n" + MODEL + "model.fit(x, y, epochs=EPOCHS, batch_size=32)\n"
    result = run(code, fix=True, select=["AF303"])
    assert result.fixed == code.replace("EPOCHS = 1  # quick run", "EPOCHS = 106  # quick run"), result.fixed  # 2000 / 19 batches
    assert not result.unwritable


@pytest.mark.parametrize("setup, call, written", [
    # read twice: changing EPOCHS would change the print too
    ("EPOCHS = 1\nprint(EPOCHS)\n", "model.fit(x, y, epochs=EPOCHS, batch_size=600)\n", "EPOCHS"),
    # bound twice (a later line overrides a default)
    ("EPOCHS = 3\nEPOCHS = 1\n", "model.fit(x, y, epochs=EPOCHS, batch_size=600)\n", "EPOCHS"),
])
def test_a_fit_setting_from_a_shared_variable_is_reported_not_inlined(setup, call, written):
    code = HEAD + setup + MODEL + call
    result = run(code, fix=True, select=["AF303"])
    assert result.fixed == code, "the script is left as written"
    assert [f.code for f, _ in result.unwritable] == ["AF303"], result.findings
    why = result.unwritable[0][1]
    assert f"set from `{written}`" in why and "does not replace a variable" in why


BUILDER = HEAD + """
def build(activation="sigmoid", depth=8):
    model = keras.Sequential([keras.Input((8,))])
    for _ in range(8):
        model.add(layers.Dense(32, activation=activation))
    model.add(layers.Dense(1, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


model = build()
"""


def test_a_layer_argument_from_a_parameter_default_is_changed_at_the_default():
    result = run(BUILDER, fix=True, select=["AF102"])
    assert result.fixed == BUILDER.replace('def build(activation="sigmoid"', 'def build(activation="relu"')


@pytest.mark.parametrize("call", ['build(activation="sigmoid")', 'build("sigmoid")'])
def test_a_parameter_a_caller_passes_is_reported_not_inlined(call):
    code = BUILDER.replace("model = build()", f"model = build()\nother = {call}")
    result = run(code, fix=True, select=["AF102"])
    assert result.fixed == code and "set from `activation`" in result.unwritable[0][1]


@pytest.mark.parametrize("batch", ["len(x)", "x.shape[0]", "600"])
def test_computed_values_and_literals_are_still_fixed(batch):
    code = HEAD + MODEL + f"model.fit(x, y, epochs=5, batch_size={batch})\n"
    result = run(code, fix=True, select=["AF303"])
    assert "batch_size=32" in result.fixed and not result.unwritable


def test_a_rename_keeps_the_variable():
    code = HEAD + "EPOCHS = 20\n" + MODEL + "model.fit(x, y, nb_epoch=EPOCHS, batch_size=32)\n"
    result = run(code, fix=True, select=["AF501"])
    assert "model.fit(x, y, epochs=EPOCHS, batch_size=32)" in result.fixed


@pytest.mark.parametrize("value, variable", [
    ("EPOCHS", True), ('cfg["epochs"]', True), ("self.epochs", True), ("args.epochs * 2", True), ("-RATE", True), ("run_config.epochs", True), ("np.inf", False),
    ("len(x)", False), ("x.shape[0]", False), ("sizes[-1]", False), ("keras.initializers.Ones()", False),
    ("keras.activations.relu", False), ("None", False), ("20", False),
])
def test_what_counts_as_a_variable(value, variable):
    import libcst as cst

    from autofix.source.render import variable_argument

    call = cst.parse_expression(f"model.fit(x, y, epochs={value})")
    assert (variable_argument(call, "fit", "", "epochs", frozenset({"keras", "np"})) is not None) is variable


def test_a_keras1_keyword_from_a_variable_is_renamed_keeping_it():
    code = ("import keras\nfrom keras.layers import Dense, MaxPooling1D, Conv1D, Flatten\npool_length = 4\n"
            "model = keras.Sequential([keras.Input((40, 1)), Conv1D(8, 3, activation='relu'),\n"
            "                          MaxPooling1D(pool_length=pool_length), Flatten(), Dense(1, activation='sigmoid')])\n")
    result = run(code, fix=True, select=["AF501"])
    assert "MaxPooling1D(pool_size=pool_length)" in result.fixed and not result.unwritable


@pytest.mark.parametrize("call, written", [('build(activation="sigmoid")', 'build(activation="relu")'),
                                           ('build("sigmoid", 8)', 'build("relu", 8)')])
def test_a_parameter_its_one_caller_passes_as_a_literal_is_changed_at_that_call(call, written):
    code = BUILDER.replace("model = build()", f"model = {call}")
    result = run(code, fix=True, select=["AF102"])
    assert result.fixed == code.replace(f"model = {call}", f"model = {written}"), result.fixed
    assert 'def build(activation="sigmoid", depth=8)' in result.fixed  # the default stays


def test_a_parameter_passed_through_a_variable_or_star_args_is_reported_not_inlined():
    for call in ["build(activation=ACT)", "build(*args)"]:
        code = BUILDER.replace("model = build()", f"ACT = 'sigmoid'\nargs = ['sigmoid']\nmodel = {call}")
        result = run(code, fix=True, select=["AF102"])
        assert result.fixed == code, call
