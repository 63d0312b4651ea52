"""autofix-src on real scripts: rewrites keep the script's intent.

Each case is a reproducer from running autofix-src on real training scripts
(Keras's own examples, teacher/student scripts, Keras 1 code). A rewrite must
change only the nodes its finding is about: the expected text below differs
from the original exactly on those lines.
"""

from __future__ import annotations

import difflib

import pytest

from helpers import run


def changed(before: str, after: str) -> list[tuple[str, str]]:
    """(old line, new line) pairs that differ (same line count assumed)."""
    a, b = before.splitlines(), after.splitlines()
    assert len(a) == len(b), "\n".join(difflib.unified_diff(a, b, lineterm=""))
    return [(x, y) for x, y in zip(a, b) if x != y]


def fixes(code: str, *, select=None, unsafe: bool = False) -> str:
    result = run(code, fix=True, unsafe=unsafe, select=select)
    return result.fixed


def codes(code: str, select=None) -> list[str]:
    return [f.code for f in run(code, select=select).findings]


# -- 1. a renamed keyword keeps its value expression -------------------------------
BRANCHED_EPOCHS = """import sys
import keras
from keras import layers

if len(sys.argv) > 1:
    EPOCHS = int(sys.argv[1])
else:
    EPOCHS = 20

model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, nb_epoch=EPOCHS)
"""


def test_renamed_fit_keyword_keeps_its_expression():
    after = fixes(BRANCHED_EPOCHS, select=["AF501"])
    assert changed(BRANCHED_EPOCHS, after) == [("model.fit(x, y, nb_epoch=EPOCHS)", "model.fit(x, y, epochs=EPOCHS)")]


def test_renamed_fit_keyword_keeps_a_once_assigned_name():
    code = BRANCHED_EPOCHS.replace("if len(sys.argv) > 1:\n    EPOCHS = int(sys.argv[1])\nelse:\n    EPOCHS = 20\n",
                                   "EPOCHS = 20\n\n\n\n")
    after = fixes(code, select=["AF501"])
    assert changed(code, after) == [("model.fit(x, y, nb_epoch=EPOCHS)", "model.fit(x, y, epochs=EPOCHS)")]


LAYER_NAMES = """import keras
from keras.layers import Dense, Convolution1D, Flatten
N_FILTERS = 16
ACT = "relu"
model = keras.Sequential([
    keras.Input((10, 4)),
    Convolution1D(nb_filter=N_FILTERS, filter_length=4, border_mode="same", activation=ACT),
    Flatten(),
    Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(lr=LR), loss="binary_crossentropy")
"""


def test_renamed_layer_and_optimizer_keywords_keep_their_expressions():
    after = fixes(LAYER_NAMES, select=["AF501"])
    assert changed(LAYER_NAMES, after) == [
        ('    Convolution1D(nb_filter=N_FILTERS, filter_length=4, border_mode="same", activation=ACT),',
         '    Conv1D(filters=N_FILTERS, kernel_size=4, padding="same", activation=ACT),'),
        ('model.compile(optimizer=keras.optimizers.Adam(lr=LR), loss="binary_crossentropy")',
         'model.compile(optimizer=keras.optimizers.Adam(learning_rate=LR), loss="binary_crossentropy")'),
    ] or changed(LAYER_NAMES, after) == [
        ("from keras.layers import Dense, Convolution1D, Flatten", "from keras.layers import Dense, Conv1D, Flatten"),
        ('    Convolution1D(nb_filter=N_FILTERS, filter_length=4, border_mode="same", activation=ACT),',
         '    Conv1D(filters=N_FILTERS, kernel_size=4, padding="same", activation=ACT),'),
        ('model.compile(optimizer=keras.optimizers.Adam(lr=LR), loss="binary_crossentropy")',
         'model.compile(optimizer=keras.optimizers.Adam(learning_rate=LR), loss="binary_crossentropy")'),
    ]


# -- 2. edits bind to their own call ----------------------------------------------------
TWO_MODELS = """import keras
from keras import layers
from keras.optimizers import SGD

teacher = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
teacher.compile(optimizer=SGD(lr=0.01), loss="binary_crossentropy")
student = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
student.compile(optimizer=SGD(lr=0.001), loss="binary_crossentropy")
teacher.fit(x, y, nb_epoch=1)
student.fit(x, y, nb_epoch=2)
"""


def test_each_rename_edits_its_own_call():
    after = fixes(TWO_MODELS, select=["AF501"])
    assert changed(TWO_MODELS, after) == [
        ('teacher.compile(optimizer=SGD(lr=0.01), loss="binary_crossentropy")',
         'teacher.compile(optimizer=SGD(learning_rate=0.01), loss="binary_crossentropy")'),
        ('student.compile(optimizer=SGD(lr=0.001), loss="binary_crossentropy")',
         'student.compile(optimizer=SGD(learning_rate=0.001), loss="binary_crossentropy")'),
        ("teacher.fit(x, y, nb_epoch=1)", "teacher.fit(x, y, epochs=1)"),
        ("student.fit(x, y, nb_epoch=2)", "student.fit(x, y, epochs=2)"),
    ]
    assert codes(after, select=["AF501"]) == []


def test_two_fit_calls_of_one_model_are_each_renamed():
    code = """import keras
from keras import layers
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, nb_epoch=1)
model.fit(x2, y2, nb_epoch=5)
"""
    after = fixes(code, select=["AF501"])
    assert changed(code, after) == [("model.fit(x, y, nb_epoch=1)", "model.fit(x, y, epochs=1)"),
                                    ("model.fit(x2, y2, nb_epoch=5)", "model.fit(x2, y2, epochs=5)")]


def test_findings_of_two_models_are_not_duplicated():
    found = run(TWO_MODELS, select=["AF501"]).findings
    assert sorted(f.origin.line for f in found) == [6, 8, 9, 10]


# -- 3. Keras 1 positional arguments mapped by signature ------------------------------------------
KERAS1_CONV = """from keras.models import Sequential
from keras.layers import Convolution1D, Convolution2D, Convolution3D, Dense, Flatten

model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1), activation='relu'))
model.add(Convolution2D(64, nb_row=5, nb_col=K, activation='relu'))
model.add(Flatten())
model.add(Dense(10, activation='softmax'))
model.compile(optimizer='adam', loss='categorical_crossentropy')
"""


def test_keras1_positional_kernel_becomes_kernel_size():
    after = fixes(KERAS1_CONV, select=["AF501"])
    lines = dict(changed(KERAS1_CONV, after))
    assert lines["model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1), activation='relu'))"] \
        == "model.add(Conv2D(32, (3, 3), padding='same', input_shape=(28, 28, 1), activation='relu'))"
    assert lines["model.add(Convolution2D(64, nb_row=5, nb_col=K, activation='relu'))"] \
        == "model.add(Conv2D(64, kernel_size=(5, K), activation='relu'))"
    assert codes(after, select=["AF501"]) == []


def test_keras1_positional_kernel_is_read_by_the_extractor():
    from autofix.source.extract import extract_source

    (spec,) = extract_source(KERAS1_CONV.replace("nb_col=K", "nb_col=5"), "t.py")
    assert [lay.config.get("kernel_size") for lay in spec.layers[:2]] == [(3, 3), (5, 5)]
    assert "strides" not in spec.layers[0].config


@pytest.mark.parametrize("before,after", [
    ("Convolution1D(16, 4, border_mode='same')", "Conv1D(16, 4, padding='same')"),
    ("Convolution1D(nb_filter=16, filter_length=4)", "Conv1D(filters=16, kernel_size=4)"),
    ("Convolution3D(8, 3, 3, 3, activation='relu')", "Conv3D(8, (3, 3, 3), activation='relu')"),
    ("Convolution3D(8, kernel_dim1=3, kernel_dim2=3, kernel_dim3=1)", "Conv3D(8, kernel_size=(3, 3, 1))"),
])
def test_keras1_conv_signatures(before, after):
    code = f"""import keras
from keras.layers import *
model = keras.Sequential()
model.add({before})
model.add(Flatten())
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer='adam', loss='binary_crossentropy')
"""
    fixed = fixes(code, select=["AF501"])
    assert changed(code, fixed) == [(f"model.add({before})", f"model.add({after})")]


def test_keras3_alias_convolution1d_is_not_reported():
    code = """import keras
from keras.layers import Convolution1D, Dense, Flatten
model = keras.Sequential([keras.Input((10, 4)), Convolution1D(16, 4, padding="same", activation="relu"),
                          Flatten(), Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
    assert codes(code) == []


# -- 4. a single-unit softmax on a regression becomes linear -------------------------------------
@pytest.mark.parametrize("loss", ["mse", "mae", "huber", "mean_squared_error"])
def test_single_unit_softmax_on_regression_becomes_linear(loss):
    code = f"""import keras
from keras import layers
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                          layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="{loss}")
"""
    after = fixes(code, select=["AF201"])
    assert changed(code, after) == [('                          layers.Dense(1, activation="softmax")])',
                                     '                          layers.Dense(1, activation="linear")])')]


def test_single_unit_softmax_on_binary_target_stays_sigmoid():
    code = """import keras
from keras import layers
model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
    assert "sigmoid" in fixes(code, select=["AF201"])


# -- 5. no false alarms on valid idioms -------------------------------------------------------------
def test_val_acc_is_right_when_metrics_say_acc():
    code = """import keras
from keras import layers
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
stop = keras.callbacks.EarlyStopping(monitor="val_acc", patience=3)
model.fit(x, y, validation_split=0.25, callbacks=[stop])
"""
    assert codes(code, select=["AF502"]) == []
    assert codes(code.replace('["acc"]', '["accuracy"]'), select=["AF502"]) == ["AF502"]


ANTIRECTIFIER = """import keras
from keras import layers


class Antirectifier(layers.Layer):
    def call(self, inputs):
        return keras.ops.concatenate([keras.ops.relu(inputs), keras.ops.relu(-inputs)], axis=-1)


model = keras.Sequential()
model.add(keras.Input((784,)))
model.add(layers.Dense(256))
model.add(Antirectifier())
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
"""


def test_custom_layer_between_dense_layers_is_not_linear():
    assert codes(ANTIRECTIFIER, select=["AF101"]) == []
    assert codes(ANTIRECTIFIER.replace("model.add(Antirectifier())\n", ""), select=["AF101"]) == ["AF101"]


def test_dropout_ending_an_encoder_submodel_is_not_after_the_output():
    code = """import keras
from keras import layers
enc = keras.Sequential()
enc.add(layers.Embedding(100, 16))
enc.add(layers.Dropout(0.3))
question = keras.Input((10,))
encoded = enc(question)
merged = layers.Concatenate()([encoded, encoded])
out = layers.Dense(1, activation="sigmoid")(layers.Flatten()(merged))
model = keras.Model(question, out)
model.compile(optimizer="rmsprop", loss="binary_crossentropy")
"""
    assert codes(code, select=["AF103"]) == []


def test_dropout_before_time_distributed_dense_is_not_after_the_output():
    code = """import keras
from keras import layers
model = keras.Sequential([keras.Input((12, 8)), layers.LSTM(16, return_sequences=True), layers.Dropout(0.5),
                          layers.TimeDistributed(layers.Dense(5)), layers.Activation("softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""
    assert codes(code, select=["AF103"]) == []


def test_batchnorm_counts_values_per_statistic_not_batch_rows():
    conv_lstm = """import keras
from keras import layers
model = keras.Sequential()
model.add(layers.ConvLSTM2D(40, (3, 3), input_shape=(None, 40, 40, 1), padding="same", return_sequences=True))
model.add(layers.BatchNormalization())
model.add(layers.Conv3D(1, (3, 3, 3), activation="sigmoid", padding="same"))
model.compile(loss="binary_crossentropy", optimizer="adadelta")
model.fit(x, y, batch_size=5, epochs=3, validation_split=0.05)
"""
    assert codes(conv_lstm, select=["AF301"]) == []
    dense = """import keras
from keras import layers
model = keras.Sequential([keras.Input((12,)), layers.Dense(16, activation="relu"), layers.BatchNormalization(),
                          layers.Dense(1, activation="sigmoid")])
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(x, y, batch_size=4)
"""
    assert codes(dense, select=["AF301"]) == ["AF301"]


def test_rmsprop_001_for_a_char_rnn_is_not_far_too_high():
    code = """import keras
from keras import layers
from keras.optimizers import RMSprop
model = keras.Sequential([keras.Input((40, 57)), layers.LSTM(128), layers.Dense(57, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer=RMSprop(learning_rate=0.01))
"""
    assert codes(code, select=["AF302"]) == []
    assert codes(code.replace("layers.LSTM(128)", "layers.Flatten(), layers.Dense(128, activation='relu')"),
                 select=["AF302"]) == ["AF302"]


# -- 6. a fix that cannot be written is not counted as fixable, and says why ---------------------------
BRANCH_LAYERS = """import keras
from keras import layers
model = keras.Sequential()
model.add(keras.Input((8,)))
if deeper:
    model.add(layers.Dense(16, name="extra", activation="relu"))
else:
    model.add(layers.Dense(16, name="extra"))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy")
"""


def test_unwritable_fix_is_reported_with_its_reason():
    result = run(BRANCH_LAYERS, fix=True, select=["AF101"])
    assert not result.changed and result.applied == []
    assert [f.fixable for f in result.findings] == [False]
    ((finding, reason),) = result.unwritable
    assert finding.code == "AF101" and "named 'extra'" in reason
    checked = run(BRANCH_LAYERS, select=["AF101"])  # check mode never offers it as fixable either
    assert [f.fixable for f in checked.findings] == [False] and len(checked.unwritable) == 1


def test_second_fix_run_explains_instead_of_repeating(tmp_path):
    from click.testing import CliRunner

    from autofix.cli.src import cli

    path = tmp_path / "train.py"
    path.write_text(BRANCH_LAYERS)
    result = CliRunner().invoke(cli, [str(path), "--fix", "--isolated", "--select", "AF101"])
    assert "not written." not in result.output
    assert "AF101 fix not written: two or more layers of this model are named 'extra'" in result.output
    assert "1 fix cannot be written into the script" in result.output
    assert "fixable with --fix" not in result.output
    assert path.read_text() == BRANCH_LAYERS
