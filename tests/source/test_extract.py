"""The source extractor: ModelSpec shape for the styles users write."""

from __future__ import annotations

import pytest

from autofix.source.extract import extract_source
from autofix.values import Opaque

from helpers import PRELUDE, run


def only(code):
    (spec,) = extract_source(code, "t.py")
    return spec


def test_functional_tf_keras_and_names():
    spec = only("""import tensorflow as tf
inputs = tf.keras.Input((8,))
x = tf.keras.layers.Dense(4, "relu", name="hidden")(inputs)
out = tf.keras.layers.Dense(units)(x)
m = tf.keras.Model(inputs, out)
m.compile(optimizer=tf.keras.optimizers.Adam(lr=0.1), loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
""")
    assert [(l.name, l.class_name, l.inbound) for l in spec.layers] == [
        ("input_layer", "InputLayer", ()), ("hidden", "Dense", ("input_layer",)), ("dense", "Dense", ("hidden",))]
    assert spec.layers[1].config == {"units": 4, "activation": "relu"}
    assert spec.layers[2].config["units"] == Opaque("units")
    assert spec.compile.optimizer == {"class_name": "Adam", "config": {"learning_rate": 0.1}}
    assert spec.compile.loss == {"class_name": "BinaryCrossentropy", "config": {"from_logits": True}}
    assert spec.layers[1].origin.render() == "t.py:3:5"


def test_function_built_model_with_loop_and_star_import():
    spec = only("""from keras.layers import *
from keras.models import Sequential
from keras.losses import categorical_crossentropy
N = 3
def build():
    model = Sequential()
    for units in [32, 16]:
        model.add(Dense(units, activation="relu"))
    model.add(Dense(N, activation="softmax"))
    opt = "sgd"
    model.compile(loss=categorical_crossentropy, optimizer=opt)
    return model
net = build()
net.fit_generator(gen, nb_epoch=5, shuffle=False)
""")
    assert [l.config["units"] for l in spec.layers] == [32, 16, 3]
    assert spec.compile.loss == "categorical_crossentropy" and spec.compile.optimizer == "sgd"
    assert spec.fit.epochs == 5 and spec.fit.shuffle is False
    assert {u.old for u in spec.uses.legacy} == {"fit_generator", "nb_epoch"}


def test_insert_and_remove_in_functional_and_add_chains():
    from autofix.source._plan import SourceTree
    from autofix.source.rewrite import apply_edits
    from autofix.edits import InsertLayer, NewLayer, RemoveLayer

    code = """from keras.layers import Dense, Dropout, Flatten
import keras
inputs = keras.Input((8,))
x = Dense(4)(inputs)
x = Dropout(0.5)(x)
m = keras.Model(inputs, x)
"""
    (spec,) = extract_source(code, "t.py")
    out = apply_edits(SourceTree.parse(code), [(spec, [RemoveLayer("dropout"),
                                       InsertLayer("dense", NewLayer.of("BatchNormalization"))])]).code
    assert "x = BatchNormalization()(x)\n" in out and "Dropout(0.5)" not in out
    assert "from keras.layers import Dense, Dropout, Flatten, BatchNormalization" in out


def test_from_logits_object_loss_is_edited_in_place():
    code = """import keras
from keras import layers
model = keras.Sequential([keras.Input((3,)), layers.Dense(2, activation='softmax')])
model.compile('adam', keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1))
"""
    fixed = run(code, fix=True).fixed
    assert "keras.losses.CategoricalCrossentropy(from_logits=False, label_smoothing=0.1)" in fixed


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_edits_find_their_nodes_by_position_past_non_ascii_text(newline):
    """ast counts columns in UTF-8 bytes, libcst in characters: sites must still match."""
    from autofix.source._plan import SourceTree
    from autofix.source.rewrite import apply_edits
    from autofix.edits import InsertLayer, NewLayer, SetLayerArg

    code = newline.join([
        "import keras",
        "from keras import layers  # café",
        'n = "é"; model = keras.Sequential([keras.Input((8,)), layers.Dense(4, name="dé"), '
        '(layers.Dense(1, activation="softmax"))])',
        "",
    ])
    (spec,) = extract_source(code, "t.py")
    assert spec.layers[-1].origin.col == code.splitlines()[2].index("layers.Dense(1") + 1
    out = apply_edits(SourceTree.parse(code), [(spec, [InsertLayer("dé", NewLayer.of("Dropout", rate=0.5)),
                                                      SetLayerArg("dense", "activation", "sigmoid")])]).code
    assert 'layers.Dense(4, name="dé"), layers.Dropout(rate=0.5), (layers.Dense(1, activation="sigmoid"))' in out


def test_multi_name_import_statement_is_recognised():
    """``import numpy as np, keras`` binds keras too: the script is checked, not skipped."""
    code = """import numpy as np, keras
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
    result = run(code)
    assert "AF201" in [f.code for f in result.findings]
    assert only(code.replace("import numpy as np, keras", "import os.path, keras as K").replace(
        "keras.", "K.")).layers[-1].class_name == "Dense"


def test_a_builders_call_passed_straight_to_train_links_that_models_fit():
    specs = extract_source(PRELUDE + '''
def build_model():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def train(model, x, y):
    stop = keras.callbacks.EarlyStopping(monitor="val_acc", patience=2)
    model.fit(x, y, epochs=7, batch_size=16, callbacks=[stop])


train(build_model(), np.zeros((64, 4)), np.zeros(64))
''')
    assert len(specs) == 1 and [lay.class_name for lay in specs[0].layers] == ["InputLayer", "Dense", "Dense"]
    assert specs[0].fit.epochs == 7 and specs[0].fit.batch_size == 16
    assert [c["config"]["monitor"] for c in specs[0].fit.callbacks] == ["val_acc"]
