"""The data facts a script shows, read without running it (autofix.source.data_flow / script_data)."""

from __future__ import annotations

import math

import pytest

from autofix.source.data_values import Arr, astype, binop, clip, scalar, unary
from autofix.source.extract import extract_source
from autofix.values import UNKNOWN
from helpers import run

HEAD = "import numpy as np\nimport keras\nfrom keras import layers\n"
MODEL = ('model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])\n'
         'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")\n')


def data_of(body: str):
    specs = extract_source(HEAD + body)
    assert specs, "no model"
    return specs[0].data


def interval(lo, hi, kind="float", **kw):
    return Arr(float(lo), float(hi), kind, kind != "float", (10,), **kw)


# -- abstract operations ---------------------------------------------------------
def test_interval_arithmetic():
    a, b = interval(0, 255, "uint8"), interval(-1, 2)
    assert (binop("/", a, scalar(255)).lo, binop("/", a, scalar(255)).hi) == (0.0, 1.0)
    assert (binop("-", b, a).lo, binop("-", b, a).hi) == (-256.0, 2.0)
    assert (binop("*", b, b).lo, binop("*", b, b).hi) == (-2.0, 4.0)
    assert (binop("**", b, scalar(2)).lo, binop("**", b, scalar(2)).hi) == (0.0, 4.0)
    assert math.isinf(binop("/", a, b).hi)  # a divisor interval holding 0
    assert (binop("//", a, scalar(255)).lo, binop("//", a, scalar(255)).hi) == (0.0, 1.0)
    assert binop("%", interval(0, 99, "int"), scalar(4)).hi == 3.0
    wrapped = binop("+", a, scalar(90))
    assert (wrapped.kind, wrapped.lo, wrapped.hi) == ("uint8", 0.0, 255.0)  # uint8 wraps around


def test_truncation_of_values_below_one_is_zero():
    draw = Arr(0.0, 1.0, "float", False, (5,), hi_open=True)
    as_int = astype(draw, "int")
    assert (as_int.lo, as_int.hi, as_int.integral) == (0.0, 0.0, True)  # real fault r04: all zeros
    assert astype(Arr(0.0, 1.0, "float", False, (5,)), "int").hi == 1.0  # a closed end can be reached


def test_elementwise_functions():
    x = interval(-2, 3)
    assert (unary("tanh", x).lo, unary("tanh", x).hi) == (math.tanh(-2), math.tanh(3))
    assert (unary("sin", x).lo, unary("sin", x).hi) == (-1.0, 1.0)
    assert (unary("abs", x).lo, unary("abs", x).hi) == (0.0, 3.0)
    assert unary("log", interval(0, 1)).lo == -math.inf
    assert (clip(x, 0, 1).lo, clip(x, 0, 1).hi) == (0.0, 1.0)
    assert unary("frobnicate", x) is None  # not known: opaque


# -- sources and flows -----------------------------------------------------------
def test_rng_draws_labels_and_replayed_statistics():
    data = data_of("rng = np.random.default_rng(0)\nx = rng.normal(5.0, 2.0, size=(500, 4))\n"
                   "y = rng.integers(0, 3, size=500)\n" + MODEL + "model.fit(x, y, epochs=1)\n")
    assert (data.n_samples, data.x_shape) == (500, (4,))
    assert (data.label_kind, data.n_classes, data.class_counts) == ("integer", 3, UNKNOWN)
    assert data.x_mean == pytest.approx(5.0, abs=0.3) and data.x_std == pytest.approx(2.0, abs=0.2)
    assert data.origin == "script lines 5-6"


def test_deterministic_arrays_are_exact():
    data = data_of(MODEL + "model.fit(np.arange(40.0).reshape(10, 4), np.arange(10) % 3, epochs=1)\n")
    assert (data.x_min, data.x_max, data.n_classes) == (0.0, 39.0, 3)
    assert data.class_counts == {0: 4, 1: 3, 2: 3}


def test_legacy_random_comparison_and_one_hot():
    data = data_of("x = np.random.rand(200, 4)\ny = keras.utils.to_categorical((x.sum(1) > 2).astype('int64'), 3)\n"
                   + MODEL + "model.fit(x, y)\n")
    assert (data.label_kind, data.n_classes, data.y_shape) == ("onehot", 3, (200, 3))
    assert 0 <= data.x_min and data.x_max < 1


def test_dataset_table_and_function_return():
    data = data_of("def load():\n    (x, y), test = keras.datasets.mnist.load_data()\n    return (x, y), test\n\n"
                   "(x_tr, y_tr), (x_te, y_te) = load()\n" + MODEL + "model.fit(x_tr, y_tr)\n")
    assert (data.n_samples, data.x_shape, data.x_min, data.x_max) == (60000, (28, 28), 0.0, 255.0)
    assert (data.label_kind, data.n_classes, data.x_mean) == ("integer", 10, UNKNOWN)


def test_fit_inside_a_train_function_sees_the_callers_data():
    data = data_of("def make_data():\n    rng = np.random.default_rng(1)\n    x = rng.uniform(-100, 100, size=(300, 4))\n"
                   "    y = np.sin(x[:, 0]) * 3 + x[:, 1] ** 2\n    n = int(0.75 * len(x))\n"
                   "    return (x[:n], y[:n]), (x[n:], y[n:])\n\n"
                   "def train(model, data):\n    (x, y), _ = data\n    model.fit(x, y)\n\n"
                   + MODEL + "train(model, make_data())\n")
    assert (data.n_samples, data.label_kind) == (225, "continuous")
    assert data.x_max - data.x_min > 150 and data.y_max > 100


def test_a_function_defined_inside_another_reads_its_definers_names():
    """A closure (``draw(n)`` inside ``make_data()``) sees the enclosing function's ``rng`` and sizes;
    a name the definer rebinds after the definition is read at call time, as Python does."""
    data = data_of("def make_data():\n    rng = np.random.default_rng(3)\n    scale = 1.0\n"
                   "    def draw(n):\n        return rng.normal(0, scale, size=(n, 4)) + 50, rng.integers(0, 3, size=n)\n"
                   "    scale = 2.0\n    return draw(96), draw(300)\n\n"
                   "def train(model, data):\n    (x, y), _ = data\n    model.fit(x, y)\n\n"
                   + MODEL + "train(model, make_data())\n")
    assert (data.n_samples, data.n_classes) == (96, 3)
    assert data.x_min > 30 and data.x_std > 1.5  # the late-bound scale=2.0, offset by 50
    unseen = data_of("def make_data(rng):\n    def draw(n):\n        return rng.normal(size=(n, 4))\n"
                     "    return draw(96)\n" + MODEL + "model.fit(make_data(load_rng()), np.zeros(96))\n")
    assert unseen is None or unseen.x_min is UNKNOWN  # the definer's rng is not shown: nothing guessed


def test_what_the_script_does_not_show_stays_unknown():
    assert data_of("x = load_my_data()\n" + MODEL + "model.fit(x, np.zeros(3))\n").n_samples is UNKNOWN
    assert data_of("x, y = load_my_data()\n" + MODEL + "model.fit(x, y)\n") is None
    comprehension = data_of("x = np.stack([np.ones(4) * k for k in load_ks()])\n" + MODEL + "model.fit(x, x)\n")
    assert comprehension is None  # a comprehension over what the script does not show


@pytest.mark.parametrize("second,known", [("20", True), ("30", False)])
def test_a_name_bound_in_two_branches_is_opaque_unless_both_agree(second, known):
    body = f"import sys\nif len(sys.argv) > 1:\n    n = 20\nelse:\n    n = {second}\nx = np.zeros((n, 4))\n"
    data = data_of(body + MODEL + "model.fit(x, np.zeros(20))\n")
    assert (data.n_samples == 20) is known
    drawn = data_of("import sys\nif len(sys.argv) > 1:\n    x = np.random.rand(20, 4)\nelse:\n"
                    "    x = np.random.rand(20, 4)\n" + MODEL + "model.fit(x, np.zeros(20))\n")
    assert drawn.x_min is UNKNOWN  # two draws are two values, even when written alike


def test_a_loop_makes_what_it_assigns_opaque():
    data = data_of("x = np.ones((20, 4))\nfor _ in range(3):\n    x = x * 10\n" + MODEL + "model.fit(x, np.zeros(20))\n")
    assert data.x_max is UNKNOWN


def test_in_place_item_update_widens_the_interval():
    data = data_of("rng = np.random.default_rng(2)\np = rng.integers(0, 160, size=(100, 8))\n"
                   "p[p > 100] += 90\nx = (p // 255).astype('float32')\n" + MODEL + "model.fit(x, np.zeros(100))\n")
    assert (data.x_min, data.x_max, data.x_std) == (0.0, 0.0, 0.0)  # 0..249 // 255: every input is 0


# -- splits ------------------------------------------------------------------------
def test_split_mismatch_through_concatenate():
    data = data_of("rng = np.random.default_rng(3)\nx = rng.normal(size=(100, 4))\ny = x[:, 0] * 10\nn = 80\n"
                   "y = np.concatenate([y[:n] / 100.0, y[n:]])\n" + MODEL +
                   "model.fit(x[:n], y[:n])\nprint(np.mean((model.predict(x[n:])[:, 0] - y[n:]) ** 2))\n")
    (found,) = data.split_mismatch
    assert (found.role, found.train_ops, found.heldout_ops, found.origin.line) == ("y", ("/ 100",), (), 8)


def test_same_preprocessing_on_both_splits_is_no_mismatch():
    data = data_of("(a, b), (c, d) = keras.datasets.mnist.load_data()\na, c = a / 255, c / 255.0\n" + MODEL +
                   "model.fit(a, b, validation_data=(c, d))\n")
    assert data.split_mismatch is UNKNOWN


@pytest.mark.parametrize("labels,codes", [("np.arange(30) % 3", ["AF401"]), ('np.load("y.npy")', ["AF503"])])
def test_onehot_labels_with_a_sparse_loss_are_one_finding(labels, codes):
    """AF503 (to_categorical seen in the script) defers to AF401 where the data facts show one-hot rows."""
    code = HEAD + MODEL + f"y = keras.utils.to_categorical({labels})\nmodel.fit(np.random.rand(30, 4), y)\n"
    result = run(code)
    assert [f.code for f in result.findings if f.code in ("AF401", "AF503")] == codes


def test_a_scripts_replayed_data_does_not_depend_on_the_scripts_checked_before_it():
    """Random draws are replayed from a generator restarted for each script: the same script gives
    the same data facts first in a process and after another script has drawn."""
    body = "rng = np.random.default_rng(5)\nx = rng.normal(3, 4, size=(200, 4))\n" + MODEL + \
        "model.fit(x, rng.integers(0, 3, size=200))\n"
    first = data_of(body)
    data_of("x = np.random.rand(5000, 8)\n" + MODEL + "model.fit(x, np.zeros(5000))\n")  # draws in between
    again = data_of(body)
    assert (first.x_min, first.x_max, first.x_std) == (again.x_min, again.x_max, again.x_std)
