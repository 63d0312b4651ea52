"""Values followed through the code people write: ``**settings`` dicts, loops, parameters, branches."""

from __future__ import annotations

from autofix.source.extract import extract_source
from autofix.values import Opaque
from helpers import run

HEAD = "import keras\nfrom keras import layers\nimport numpy as np\n"
MODEL = ('model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])\n'
         'model.compile(optimizer="adam", loss="binary_crossentropy")\n')


def only(code: str):
    (spec,) = extract_source(HEAD + code)
    return spec


def dense_units(spec) -> list:
    return [layer.get("units") for layer in spec.layers if layer.class_name == "Dense"]


# -- **settings -------------------------------------------------------------------------
def test_fit_dict_is_expanded_with_each_value_where_the_dict_writes_it():
    spec = only('FIT = dict(epochs=2, batch_size=64)\n' + MODEL + "model.fit(x, y, **FIT)\n")
    assert (spec.fit.epochs, spec.fit.batch_size) == (2, 64)
    assert (spec.fit.arg_origins["epochs"].line, spec.fit.arg_origins["epochs"].col) == (4, 19)  # the 2 inside dict(...)


def test_a_braces_dict_local_to_a_function_is_expanded():
    spec = only("def train(model, x, y):\n    cfg = {'epochs': 3, 'shuffle': False}\n    model.fit(x, y, **cfg)\n\n"
                + MODEL + "train(model, x, y)\n")
    assert (spec.fit.epochs, spec.fit.shuffle) == (3, False)


def test_the_rewrite_edits_only_the_value_inside_the_dict():
    code = (HEAD + "x = np.zeros((500, 4))\nFIT = dict(epochs=3,  # short\n           batch_size=len(x))\n"
            + MODEL + "model.fit(x, np.zeros(500), verbose=0, **FIT)\n")
    result = run(code, select=["AF303"], fix=True)
    assert result.fixed == code.replace("epochs=3,", "epochs=125,").replace("batch_size=len(x)", "batch_size=32")


def test_a_mutated_dict_is_opaque():
    for mutation in ('FIT.update(epochs=300)\n', 'FIT["epochs"] = 300\n', 'FIT |= {"epochs": 300}\n'):
        spec = only('FIT = dict(epochs=1, batch_size=8)\n' + mutation + MODEL + "model.fit(x, y, **FIT)\n")
        assert isinstance(spec.fit.epochs, Opaque), mutation


def test_a_dict_assigned_in_branches_is_opaque():
    spec = only("if fast:\n    FIT = dict(epochs=1)\nelse:\n    FIT = dict(epochs=50)\n" + MODEL
                + "model.fit(x, y, **FIT)\n")
    assert isinstance(spec.fit.epochs, Opaque)


def test_compile_dict_is_expanded_and_a_hidden_one_is_opaque():
    spec = only('CFG = dict(optimizer="sgd", loss="mse", metrics=["mae"])\n'
                'model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])\nmodel.compile(**CFG)\n')
    assert (spec.compile.optimizer, spec.compile.loss, spec.compile.metrics) == ("sgd", "mse", ["mae"])
    spec = only('model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])\nmodel.compile(**settings)\n')
    assert isinstance(spec.compile.optimizer, Opaque) and isinstance(spec.compile.loss, Opaque)


# -- loops ------------------------------------------------------------------------------
def loop_model(iterable: str, prefix: str = "") -> str:
    return (prefix + "model = keras.Sequential([keras.Input((4,))])\n"
            f"for units in {iterable}:\n    model.add(layers.Dense(units, activation='relu'))\n")


def test_loops_over_literal_sequences_are_unrolled():
    assert dense_units(only(loop_model("(32,) * 3"))) == [32, 32, 32]
    assert dense_units(only(loop_model("[64] + [32, 16]"))) == [64, 32, 16]
    assert dense_units(only(loop_model("SIZES", "SIZES = (8, 4)\n"))) == [8, 4]
    spec = only("model = keras.Sequential([keras.Input((4,))])\n"
                "for _ in range(4):\n    model.add(layers.Dense(8))\n")
    assert dense_units(spec) == [8] * 4


def test_enumerate_zip_and_comprehensions_bind_each_item():
    spec = only("model = keras.Sequential([keras.Input((4,))])\n"
                "for units, act in zip([16, 8], ['relu', 'tanh']):\n    model.add(layers.Dense(units, activation=act))\n")
    assert [(lay.get("units"), lay.get("activation")) for lay in spec.layers[1:]] == [(16, "relu"), (8, "tanh")]
    spec = only("blocks = [layers.Dense(u) for u in (12, 6)]\n"
                "model = keras.Sequential([keras.Input((4,)), *blocks, layers.Dense(1)])\n")
    assert dense_units(spec) == [12, 6, 1]


def test_range_of_a_parameter_the_callers_disagree_on_is_not_unrolled():
    code = ("def build(n):\n    model = keras.Sequential([keras.Input((4,))])\n"
            "    for _ in range(n):\n        model.add(layers.Dense(8, activation='sigmoid'))\n"
            "    return model\n\n\na = build(2)\nb = build(8)\n")
    assert dense_units(only(code)) == [8]  # one pass read, never 2 or 8 guessed
    assert dense_units(only(code.replace("a = build(2)\nb = build(8)\n", ""))) == [8]  # no caller: n unknown
    assert dense_units(only(code.replace("b = build(8)\n", "b = build(2)\n"))) == [8, 8]  # both pass 2


# -- parameters -------------------------------------------------------------------------
BUILDER = ("def make(n_classes=3, act='softmax'):\n"
           "    model = keras.Sequential([keras.Input((4,)), layers.Dense(n_classes, activation=act)])\n"
           "    return model\n\n\n")


def test_a_parameter_is_its_default_or_the_literal_every_call_passes():
    assert only(BUILDER + "m = make()\n").layers[-1].config["units"] == 3
    assert only(BUILDER + "m = make(5)\nk = make(n_classes=5)\n").layers[-1].config["units"] == 5
    assert only(BUILDER + "m = make(5)\nk = make()\n").layers[-1].config["activation"] == "softmax"


def test_a_parameter_callers_disagree_on_or_cannot_be_seen_is_opaque():
    for calls in ("m = make(5)\nk = make(2)\n", "m = make(*args)\n", "m = make(k)\n", "factory = make\n"):
        assert isinstance(only(BUILDER + calls).layers[-1].config["units"], Opaque), calls


def test_a_global_rebound_after_the_function_is_opaque_inside_it():
    code = ("UNITS = 4\n\n\ndef make():\n    return keras.Sequential([keras.Input((4,)), layers.Dense(UNITS)])\n\n\n"
            "UNITS = 16\nm = make()\n")
    assert isinstance(only(code).layers[-1].config["units"], Opaque)


# -- branches and snippets --------------------------------------------------------------
def test_values_bound_differently_in_branches_loops_and_handlers_are_opaque():
    for block in ("if fast:\n    EPOCHS = 1\nelse:\n    EPOCHS = 50\n",
                  "EPOCHS = 50\ntry:\n    EPOCHS = int(arg)\nexcept ValueError:\n    EPOCHS = 1\n",
                  "EPOCHS = 50\nwhile tuning:\n    EPOCHS = 1\n",
                  "EPOCHS = 50\nfor trial in trials:\n    EPOCHS = 1\n"):
        spec = only(block + MODEL + "model.fit(x, y, epochs=EPOCHS)\n")
        assert isinstance(spec.fit.epochs, Opaque), block


def test_a_pasted_snippet_without_imports_is_checked():
    code = ("model = Sequential()\nmodel.add(Dense(64, activation='relu', input_shape=(8,)))\n"
            "model.add(Dense(3, activation='sigmoid'))\nmodel.compile(loss='categorical_crossentropy', optimizer='adam')\n")
    assert [f.code for f in run(code).findings] == ["AF203"]
    assert run("x = [1, 2]\nprint(Sequential)\n").findings == []


def test_a_name_defined_from_itself_is_opaque_not_a_recursion():
    # the shape of Keras 2.3.1's lstm_seq2seq text loop (a RecursionError, reported as an internal error)
    code = """import keras
from keras import layers
chars = set()
for line in lines:
    source, target = line.split("\\t")
    target = "\\t" + target + "\\n"
    for char in target:
        chars.add(char)
model = keras.Sequential([keras.Input((4,)), layers.Dense(target)])
"""
    (spec,) = extract_source(code)
    assert isinstance(spec.layers[-1].config["units"], Opaque)


# -- config dicts -----------------------------------------------------------------------
CONFIG = ('CONFIG = {\n    "hidden": [16, 8],\n    "head": {"n": 1},\n    "units": 1,\n'
          '    "act": "sigmoid",\n    "loss": "binary_crossentropy",\n}\n\n\n')
CONFIG_BUILD = ("def build(config=CONFIG):\n    model = keras.Sequential([keras.Input((4,))])\n"
                "    for units in config['hidden']:\n        model.add(layers.Dense(units, activation='relu'))\n"
                "    model.add(layers.Dense(config['units'], activation=config.get('act', 'linear')))\n"
                "    model.compile(optimizer='adam', loss=config['loss'])\n    return model\n\n\n")
CONFIG_FIT = "model.fit(np.random.rand(60, 4), np.arange(60) % 4, epochs=1)\n"


def test_a_config_dict_default_is_followed_through_subscripts_get_and_loops():
    spec = only(CONFIG + CONFIG_BUILD + "model = build()\n")
    assert dense_units(spec) == [16, 8, 1] and spec.layers[-1].config["activation"] == "sigmoid"
    assert spec.compile.loss == "binary_crossentropy" and spec.compile.loss_origin.line == 9  # the dict entry
    nested = CONFIG_BUILD.replace("config['units']", "config['head']['n']")
    assert dense_units(only(CONFIG + nested + "model = build(CONFIG)\n")) == [16, 8, 1]
    other = CONFIG + CONFIG.replace("CONFIG", "OTHER").replace('"units": 1,', '"units": 3,')
    assert dense_units(only(other + CONFIG_BUILD + "model = build(OTHER)\n")) == [16, 8, 3]


def test_a_mutated_or_disagreed_on_config_dict_is_opaque():
    for after in ('CONFIG["units"] = 4\n', 'CONFIG.update(units=4)\n', 'CONFIG["hidden"].append(4)\n',
                  'cfg = CONFIG\ncfg["units"] = 4\n', 'def tweak(c):\n    c["units"] = 4\n\n\ntweak(CONFIG)\n',
                  'model = build({"units": 4})\n'):
        spec = only(CONFIG + after + CONFIG_BUILD + "model = build()\n")
        assert isinstance(spec.layers[-1].config["units"], Opaque), after
    spec = only(CONFIG + CONFIG_BUILD.replace("config['units']", "config[key]") + "model = build()\n")
    assert isinstance(spec.layers[-1].config["units"], Opaque)


def test_the_fix_edits_the_literals_inside_the_config_dict_and_nothing_else():
    code = HEAD + CONFIG + CONFIG_BUILD + "model = build()\n" + CONFIG_FIT
    assert [f.code for f in run(code, select=["AF405"]).findings] == ["AF405"]
    result = run(code, select=["AF405"], fix=True, unsafe=True)
    changed = [(a, b) for a, b in zip(code.splitlines(), result.fixed.splitlines()) if a != b]
    assert changed == [('    "units": 1,', '    "units": 4,'), ('    "act": "sigmoid",', '    "act": "softmax",'),
                       ('    "loss": "binary_crossentropy",', '    "loss": "sparse_categorical_crossentropy",')]
    correct = CONFIG.replace('"units": 1,', '"units": 4,').replace("sigmoid", "softmax").replace(
        "binary_crossentropy", "sparse_categorical_crossentropy")
    assert run(HEAD + correct + CONFIG_BUILD + "model = build()\n" + CONFIG_FIT, select=["AF405"]).findings == []


def test_a_config_entry_read_twice_is_reported_without_a_fix():
    twice = CONFIG_BUILD + "print(CONFIG['units'])\n"
    result = run(HEAD + CONFIG + twice + "model = build()\n" + CONFIG_FIT, select=["AF405"], fix=True, unsafe=True)
    assert [f.code for f in result.findings] == ["AF405"] and not result.findings[0].fixes
