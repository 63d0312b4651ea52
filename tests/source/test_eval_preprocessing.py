"""AF410 across pipelines: held-out data made by the same loader as the training data but preprocessed
differently (two calls of one function, functions apart), the lines the message names, and the fix
written into the held-out expression (autofix.source.script_data, data_edits.match_heldout)."""

from __future__ import annotations

from autofix.source.extract import extract_source
from autofix.source.script_data import same_ops
from autofix.values import UNKNOWN
from helpers import run

HEAD = "import numpy as np\nimport keras\nfrom keras import layers\n"
LOADER = ("def load(split):\n"
          "    rng = np.random.default_rng(0 if split == 'train' else 1)\n"
          "    return rng.integers(0, 256, size=(50, 4)).astype('float32')\n\n\n")
MODEL = ('model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])\n'
         'model.compile(optimizer="adam", loss="mse")\n')


def mismatch(body: str):
    specs = extract_source(HEAD + body)
    assert specs, "no model"
    return specs[0].data.split_mismatch


def af410(body: str, fix: bool = False):
    return run(HEAD + body, select=["AF410"], fix=fix, unsafe=True)


def test_two_calls_of_one_loader_are_two_parts_of_one_source():
    body = (LOADER + "x_tr = load('train')\nx_te = load('test')\nx_tr = x_tr / 255\n" + MODEL +
            "model.fit(x_tr, np.zeros(50))\nmodel.predict(x_te)\n")
    (found,) = mismatch(body)
    # lines (script lines, HEAD is 3): made at 9 and 10, scaled at 11, evaluated at 15
    assert (found.role, found.train_ops, found.heldout_ops, found.origin.line) == ("x", ("/ 255",), (), 11)
    assert (found.made, found.heldout_line, found.heldout_text) == ((9, 10), 15, "x_te")
    message = af410(body).findings[0].message
    assert "(/ 255 at line 11, made at line 9)" in message and "(evaluated at line 15, made at line 10)" in message


def test_a_function_given_arrays_is_not_a_loader():
    """``scale(a)`` and ``scale(b)`` of two unrelated arrays are not one source (trap)."""
    body = ("rng = np.random.default_rng(0)\na = rng.normal(size=(50, 4))\nb = rng.normal(size=(20, 4)) * 100\n"
            "def same(v):\n    return v + 0\n\n\nx_tr = same(a) / 10\nx_te = same(b)\n" + MODEL +
            "model.fit(x_tr, np.zeros(50))\nmodel.predict(x_te)\n")
    assert mismatch(body) is UNKNOWN


def test_producer_in_a_loop_is_one_part():
    """One call site evaluated for both splits cannot tell them apart: no finding rather than a guess."""
    body = (LOADER + "parts = {}\nfor name in ('train', 'test'):\n    parts[name] = load(name)\n"
            "x_tr = parts['train'] / 255\n" + MODEL + "model.fit(x_tr, np.zeros(50))\nmodel.predict(parts['test'])\n")
    assert mismatch(body) is UNKNOWN


def test_equivalent_scalings():
    assert same_ops((("/", 255.0),), (("*", 1 / 255),))
    assert same_ops((("-", 3.0), ("/", 2.0)), (("+", -3.0), ("*", 0.5)))
    assert not same_ops((("/", 255.0),), (("*", 255.0),))
    assert not same_ops((("/", 255.0),), ())
    assert same_ops((("-", "mean"),), (("-", "mean"),)) and not same_ops((("-", "mean"),), (("-", "m"),))


TARGETS = ("rng = np.random.default_rng(0)\nx = rng.normal(size=(100, 4))\ny = x[:, 0] * 50\nn = 80\n"
           "y = np.concatenate([y[:n] / 100.0, y[n:]])\n" + MODEL +
           "model.fit(x[:n], y[:n])\nprint(np.mean((model.predict(x[n:])[:, 0] - y[n:]) ** 2))\n")


def test_scaled_training_targets_are_trained_unscaled():
    """Targets: the training part's one operation is dropped (the model learns the units it is scored in)."""
    result = af410(TARGETS, fix=True)
    assert result.fixed == HEAD + TARGETS.replace("y[:n] / 100.0", "y[:n]")
    assert not af410(result.fixed[len(HEAD):]).findings  # fixed: nothing left


def test_second_alternative_edits_only_the_held_out_slice():
    (finding,) = af410(TARGETS).findings
    undo, match = finding.fixes
    assert (undo.edits[0].op, match.edits[0].op) == ("undo_split_op", "match_heldout")
    result = af410(TARGETS.replace("y[:n] / 100.0, y[n:]", "y[:n] / 100.0 + 0 * y[:n], y[n:]"), fix=True)
    assert "y[n:] / 100.0 + 0 * y[:n]" not in result.fixed  # two operations: no undo, no held-out template


def test_targets_scaled_in_place_get_the_held_out_fix():
    body = ("rng = np.random.default_rng(0)\nx = rng.normal(size=(100, 4))\ny = x[:, 0] * 50\n"
            "y_tr, y_te = y[:80], y[80:]\ny_tr /= 100\n" + MODEL +
            "model.fit(x[:80], y_tr)\nprint(np.mean((model.predict(x[80:])[:, 0] - y_te) ** 2))\n")
    result = af410(body, fix=True)
    assert result.fixed == HEAD + body.replace("y[80:]\n", "y[80:] / 100\n")


def test_fix_edits_the_evaluated_input_across_functions():
    body = ("def pictures(rng, n):\n    return rng.integers(0, 256, size=(n, 4)).astype('float32')\n\n\n"
            "def make():\n    rng = np.random.default_rng(0)\n    return pictures(rng, 50) / 255.0, pictures(rng, 20)\n\n\n"
            "def evaluate(model, x):\n    return model.predict(x)\n\n\n"
            "x_tr, x_te = make()\n" + MODEL + "model.fit(x_tr, np.zeros(50))\nevaluate(model, x_te)\n")
    result = af410(body, fix=True)
    assert result.fixed == HEAD + body.replace("model.predict(x)", "model.predict(x / 255.0)")


def test_fix_keeps_the_users_statistics_and_uses_them_after_they_exist():
    body = (LOADER + "x_tr, x_te = load('train'), load('test')\nmean = x_tr.mean(axis=0)\nx_tr = x_tr - mean\n" +
            MODEL + "model.fit(x_tr, np.zeros(50), validation_data=(x_te, np.zeros(50)))\n")
    result = af410(body, fix=True)
    assert result.fixed == HEAD + body.replace("(x_te, np", "(x_te - mean, np")


def test_no_fix_when_the_operand_is_not_visible_at_the_held_out_use():
    body = ("def pictures(rng, n):\n    return rng.integers(0, 256, size=(n, 4)).astype('float32')\n\n\n"
            "def make():\n    rng = np.random.default_rng(0)\n    scale = 255.0\n"
            "    return pictures(rng, 50) / scale, pictures(rng, 20)\n\n\n"
            "x_tr, x_te = make()\n" + MODEL + "model.fit(x_tr, np.zeros(50))\nmodel.predict(x_te)\n")
    result = af410(body, fix=True)
    assert result.findings and result.fixed == HEAD + body  # reported, not rewritten


def test_held_out_only_preprocessing_is_reported_without_a_fix():
    body = (LOADER + "x_tr, x_te = load('train'), load('test')\n" + MODEL +
            "model.fit(x_tr, np.zeros(50))\nmodel.predict(x_te / 255)\n")
    result = af410(body, fix=True)
    assert "is preprocessed (/ 255 at line" in result.findings[0].message
    assert result.fixed == HEAD + body


def test_live_validation_inputs_on_another_scale():
    """The live path's check (fit_kwargs validation_data measured): orders of magnitude apart only."""
    from autofix.rules.af410_split_preprocessed_differently import _apart, _ranges
    from autofix.spec import DataSpec

    def _scales(data):  # the inputs' side of the check
        return _apart(_ranges(data.x_min, data.x_max), data.validation_x)

    assert _scales(DataSpec(x_min=0.0, x_max=1.0, validation_x=(0.0, 255.0))) == (1.0, 255.0)
    assert _scales(DataSpec(x_min=-3.0, x_max=4.0, validation_x=(-100.0, 120.0))) == (4.0, 120.0)
    assert _scales(DataSpec(x_min=0.0, x_max=1.0, validation_x=(0.0, 0.9))) is None  # same scale
    assert _scales(DataSpec(x_min=-2.0, x_max=2.0, validation_x=(-3.5, 3.1))) is None  # standardised both
    assert _scales(DataSpec(x_min=0.0, x_max=1.0)) is None  # no validation data
    assert _scales(DataSpec(x_min=0.0, x_max=0.0, validation_x=(0.0, 255.0))) is None  # constant inputs: AF409
