"""Data facts recorded by a capped run (``autofix-src --verify``) fill ``spec.data`` on the source path."""

from __future__ import annotations

import ast

from autofix.data import data_facts, data_from_json, data_to_json
from autofix.source.check import NO_DATA, match_observed
from autofix.source.extract import extract_source

import numpy as np

from helpers import run
from autofix.rules import select_rules
from autofix.source.check import check_source

SCRIPT = """import numpy as np
import keras
from keras.layers import Dense, Input
model = keras.Sequential()
model.add(Input(shape=(10, 4)))
model.add(Dense(8, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=3, batch_size=bs, shuffle=False)
"""


def _observed(layers=("Dense", "Dense"), sorted_labels=True):
    rng = np.random.default_rng(0)
    x = (-1.06 + 0.0012 * rng.normal(size=(200, 10, 4))).astype("float32")
    y = np.sort(rng.integers(0, 2, size=200)) if sorted_labels else rng.integers(0, 2, size=200)
    return {"layers": list(layers), "fit": {"epochs": 3, "batch_size": 16, "shuffle": False},
            "data": data_to_json(data_facts(x, y))}


def test_data_facts_json_round_trip():
    x = np.arange(60.0).reshape(20, 3)
    spec = data_facts(x, np.arange(20) % 2)
    back = data_from_json(__import__("json").loads(__import__("json").dumps(data_to_json(spec))))
    assert back == spec


def test_without_observed_data_rules_are_skipped_with_the_source_reason():
    result = run(SCRIPT)
    assert {s.code for s in result.skips if s.reason == NO_DATA} >= {"AF402", "AF404"}
    assert "AF402" not in [f.code for f in result.findings]


def test_observed_data_fills_spec_and_data_fixes_are_rewritten():
    result = check_source(SCRIPT, "train.py", select_rules(None), fix=True, unsafe=True, keras_version="3.15.1",
                          observed=_observed())
    applied = {f.code for f, _ in result.applied}
    assert {"AF402", "AF404"} <= applied, result.findings
    assert result.data_model == "model"
    finding = next(f for f, _ in result.applied if f.code == "AF402")
    assert (finding.origin.line, finding.origin.path) == (6, "train.py")
    assert "model.add(Normalization(axis=None, mean=-1.06" in result.fixed
    line = next(l for l in result.fixed.splitlines() if "Normalization(" in l)
    assert len(line) < 80, line  # rounded: no 17-digit floats
    assert "shuffle=True" in result.fixed
    ast.parse(result.fixed)
    again = check_source(result.fixed, "train.py", select_rules(None), fix=True, unsafe=True,
                         keras_version="3.15.1", observed=_observed(("Normalization", "Dense", "Dense")))
    assert not again.applied, again.applied


def test_matching_is_by_layers_and_refuses_ambiguity():
    two = SCRIPT + SCRIPT.split("\n", 3)[3].replace("model", "other")
    specs = extract_source(two, "t.py")
    assert len(specs) == 2
    index, why = match_observed(specs, {"layers": ["Dense", "Dense"]})
    assert index is None and "2 model(s)" in why
    one = extract_source(SCRIPT, "t.py")
    assert match_observed(one, {"layers": ["Dense", "Dense"]})[0] == 0
    assert match_observed(one, {"layers": ["Conv1D"]})[0] is None


NO_INPUT = """import keras
from keras import layers
model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=3, batch_size=16)
"""


def test_normalization_on_a_sequential_without_input_also_gets_its_input_layer():
    # a Sequential built inside fit()'s traced step cannot hold a Normalization with fixed statistics
    # (InaccessibleTensorError), so the rewrite gives it the data's feature shape first
    observed = {"layers": ["Dense", "Dense"], "fit": {"epochs": 3, "batch_size": 16},
                "data": data_to_json(data_facts(np.linspace(0, 900, 200).reshape(200, 1), np.arange(200) % 2))}
    result = check_source(NO_INPUT, "train.py", select_rules(["AF402"]), fix=True, unsafe=True,
                          keras_version="3.15.1", observed=observed)
    assert ("model = keras.Sequential([layers.InputLayer(shape=(1,)), layers.Normalization(axis=None, mean=450.0, "
            "variance=68200.0), layers.Dense(8") in result.fixed, result.fixed
    with_input = NO_INPUT.replace("[layers.Dense(8", "[keras.Input(shape=(1,)), layers.Dense(8")
    again = check_source(with_input, "train.py", select_rules(["AF402"]), fix=True, unsafe=True,
                         keras_version="3.15.1", observed=observed)
    assert "InputLayer" not in again.fixed and "layers.Normalization(axis=None" in again.fixed


def test_a_data_fix_written_under_observed_data_is_not_reported_as_remaining():
    """After a fix rewrites the data code, the run's data (of the original script) no longer describes it."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 4)).astype("float32")
    y = 255.0 * (x[:, 0] > 0)
    script = SCRIPT.replace("shape=(10, 4)", "shape=(4,)").replace(", shuffle=False", "")
    observed = {"layers": ["Dense", "Dense"], "fit": {"epochs": 3, "batch_size": 16},
                "data": data_to_json(data_facts(x, y))}
    result = check_source(script, "train.py", select_rules(["AF407"]), fix=True, unsafe=True,
                          keras_version="3.15.1", observed=observed)
    assert "model.fit(x, y / 255" in result.fixed, result.fixed
    assert [f.code for f, _ in result.applied] == ["AF407"] and not result.unwritable
    assert "AF407" not in [f.code for f in result.findings]


def test_rows_shuffled_apart_survive_the_runs_data_facts():
    """A capped run sees fit()'s arrays, not the order they came in: AF411's static fact is kept (r25's shape)."""
    script = """import numpy as np
import keras
from keras import layers


def features(x, rng, shuffle=True):
    order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
    return np.tanh(x[order]).astype("float32")


rng = np.random.default_rng(3)
raw = rng.normal(size=(200, 6))
labels = (raw[:, 0] > 0).astype("int32")
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(features(raw, rng), labels, epochs=1)
"""
    rng = np.random.default_rng(3)
    observed = {"layers": ["Dense"], "fit": {"epochs": 1},
                "data": data_to_json(data_facts(np.tanh(rng.normal(size=(200, 6))), rng.integers(0, 2, 200)))}
    result = check_source(script, "train.py", select_rules(["AF411"]), fix=True, unsafe=True,
                          keras_version="3.15.1", observed=observed)
    assert [f.code for f, _ in result.applied] == ["AF411"]
    assert "model.fit(features(raw, rng, shuffle=False), labels, epochs=1)" in result.fixed
