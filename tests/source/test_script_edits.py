"""Source rewrites of the script-level edits: labels, callbacks, legacy method calls."""

from __future__ import annotations

from helpers import PRELUDE, run

HEAD = """
model = keras.Sequential([keras.Input((4,)), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=[keras.metrics.Precision()])
"""


def test_inline_to_categorical_in_fit_is_unwrapped():
    code = PRELUDE + HEAD + "model.fit(np.zeros((8, 4)), keras.utils.to_categorical(np.arange(8) % 2, 2))\n"
    result = run(code, fix=True, select=["AF206"])
    assert "model.fit(np.zeros((8, 4)), np.arange(8) % 2)\n" in result.fixed
    assert "Dense(1, activation=\"sigmoid\")" in result.fixed


def test_labels_not_visibly_one_hot_leave_the_script_alone():
    code = PRELUDE + HEAD + "model.fit(np.zeros((8, 4)), np.eye(2)[np.arange(8) % 2])\n"
    result = run(code, fix=True, select=["AF206"])
    assert not result.changed  # the head cannot change without the labels changing too
    assert [f.code for f in result.findings] == ["AF206"]


def test_only_fixes_the_script_allows_are_chosen():
    code = PRELUDE + HEAD.replace("categorical_crossentropy", "binary_crossentropy") + (
        "model.fit(np.zeros((8, 4)), np.eye(2)[np.arange(8) % 2])\n")
    result = run(code, fix=True, select=["AF202", "AF206"])
    assert 'loss="categorical_crossentropy"' in result.fixed and "Dense(2," in result.fixed


def test_inline_callback_monitor_is_fixed_in_place():
    head = HEAD.replace("[keras.metrics.Precision()]", '["accuracy"]')
    code = PRELUDE + head + ("model.fit(np.zeros((8, 4)), np.zeros((8, 2)), validation_split=0.5,\n"
                             "          callbacks=[keras.callbacks.ModelCheckpoint('m.keras', 'val_acc')])\n")
    result = run(code, fix=True, select=["AF502"])
    assert "ModelCheckpoint('m.keras', 'val_accuracy')" in result.fixed
    assert not run(result.fixed, select=["AF502"]).findings


def test_fit_generator_with_dropped_keywords_is_renamed_only_as_an_unsafe_fix():
    code = PRELUDE + HEAD + "model.fit_generator(batches, epochs=2, workers=4)\n"
    result = run(code, fix=True, unsafe=False, select=["AF501"])
    assert not result.changed and [f.code for f in result.findings] == ["AF501"]
    result = run(code, fix=True, select=["AF501"])  # unsafe: workers= goes (Keras 3 has it on PyDataset)
    assert "model.fit(batches, epochs=2)\n" in result.fixed
