"""Subclassed ``keras.Model``s on the source path: layers from ``__init__``, the graph from ``call()``."""

from __future__ import annotations

from pathlib import Path

import pytest

from autofix.source.extract import extract_source
from autofix.values import Opaque

from helpers import run

ROOT = Path(__file__).resolve().parents[2]
R23 = ROOT / "benchmarks" / "faults" / "real" / "r23_subclassed_sgd_lr_1e-5.py"

HEADER = """import numpy as np
import keras
from keras import layers
"""


def model_script(init: str, call: str, compile_args: str = 'optimizer="adam", loss="binary_crossentropy"',
                 extra: str = "", base: str = "keras.Model") -> str:
    """A script with one model class (``__init__`` and ``call`` bodies given), built, compiled and fitted."""
    return HEADER + f"""

class Net({base}):
    def __init__(self, units=16):
        super().__init__()
{init}
    def call(self, inputs, training=None):
{call}{extra}

model = Net()
model.compile({compile_args}, metrics=["accuracy"])
rng = np.random.default_rng(0)
x = rng.normal(size=(2000, 4)).astype("float32")
y = (x[:, 0] > 0).astype("float32")
model.fit(x, y, epochs=20, batch_size=32)
"""


def indent(text: str) -> str:
    return "".join(f"        {line}\n" for line in text.strip().splitlines())


CHAIN_INIT = indent("""
self.hidden = layers.Dense(units, activation="relu")
self.drop = layers.Dropout(0.2)
self.out = layers.Dense(1, activation="sigmoid")
""")


def spec_of(code: str):
    specs = [s for s in extract_source(code, "t.py") if s.kind == "subclassed"]
    assert len(specs) == 1
    return specs[0]


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def test_r23_subclassed_sgd_learning_rate_is_found_on_its_line():
    code = R23.read_text()
    result = run(code, path=str(R23))
    assert codes(result) == ["AF302"]
    line = next(i for i, text in enumerate(code.splitlines(), 1) if "SGD(learning_rate=0.00001" in text)
    assert result.findings[0].origin.line == line
    oracle = R23.with_name(R23.name.replace(".py", ".fixed.py")).read_text()
    assert run(oracle).findings == []


@pytest.mark.parametrize("call", [
    "return self.out(self.drop(self.hidden(inputs), training=training))",
    "x = self.hidden(inputs)\nx = self.drop(x, training=training)\nreturn self.out(x)",
])
def test_chained_and_sequential_call_give_the_graph(call):
    spec = spec_of(model_script(CHAIN_INIT, indent(call)))
    assert [(l.class_name, l.inbound) for l in spec.layers] == [
        ("Dense", ()), ("Dropout", ("dense",)), ("Dense", ("dropout",))]
    assert spec.outputs == ("dense_1",) and spec.inputs == ()
    assert spec.layers[0].config["units"] == 16  # __init__'s default: every call leaves it out
    assert spec.compile.loss == "binary_crossentropy" and spec.skipped == []


@pytest.mark.parametrize("base, imports", [
    ("Model", "from keras import Model\n"),
    ("tf.keras.Model", "import tensorflow as tf\n"),
    ("keras.models.Model", ""),
    ("M", "from tensorflow.keras.models import Model as M\n"),
])
def test_model_bases_through_the_imports(base, imports):
    code = model_script(CHAIN_INIT, indent("return self.out(self.hidden(inputs))"), base=base)
    spec = spec_of(code.replace("import keras\n", "import keras\n" + imports, 1))
    assert [l.name for l in spec.layers] == ["dense", "dropout", "dense_1"]


def test_a_plain_class_is_not_a_model():
    code = model_script(CHAIN_INIT, indent("return self.out(self.hidden(inputs))"), base="object")
    assert [s for s in extract_source(code, "t.py") if s.kind == "subclassed"] == []


def test_list_of_layers_and_a_loop_over_it():
    init = indent("""
self.blocks = [layers.Dense(8, activation="relu") for _ in range(3)]
self.out = layers.Dense(1, activation="sigmoid")
""")
    call = indent("x = inputs\nfor block in self.blocks:\n    x = block(x)\nreturn self.out(x)")
    spec = spec_of(model_script(init, call))
    assert [(l.name, l.inbound) for l in spec.layers] == [
        ("dense", ()), ("dense_1", ("dense",)), ("dense_2", ("dense_1",)), ("dense_3", ("dense_2",))]


def test_instance_built_in_a_function_or_on_self_model():
    code = HEADER + """
class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.out = layers.Dense(1, activation="softmax")
    def call(self, x):
        return self.out(x)

def build():
    return Net()

class Trainer:
    def __init__(self):
        self.model = Net()
        self.model.compile(optimizer="adam", loss="binary_crossentropy")

model = build()
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
    result = run(code)
    line = next(i for i, text in enumerate(code.splitlines(), 1) if '"softmax"' in text)
    assert [(f.code, f.origin.line) for f in result.findings] == [("AF201", line), ("AF201", line)]


def test_single_unit_softmax_head_is_found_and_fix_edits_that_call_only():
    init = CHAIN_INIT.replace('layers.Dense(1, activation="sigmoid")', 'layers.Dense(1, activation="softmax")')
    code = model_script(init, indent("return self.out(self.drop(self.hidden(inputs)))"))
    result = run(code)
    assert codes(result) == ["AF201"]
    line = next(i for i, text in enumerate(code.splitlines(), 1) if '"softmax"' in text)
    assert result.findings[0].origin.line == line
    fixed = run(code, fix=True)
    assert fixed.findings == []
    before, after = code.splitlines(), fixed.fixed.splitlines()
    assert len(before) == len(after)
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed == [line]
    assert 'activation="sigmoid"' in after[line - 1]


def test_valid_subclassed_model_gives_no_findings():
    code = model_script(CHAIN_INIT, indent("x = self.hidden(inputs)\nx = self.drop(x, training=training)\n"
                                           "return self.out(x)"))
    result = run(code)
    assert result.findings == [] and not [s for s in result.skips if s.code == "model"]


@pytest.mark.parametrize("call, why", [
    ("x = self.hidden(inputs)\nif training:\n    x = self.drop(x)\nreturn self.out(x)", "if statement"),
    ("x = self.hidden(inputs)\nx = x + inputs\nreturn self.out(x)", "other than a layer call"),
    ("x = keras.ops.relu(self.hidden(inputs))\nreturn self.out(x)", "calls keras.ops.relu"),
    ("x = self.hidden(inputs)\nx = self.hidden(x)\nreturn self.out(x)", "twice"),
    ("return self.out(self.missing(inputs))", "calls self.missing"),
])
def test_branchy_call_skips_graph_rules_but_keeps_compile_rules(call, why):
    init = CHAIN_INIT.replace('layers.Dense(1, activation="sigmoid")', 'layers.Dense(1, activation="softmax")')
    code = model_script(init, indent(call), compile_args='optimizer=keras.optimizers.Adam(learning_rate=0.5), '
                                                         'loss="binary_crossentropy"')
    spec = spec_of(code)
    assert spec.outputs == () and all(l.inbound == () for l in spec.layers)
    assert [l.class_name for l in spec.layers] == ["Dense", "Dropout", "Dense"]
    result = run(code)
    assert codes(result) == ["AF302"]  # no AF201: the head is not guessed from the order of __init__
    (skip,) = [s for s in result.skips if s.code == "model"]
    assert why in skip.reason and "layer order is unknown" in skip.reason


@pytest.mark.parametrize("method", ["train_step", "compute_loss"])
def test_custom_training_step_skips_loss_rules(method):
    extra = f"\n    def {method}(self, *args, **kwargs):\n        return super().{method}(*args, **kwargs)\n"
    code = model_script(CHAIN_INIT, indent("return self.out(self.hidden(inputs))"),
                        compile_args='optimizer=keras.optimizers.Adam(learning_rate=0.5), '
                                     'loss="categorical_crossentropy"', extra=extra)
    plain = run(model_script(CHAIN_INIT, indent("return self.out(self.hidden(inputs))"),
                             compile_args='optimizer=keras.optimizers.Adam(learning_rate=0.5), '
                                          'loss="categorical_crossentropy"'))
    assert "AF208" in codes(plain)  # the trap: without the custom step, the loss rule fires
    spec = spec_of(code)
    assert isinstance(spec.compile.loss, Opaque)
    result = run(code)
    assert codes(result) == ["AF302"]  # the optimizer is still read
    assert any(method in s.reason and "loss rules are skipped" in s.reason for s in result.skips)


def test_own_compile_hides_compile_facts():
    extra = ("\n    def compile(self, optimizer, student_loss_fn, alpha=0.1):\n"
             "        super().compile(optimizer=optimizer)\n")
    code = model_script(CHAIN_INIT, indent("return self.out(self.hidden(inputs))"),
                        compile_args='optimizer=keras.optimizers.Adam(learning_rate=0.5), student_loss_fn="mse"',
                        extra=extra)
    spec = spec_of(code)
    assert isinstance(spec.compile.optimizer, Opaque) and isinstance(spec.compile.loss, Opaque)
    assert "AF302" not in codes(run(code))


def test_init_parameters_follow_the_call_site_not_super_init():
    code = HEADER + """
class Net(keras.Model):
    def __init__(self, hidden, classes):
        super().__init__()
        self.a = layers.Dense(hidden, activation="relu")
        self.b = layers.Dense(classes, activation="softmax")
    def call(self, x):
        return self.b(self.a(x))

model = Net(hidden=32, classes=1)
"""
    spec = spec_of(code)
    assert [l.config["units"] for l in spec.layers] == [32, 1]


def test_attribute_bound_in_both_branches_is_not_guessed():
    init = indent("""
self.hidden = layers.Dense(units, activation="relu")
if units > 8:
    self.out = layers.Dense(1, activation="softmax")
else:
    self.out = layers.Dense(1, activation="sigmoid")
""")
    code = model_script(init, indent("return self.out(self.hidden(inputs))"))
    spec = spec_of(code)
    assert [l.get("activation") for l in spec.layers] == ["relu", "softmax", "sigmoid"]
    assert spec.outputs == ()
    result = run(code)
    assert "AF201" not in codes(result)
    assert any("calls self.out" in s.reason for s in result.skips if s.code == "model")
