"""ChangeData: AF404/AF407/AF409's repairs written into a script's data code (autofix/source/data_edits.py),
and skipped with a reason on a live model."""

from __future__ import annotations

import pytest

from helpers import PRELUDE, run

MODEL = """
model = keras.Sequential([keras.Input((6,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""


def fixed(snippet: str, code: str) -> tuple[str, list]:
    result = run(PRELUDE + snippet, select=[code], fix=True)
    return result.fixed[len(PRELUDE):], [f.code for f, _ in result.applied]


# -- AF404: shuffle the rows right before fit() -------------------------------------------------------
SORTED_FLAT = """
x = np.random.rand(60, 6)
y = np.repeat([0, 1, 2], 20)
""" + MODEL + """
history = model.fit(x, y, epochs=1, validation_split=0.2)
"""


def test_shuffle_inserted_before_an_assigned_fit():
    text, applied = fixed(SORTED_FLAT, "AF404")
    assert applied == ["AF404"]
    assert "order = np.random.default_rng(0).permutation(len(x))\nx, y = x[order], y[order]\nhistory = model.fit(" \
        in text


def test_shuffle_picks_a_fresh_name():
    text, applied = fixed("order = 3" + SORTED_FLAT, "AF404")
    assert applied == ["AF404"]
    assert "order2 = np.random.default_rng(0).permutation(len(x))\nx, y = x[order2], y[order2]\n" in text


def test_shuffle_inside_make_data_shaped_script():
    snippet = """
def make_data():
    y = np.repeat([0, 1, 2], 20)
    x = np.random.rand(60, 6) + y[:, None]
    return x, y
""" + MODEL + """
def train(model, data):
    x, y = data
    model.fit(x, y, epochs=1, validation_split=0.2)


train(model, make_data())
"""
    text, applied = fixed(snippet, "AF404")
    assert applied == ["AF404"]
    assert "    x, y = data\n    order = np.random.default_rng(0).permutation(len(x))\n    x, y = x[order], y[order]\n" \
        "    model.fit(" in text


@pytest.mark.parametrize("change, why", [
    (("model.fit(x, y,", "model.fit(x[:60], y,"), "x and y"),  # not plain variables
    (("epochs=1,", "epochs=1, sample_weight=np.ones(60),"), "sample_weight"),
])
def test_shuffle_not_written_when_it_cannot_keep_the_rows_together(change, why):
    result = run(PRELUDE + SORTED_FLAT.replace(*change), select=["AF404"], fix=True)
    assert [f.code for f in result.findings] == ["AF404"] and not result.applied
    assert any(why in reason for _, reason in result.unwritable), result.unwritable


def test_shuffle_not_written_for_global_arrays_a_function_would_make_local():
    snippet = SORTED_FLAT.replace("history = model.fit(x, y, epochs=1, validation_split=0.2)",
                                  "def train():\n    model.fit(x, y, epochs=1, validation_split=0.2)\n\n\ntrain()")
    result = run(PRELUDE + snippet, select=["AF404"], fix=True)
    assert [f.code for f in result.findings] == ["AF404"] and not result.applied
    assert any("not local to train()" in reason for _, reason in result.unwritable)


# -- AF407: rescale the targets at fit() ---------------------------------------------------------------
LABELS_255 = """
def make_data():
    x = np.random.rand(64, 10)
    y = (np.random.rand(64, 5) > 0.5).astype("float32")
    return x, y * 255.0


model = keras.Sequential([keras.Input((10,)), layers.Dense(5, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
x, y = make_data()
model.fit(x, y, epochs=1)
"""


def test_rescale_written_at_fit_targets_of_a_make_data_script():
    text, applied = fixed(LABELS_255, "AF407")
    assert applied == ["AF407"]
    assert "model.fit(x, y / 255, epochs=1)" in text
    assert "return x, y * 255.0" in text  # the data code itself is kept


def test_rescale_wraps_an_inline_expression_in_parentheses():
    snippet = LABELS_255.replace("x, y = make_data()\nmodel.fit(x, y, epochs=1)",
                                 "x, y = make_data()\nmodel.fit(x, y + 0.0, epochs=1)")
    text, applied = fixed(snippet, "AF407")
    assert applied == ["AF407"] and "model.fit(x, (y + 0.0) / 255, epochs=1)" in text


def test_rescale_not_written_when_validation_targets_are_not_visible():
    snippet = LABELS_255.replace("model.fit(x, y, epochs=1)", "val = (x, y)\nmodel.fit(x, y, epochs=1, validation_data=val)")
    result = run(PRELUDE + snippet, select=["AF407"], fix=True)
    assert not result.applied
    assert any("validation_data" in reason for _, reason in result.unwritable)


def test_fractional_sparse_labels_stay_display_only():
    snippet = MODEL + "model.fit(np.random.rand(40, 6), np.linspace(0.0, 2.5, 40), epochs=1)\n"
    result = run(PRELUDE + snippet, select=["AF407"], fix=True)
    assert [f.code for f in result.findings] == ["AF407"] and not result.applied


# -- AF409: the integer division that erased the inputs ---------------------------------------------
def test_augmented_floor_division_becomes_true_division():
    snippet = """
x = np.arange(48 * 6).reshape(48, 6) % 200
x //= 255
""" + MODEL + "model.fit(x, np.arange(48) % 3, epochs=1)\n"
    text, applied = fixed(snippet, "AF409")
    assert applied == ["AF409"] and "x /= 255\n" in text


def test_only_the_division_that_collapses_the_inputs_is_rewritten():
    snippet = """
def make_data():
    steps = np.arange(48) // 2
    pixels = np.arange(48 * 6).reshape(48, 6) % 200
    return pixels // 255, steps % 3
""" + MODEL + """
x, y = make_data()
model.fit(x, y, epochs=1)
"""
    text, applied = fixed(snippet, "AF409")
    assert applied == ["AF409"]
    assert "steps = np.arange(48) // 2" in text and "return pixels / 255, steps % 3" in text


def test_placeholder_inputs_are_not_rewritten():
    snippet = "x = np.zeros((40, 6))\n" + MODEL + "model.fit(x, np.arange(40) % 3, epochs=1)\n"
    result = run(PRELUDE + snippet, select=["AF409"], fix=True)
    assert [f.code for f in result.findings] == ["AF409"] and not result.applied
    assert any("by hand" in reason for _, reason in result.unwritable)


# -- live path: data fixes through result.prepare (tests/test_data_prep.py); the rest an explained skip --
@pytest.mark.keras
def test_live_fix_applies_a_target_rescale_through_prepare():
    keras = pytest.importorskip("keras")
    import numpy as np

    import autofix

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x, y = np.random.rand(40, 4), (np.random.rand(40, 2) > 0.5) * 255.0
    before = y.copy()
    result = autofix.fix(model, x, y, select=["AF407"])
    assert [f.code for f, _ in result.applied] == ["AF407"] and result.remaining == []
    assert [(e.op, e.value) for e in result.data_edits] == [("rescale_targets", (0.0, 255.0))]
    xs, ys = result.prepare(x, y)
    assert xs is x and np.array_equal(ys, before / 255) and np.array_equal(y, before)
    assert any("result.prepare(x, y)" in line and "0..255 onto [0, 1]" in line for line in result.summary_lines())


@pytest.mark.keras
def test_live_fix_skips_fixes_of_the_data_code_with_a_reason():
    keras = pytest.importorskip("keras")
    import numpy as np

    import autofix
    from autofix.report import DATA_WHY

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x, y = np.zeros((40, 4)), np.arange(40) % 3
    result = autofix.fix(model, x, y, select=["AF409"])
    assert result.applied == [] and not result.changed and result.data_edits == []
    assert [f.code for f in result.remaining] == ["AF409"]
    assert any(DATA_WHY in line for line in result.summary_lines())
