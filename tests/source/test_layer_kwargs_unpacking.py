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


def test_the_fix_is_not_written_beside_the_dict():
    code = LOOP.format(init='dict(kernel_initializer="ones")')
    result = run(code, select=["AF105"], fix=True)
    assert result.fixed == code  # kernel_initializer= beside **INIT would be a TypeError
    reasons = [reason for _, reason in result.unwritable]
    assert reasons and all("takes **INIT" in reason for reason in reasons)
