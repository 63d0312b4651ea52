"""Row order of fit()'s x and y through a script (data_order, DataSpec.shuffled_apart) and AF411 on scripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from autofix.source.extract import extract_source
from autofix.values import UNKNOWN

HEAD = "import numpy as np\nimport keras\nfrom keras import layers\n"  # 3 lines: body line k is line k + 3
MODEL = ('model = keras.Sequential([keras.Input((4,)), layers.Dense(2, activation="softmax")])\n'
         'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")\n')
DATA = "x = np.random.rand(100, 4)\ny = (x[:, 0] > 0.5).astype('int32')\n"  # lines 4-5
REAL = Path(__file__).resolve().parents[2] / "benchmarks" / "faults" / "real"


def apart(body: str, fit: str = "model.fit(x, y, epochs=1)\n"):
    specs = extract_source(HEAD + body + MODEL + fit)
    assert specs and specs[0].data is not None, "no data facts"
    return specs[0].data.shuffled_apart


@pytest.mark.parametrize("body,expected", [
    (DATA + "np.random.shuffle(x)\n", (6, "x", "np.random.shuffle")),
    (DATA + "perm = np.random.permutation(len(x))\nx = x[perm]\n", (6, "x", "np.random.permutation")),
    (DATA + "rng = np.random.default_rng()\nrng.shuffle(y)\n", (7, "y", "rng.shuffle")),
    (DATA + "rng = np.random.default_rng(3)\nx = rng.permutation(x) * 2.0\n", (7, "x", "rng.permutation")),
    # two independent unseeded shuffles
    (DATA + "np.random.shuffle(x)\nnp.random.shuffle(y)\n", (6, "both", "np.random.shuffle")),
    # a shared permutation first, then one more for x alone
    (DATA + "p = np.random.permutation(100)\nx, y = x[p], y[p]\nx = x[np.random.permutation(100)]\n",
     (8, "x", "np.random.permutation")),
])
def test_reordering_one_array_is_reported(body, expected):
    assert apart(body) == expected


@pytest.mark.parametrize("body", [
    DATA + "p = np.random.permutation(len(x))\nx, y = x[p], y[p]\n",
    DATA + "idx = np.arange(len(x))\nnp.random.shuffle(idx)\nx = x[idx]\ny = y[idx]\n",
    "x = np.random.rand(100, 4)\nnp.random.shuffle(x)\ny = (x[:, 1] > 0.5).astype(int)\n",
    "d = np.random.rand(100, 5)\nnp.random.shuffle(d)\nx, y = d[:, :4], (d[:, 4] > 0.5).astype(int)\n",
    # the same seed before each shuffle: the same permutation
    DATA + "np.random.seed(0)\nnp.random.shuffle(x)\nnp.random.seed(0)\nnp.random.shuffle(y)\n",
    # opaque steps after the shuffle: a mask, a concatenation, an unknown function
    DATA + "np.random.shuffle(x)\nm = x[:, 0] > 0.1\nx, y = x[m], y[m]\n",
    DATA + "np.random.shuffle(x)\nx = np.concatenate([x, x])\ny = np.concatenate([y, y])\n",
    DATA + "from mylib import order\nx = x[order(100)]\n",
])
def test_same_or_unknown_order_is_quiet(body):
    assert apart(body) is UNKNOWN


def test_directory_iterator_shuffles_unless_told_not_to():
    body = ('gen = keras.preprocessing.image.ImageDataGenerator().flow_from_directory("d", {})\n'
            "feats = keras.applications.MobileNetV2(include_top=False).predict(gen)\n")
    fit = "model.fit(feats, keras.utils.to_categorical(gen.classes), epochs=1)\n"
    assert apart(body.format("class_mode=None"), fit) == (4, "x", "keras.preprocessing.image.ImageDataGenerator()"
                                                                   ".flow_from_directory")
    for flag in ("shuffle=False", "shuffle=flag"):  # an opaque flag: unknown order
        specs = extract_source(HEAD + "flag = input() == 'y'\n" + body.format(flag) + MODEL + fit)
        assert specs[0].data is None or specs[0].data.shuffled_apart is UNKNOWN


def test_r25_fault_found_and_oracle_quiet():
    from autofix.rules import REGISTRY

    rule = REGISTRY["AF411"]()
    fault = extract_source((REAL / "r25_features_shuffled_labels_not.py").read_text())
    oracle = extract_source((REAL / "r25_features_shuffled_labels_not.fixed.py").read_text())
    assert fault[0].data.shuffled_apart == (29, "x", "rng.permutation")
    [finding] = [f for f in rule.run(fault[0]) if getattr(f, "code", None) == "AF411"]
    assert "on line 29 (rng.permutation)" in finding.message
    assert oracle[0].data.shuffled_apart is UNKNOWN
    assert not [f for f in rule.run(oracle[0]) if getattr(f, "code", None) == "AF411"]


HELPER = ('def features(x, rng, shuffle=True):\n'
          '    order = rng.permutation(len(x)) if shuffle else np.arange(len(x))\n'
          '    return np.tanh(x[order])\n\n\n'
          'rng = np.random.default_rng(3)\nraw = rng.normal(size=(200, 4))\nlabels = (raw[:, 0] > 0).astype("int32")\n')


@pytest.mark.parametrize("extra, fit, why", [
    # the flag left on at two calls: which rows must keep the labels' order is the author's to say
    ("other = features(raw, rng)\n", "model.fit(features(raw, rng), labels, epochs=1)\n", "2 calls of features()"),
    # the flag passed through a name: its value is not known
    ("flag = True\n", "model.fit(features(raw, rng, shuffle=flag), labels, epochs=1)\n", "through an expression"),
    # the flag passed positionally: a second keyword would be a TypeError
    ("", "model.fit(features(raw, rng, True), labels, epochs=1)\n", "positionally"),
])
def test_a_helpers_shuffle_flag_is_turned_off_only_at_its_one_known_call(extra, fit, why):
    from autofix.rules import select_rules
    from autofix.source.check import check_source

    code = HEAD + HELPER + extra + MODEL + fit
    result = check_source(code, "train.py", select_rules(["AF411"]), fix=True, unsafe=True, keras_version="3.15.1")
    assert [f.code for f in result.findings] == ["AF411"] and not result.applied
    assert result.fixed == code
    assert any(why in reason for _, reason in result.unwritable), result.unwritable
