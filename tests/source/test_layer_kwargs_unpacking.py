"""``layers.Dense(n, **INIT)``: layer settings read from a visible dict; a fix never adds a second value."""

from __future__ import annotations

from helpers import run

LOOP = """import keras
from keras import layers
INIT = {init}
def build_model(sizes=(32, 32)):
    model = keras.Sequential([keras.Input(shape=(6,))])
    for units in sizes:
        model.add(layers.Dense(units, activation="sigmoid", **INIT))
    model.add(layers.Dense(1, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model
model = build_model()
"""


def test_constant_kernel_from_a_dict_call_is_found():
    result = run(LOOP.format(init='dict(kernel_initializer="ones", bias_initializer="ones")'), select=["AF105"])
    assert [f.code for f in result.findings] == ["AF105", "AF105"]


def test_constant_kernel_from_a_dict_literal_is_found():
    result = run(LOOP.format(init='{"kernel_initializer": "zeros"}'), select=["AF105"])
    assert [f.code for f in result.findings] == ["AF105", "AF105"]


def test_random_kernel_in_the_dict_is_quiet():
    assert run(LOOP.format(init='dict(kernel_initializer="he_normal")'), select=["AF105"]).findings == []


def test_a_dict_the_script_does_not_show_is_not_guessed():
    code = LOOP.replace("INIT = {init}\n", "import json\nINIT = json.load(open('init.json'))\n")
    assert run(code, select=["AF105"]).findings == []


def test_the_fix_overrides_the_dict_for_its_own_call_only():
    """A second ``kernel_initializer=`` beside ``**INIT`` would be a TypeError, and editing ``INIT`` would change
    every call reading it: the call gets ``**dict(INIT, kernel_initializer=...)``."""
    code = LOOP.format(init='dict(kernel_initializer="ones")')
    result = run(code, select=["AF105"], fix=True)
    assert result.fixed == code.replace("**INIT)", '**dict(INIT, kernel_initializer="glorot_uniform"))')
    compile(result.fixed, "train.py", "exec")
    again = run(result.fixed, select=["AF105"], fix=True)  # the override is read back: nothing left to fix
    assert again.findings == [] and again.fixed == result.fixed


def test_a_dict_shared_with_the_output_layer_is_overridden_per_call():
    code = LOOP.format(init='dict(kernel_initializer="ones", bias_initializer="ones")').replace(
        'model.add(layers.Dense(1, activation="sigmoid"))', 'model.add(layers.Dense(1, activation="sigmoid", **INIT))')
    result = run(code, select=["AF105"], fix=True)
    assert len(result.applied) == 3  # two hidden layers from one loop call, and the saturated output
    assert result.fixed == code.replace("**INIT)", '**dict(INIT, kernel_initializer="glorot_uniform"))')
    assert 'INIT = dict(kernel_initializer="ones", bias_initializer="ones")' in result.fixed


def test_an_override_already_there_gets_the_key_set_in_it():
    code = LOOP.format(init='dict(kernel_initializer="he_normal")').replace(
        "**INIT))", '**dict(INIT, kernel_initializer="zeros")))')
    result = run(code, select=["AF105"], fix=True)
    assert result.fixed == code.replace('kernel_initializer="zeros"', 'kernel_initializer="glorot_uniform"')
