"""``model.fit(x, y, **FIT)``: settings read from a visible dict, never duplicated by a rewrite."""

from __future__ import annotations

from helpers import run

HEAD = """import keras
from keras import layers
model = keras.Sequential([keras.Input((13,)), layers.Dense(64, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
"""


def test_settings_of_a_visible_dict_are_read():
    code = HEAD + 'FIT = dict(epochs=3, batch_size=8, nb_epoch=2)\nmodel.fit(x, y, **FIT)\n'
    result = run(code, select=["AF501"], fix=True)
    assert "FIT = dict(epochs=3, batch_size=8, epochs=2)" not in result.fixed  # never a duplicate keyword
    assert [f.code for f in result.findings] in ([], ["AF501"])


def test_hidden_callbacks_keep_the_metric():
    """A callback the script hides in **settings may monitor accuracy: the metric is not removed."""
    code = HEAD + "model.fit(x, y, **settings)\n"
    result = run(code, select=["AF209"], fix=True)
    (finding,) = result.findings
    assert "callbacks are not visible" in finding.message
    assert result.fixed == code


def test_callback_in_a_dict_changes_with_the_metric():
    """The metric and the callback monitoring it change together, the callback where the dict writes it."""
    code = HEAD + ('FIT = dict(epochs=3, callbacks=[keras.callbacks.EarlyStopping(monitor="val_accuracy")])\n'
                   "model.fit(x, y, **FIT)\n")
    result = run(code, select=["AF209"], fix=True)
    assert result.fixed == code.replace('["accuracy"]', '["mae"]').replace('"val_accuracy"', '"val_loss"')


def test_callback_hidden_in_a_dict_keeps_the_metric():
    code = HEAD + ('FIT = dict(epochs=3, callbacks=make_callbacks())\n'
                   "model.fit(x, y, **FIT)\n")
    result = run(code, select=["AF209"], fix=True)
    assert result.fixed == code and "callbacks are not visible" in result.findings[0].message


def test_a_new_fit_keyword_is_not_added_beside_unpacked_settings():
    code = ("import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input((4,)), layers.BatchNormalization(), layers.Dense(1, activation='sigmoid')])\n"
            "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
            "FIT = dict(epochs=3, batch_size=2)\nmodel.fit(x, y, **FIT)\n")
    result = run(code, fix=True)
    assert "**FIT, " not in result.fixed and "FIT, batch_size" not in result.fixed
    compile(result.fixed, "t.py", "exec")
