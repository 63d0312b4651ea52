"""The Keras 1/2 -> 3 upgrade (AF501 + autofix.source.upgrade): one before/after per mapping.

Every snippet is our own.  Each case checks that the rewrite changes exactly the
expected text (the rest of the script is byte-identical), that a second fix run
changes nothing and leaves no fixable AF501 finding, and the report-only cases
check the finding says why and the script is left as it is.
"""

from __future__ import annotations

import difflib

import pytest

from helpers import run

IMPORTS = "import keras\nfrom keras import layers\nfrom keras.models import Sequential, Model\nimport numpy as np\n"


def fix(code: str, unsafe: bool = True):
    return run(code, fix=True, unsafe=unsafe, select=["AF501"])


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def assert_upgrade(code: str, old: str | list[str], new: str | list[str], unsafe: bool = True) -> str:
    """``code`` fixed: exactly the lines ``old`` became ``new``; a second run has nothing to do."""
    result = fix(code, unsafe=unsafe)
    removed, added = changed_lines(code, result.fixed)
    assert removed == ([old] if isinstance(old, str) else old), result.fixed
    assert added == ([new] if isinstance(new, str) else new), result.fixed
    compile(result.fixed, "train.py", "exec")
    again = fix(result.fixed, unsafe=unsafe)
    assert again.fixed == result.fixed  # idempotent
    assert not [f for f in again.findings if f.fixable], [f.message for f in again.findings]
    return result.fixed


CASES = {
    # merge(mode=...) -> the Keras 3 merge functions
    "merge_concat": ("from keras.layers import Input, merge\na = Input((4,))\nb = Input((4,))\n"
                     "c = merge([a, b], mode='concat', concat_axis=-1)\n",
                     ["from keras.layers import Input, merge", "c = merge([a, b], mode='concat', concat_axis=-1)"],
                     ["from keras.layers import Input, concatenate", "c = concatenate([a, b], axis=-1)"]),
    "merge_sum": ("from keras.layers import Input, merge\na = Input((4,))\nc = merge([a, a], mode='sum')\n",
                  ["from keras.layers import Input, merge", "c = merge([a, a], mode='sum')"],
                  ["from keras.layers import Input, add", "c = add([a, a])"]),
    "merge_default_mode_is_sum": ("a = layers.Input((4,))\nc = layers.merge([a, a])\n",
                                  "c = layers.merge([a, a])", "c = layers.add([a, a])"),
    "merge_mul": ("a = layers.Input((4,))\nc = layers.merge([a, a], mode='mul')\n",
                  "c = layers.merge([a, a], mode='mul')", "c = layers.multiply([a, a])"),
    "merge_ave": ("a = layers.Input((4,))\nc = layers.merge([a, a], mode='ave')\n",
                  "c = layers.merge([a, a], mode='ave')", "c = layers.average([a, a])"),
    "merge_max": ("a = layers.Input((4,))\nc = layers.merge([a, a], mode='max')\n",
                  "c = layers.merge([a, a], mode='max')", "c = layers.maximum([a, a])"),
    "merge_dot": ("a = layers.Input((4,))\nc = layers.merge([a, a], mode='dot', dot_axes=1)\n",
                  "c = layers.merge([a, a], mode='dot', dot_axes=1)", "c = layers.dot([a, a], axes=1)"),
    "merge_cos": ("a = layers.Input((4,))\nc = layers.merge([a, a], mode='cos', dot_axes=1)\n",
                  "c = layers.merge([a, a], mode='cos', dot_axes=1)",
                  "c = layers.dot([a, a], axes=1, normalize=True)"),
    "Merge_layer_class": ("m = layers.Merge(mode='concat', concat_axis=1)\n",
                          "m = layers.Merge(mode='concat', concat_axis=1)", "m = layers.Concatenate(axis=1)"),
    "Merge_dot_class_gets_axes": ("m = layers.Merge(mode='dot')\n", "m = layers.Merge(mode='dot')",
                                  "m = layers.Dot(axes=-1)"),
    "merge_aliased_import": ("from keras.layers import merge as m\na = layers.Input((4,))\n"
                             "c = m([a, a], mode='mul')\n",
                             ["from keras.layers import merge as m", "c = m([a, a], mode='mul')"],
                             ["from keras.layers import multiply", "c = multiply([a, a])"]),
    "merge_lambda_mode": ("a = layers.Input((4,))\nc = layers.merge([a, a], mode=lambda t: t[0] * t[1])\n",
                          "c = layers.merge([a, a], mode=lambda t: t[0] * t[1])",
                          "c = layers.Lambda(lambda t: t[0] * t[1])([a, a])"),
    "merge_positional_mode": ("a = layers.Input((4,))\nc = layers.merge([a, a], 'ave')\n",
                              "c = layers.merge([a, a], 'ave')", "c = layers.average([a, a])"),
    # ConvLSTM2D(nb_row=, nb_col=) -> kernel_size=(r, c)
    "convlstm2d_kernel_keywords": ("r = layers.ConvLSTM2D(8, nb_row=3, nb_col=ROWS, return_sequences=True)\n",
                                   "r = layers.ConvLSTM2D(8, nb_row=3, nb_col=ROWS, return_sequences=True)",
                                   "r = layers.ConvLSTM2D(8, kernel_size=(3, ROWS), return_sequences=True)"),
    "convlstm2d_kernel_positional": ("r = layers.ConvLSTM2D(8, 3, 3, border_mode='same')\n",
                                     "r = layers.ConvLSTM2D(8, 3, 3, border_mode='same')",
                                     "r = layers.ConvLSTM2D(8, (3, 3), padding='same')"),
    # Model(input=, output=)
    "model_input_output": ("x = layers.Input((4,))\ny = layers.Dense(1)(x)\nm = Model(input=x, output=y)\n",
                           "m = Model(input=x, output=y)", "m = Model(inputs=x, outputs=y)"),
    # image_dim_ordering / dim_ordering
    "image_dim_ordering": ("from keras import backend as K\nif K.image_dim_ordering() == 'th':\n    pass\n",
                           "if K.image_dim_ordering() == 'th':",
                           "if K.image_data_format() == 'channels_first':"),
    "image_dim_ordering_tf_reversed": ("from keras import backend as K\nok = \"tf\" != K.image_dim_ordering()\n",
                                       "ok = \"tf\" != K.image_dim_ordering()",
                                       "ok = \"channels_last\" != K.image_data_format()"),
    "set_image_dim_ordering": ("from keras import backend as K\nK.set_image_dim_ordering('th')\n",
                               "K.set_image_dim_ordering('th')", "K.set_image_data_format('channels_first')"),
    "dim_ordering_kwarg": ("p = layers.MaxPooling2D((2, 2), dim_ordering='th')\n",
                           "p = layers.MaxPooling2D((2, 2), dim_ordering='th')",
                           "p = layers.MaxPooling2D((2, 2), data_format='channels_first')"),
    "data_format_tf": ("p = layers.MaxPooling2D((2, 2), data_format=\"tf\")\n",
                       "p = layers.MaxPooling2D((2, 2), data_format=\"tf\")",
                       "p = layers.MaxPooling2D((2, 2), data_format=\"channels_last\")"),
    # np_utils / keras.objectives / submodules
    "np_utils": ("from keras.utils import np_utils\ny = np_utils.to_categorical([0, 1], 2)\n",
                 ["from keras.utils import np_utils", "y = np_utils.to_categorical([0, 1], 2)"],
                 ["y = keras.utils.to_categorical([0, 1], 2)"]),
    "np_utils_module_import": ("from keras.utils.np_utils import to_categorical\n",
                               "from keras.utils.np_utils import to_categorical",
                               "from keras.utils import to_categorical"),
    "objectives": ("from keras import objectives\nf = objectives.binary_crossentropy\n",
                   ["from keras import objectives", "f = objectives.binary_crossentropy"],
                   ["f = keras.losses.binary_crossentropy"]),
    "layers_core_submodule": ("from keras.layers.core import Dense, Dropout\n",
                              "from keras.layers.core import Dense, Dropout", "from keras.layers import Dense, Dropout"),
    "layers_convolutional_submodule": ("from keras.layers.convolutional import MaxPooling2D\n",
                                       "from keras.layers.convolutional import MaxPooling2D",
                                       "from keras.layers import MaxPooling2D"),
    "layers_merge_module": ("from keras.layers.merge import add\n", "from keras.layers.merge import add",
                            "from keras.layers import add"),
    "utils_data_utils": ("from keras.utils.data_utils import get_file\n",
                         "from keras.utils.data_utils import get_file", "from keras.utils import get_file"),
    # layer classes and keywords
    "deconvolution2d": ("from keras.layers import Deconvolution2D\n"
                        "d = Deconvolution2D(8, 3, 3, (None, 14, 14, 8), border_mode='same', subsample=(2, 2))\n",
                        ["from keras.layers import Deconvolution2D",
                         "d = Deconvolution2D(8, 3, 3, (None, 14, 14, 8), border_mode='same', subsample=(2, 2))"],
                        ["from keras.layers import Conv2DTranspose",
                         "d = Conv2DTranspose(8, (3, 3), padding='same', strides=(2, 2))"]),
    "dropout_W_U": ("r = layers.LSTM(8, dropout_W=0.2, dropout_U=0.1)\n",
                    "r = layers.LSTM(8, dropout_W=0.2, dropout_U=0.1)",
                    "r = layers.LSTM(8, dropout=0.2, recurrent_dropout=0.1)"),
    "subsample_pool_and_conv": ("c = layers.Conv1D(4, 3, subsample_length=2)\n",
                                "c = layers.Conv1D(4, 3, subsample_length=2)", "c = layers.Conv1D(4, 3, strides=2)"),
    "init_everywhere": ("d = layers.Dense(4, init='he_normal')\n", "d = layers.Dense(4, init='he_normal')",
                        "d = layers.Dense(4, kernel_initializer='he_normal')"),
    "init_on_embedding": ("e = layers.Embedding(10, 4, init='uniform')\n", "e = layers.Embedding(10, 4, init='uniform')",
                          "e = layers.Embedding(10, 4, embeddings_initializer='uniform')"),
    "regularizers": ("d = layers.Dense(4, W_regularizer=reg, b_regularizer=None, activity_regularizer=None)\n",
                     "d = layers.Dense(4, W_regularizer=reg, b_regularizer=None, activity_regularizer=None)",
                     "d = layers.Dense(4, kernel_regularizer=reg, bias_regularizer=None, activity_regularizer=None)"),
    "constraints": ("d = layers.Dense(4, W_constraint=c, b_constraint=c)\n",
                    "d = layers.Dense(4, W_constraint=c, b_constraint=c)",
                    "d = layers.Dense(4, kernel_constraint=c, bias_constraint=c)"),
    "maxnorm": ("from keras.constraints import maxnorm\nd = layers.Dense(4, W_constraint=maxnorm(2))\n",
                ["from keras.constraints import maxnorm", "d = layers.Dense(4, W_constraint=maxnorm(2))"],
                ["from keras.constraints import MaxNorm", "d = layers.Dense(4, kernel_constraint=MaxNorm(2))"]),
    "output_dim_nb_filter_border_mode": ("c = layers.Conv1D(nb_filter=N, filter_length=3, border_mode=PAD)\n",
                                         "c = layers.Conv1D(nb_filter=N, filter_length=3, border_mode=PAD)",
                                         "c = layers.Conv1D(filters=N, kernel_size=3, padding=PAD)"),
    "output_dim": ("d = layers.Dense(output_dim=UNITS)\n", "d = layers.Dense(output_dim=UNITS)",
                   "d = layers.Dense(units=UNITS)"),
    "consume_less": ("r = layers.LSTM(8, consume_less='gpu')\n", "r = layers.LSTM(8, consume_less='gpu')",
                     "r = layers.LSTM(8)"),
    "batchnorm_mode_0": ("b = layers.BatchNormalization(mode=0, axis=1)\n",
                         "b = layers.BatchNormalization(mode=0, axis=1)", "b = layers.BatchNormalization(axis=1)"),
    # optimizers
    "lr": ("opt = keras.optimizers.SGD(lr=RATE, momentum=0.9)\n", "opt = keras.optimizers.SGD(lr=RATE, momentum=0.9)",
           "opt = keras.optimizers.SGD(learning_rate=RATE, momentum=0.9)"),
    "decay": ("opt = keras.optimizers.SGD(lr=0.1, decay=1e-4)\n", "opt = keras.optimizers.SGD(lr=0.1, decay=1e-4)",
              "opt = keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.1, "
              "decay_steps=1, decay_rate=1e-4))"),
    "decay_default_lr": ("opt = keras.optimizers.RMSprop(decay=D)\n", "opt = keras.optimizers.RMSprop(decay=D)",
                         "opt = keras.optimizers.RMSprop(learning_rate=keras.optimizers.schedules.InverseTimeDecay("
                         "0.001, decay_steps=1, decay_rate=D))"),
    "decay_zero_dropped": ("opt = keras.optimizers.Adam(lr=1e-3, decay=0.0)\n",
                           "opt = keras.optimizers.Adam(lr=1e-3, decay=0.0)",
                           "opt = keras.optimizers.Adam(learning_rate=1e-3)"),
    # fit() family
    "nb_epoch_show_accuracy": ("net.fit(x, y, nb_epoch=EPOCHS, show_accuracy=True)\n",
                               "net.fit(x, y, nb_epoch=EPOCHS, show_accuracy=True)", "net.fit(x, y, epochs=EPOCHS)"),
    "evaluate_show_accuracy": ("score = net.evaluate(x, y, show_accuracy=True, verbose=0)\n",
                               "score = net.evaluate(x, y, show_accuracy=True, verbose=0)",
                               "score = net.evaluate(x, y, verbose=0)"),
    "samples_per_epoch_literal_batch": (
        "BATCH = 32\nnet.fit_generator(gen.flow(x, y, batch_size=BATCH), samples_per_epoch=len(x), nb_epoch=2)\n",
        "net.fit_generator(gen.flow(x, y, batch_size=BATCH), samples_per_epoch=len(x), nb_epoch=2)",
        ["import math",
         "net.fit(gen.flow(x, y, batch_size=BATCH), steps_per_epoch=math.ceil(len(x) / BATCH), epochs=2)"]),
    "samples_per_epoch_all_literals": (
        "net.fit_generator(gen.flow(x, y, batch_size=32), samples_per_epoch=100)\n",
        "net.fit_generator(gen.flow(x, y, batch_size=32), samples_per_epoch=100)",
        "net.fit(gen.flow(x, y, batch_size=32), steps_per_epoch=4)"),
    "nb_val_samples_with_arrays_is_dropped": (
        "net.fit_generator(g, steps_per_epoch=5, validation_data=(x, y), nb_val_samples=64)\n",
        "net.fit_generator(g, steps_per_epoch=5, validation_data=(x, y), nb_val_samples=64)",
        "net.fit(g, steps_per_epoch=5, validation_data=(x, y))"),
    "nb_val_samples_generator": (
        "net.fit_generator(g, steps_per_epoch=5, validation_data=gen.flow(x, y, batch_size=16), nb_val_samples=64)\n",
        "net.fit_generator(g, steps_per_epoch=5, validation_data=gen.flow(x, y, batch_size=16), nb_val_samples=64)",
        "net.fit(g, steps_per_epoch=5, validation_data=gen.flow(x, y, batch_size=16), validation_steps=4)"),
    "fit_generator_generator_kwarg": ("net.fit_generator(generator=g, steps_per_epoch=5)\n",
                                      "net.fit_generator(generator=g, steps_per_epoch=5)",
                                      "net.fit(x=g, steps_per_epoch=5)"),
    "fit_generator_workers": ("net.fit_generator(g, steps_per_epoch=5, workers=4, use_multiprocessing=True)\n",
                              "net.fit_generator(g, steps_per_epoch=5, workers=4, use_multiprocessing=True)",
                              "net.fit(g, steps_per_epoch=5)"),
    "predict_proba_on_a_model": ("net = Sequential([layers.Dense(1)])\np = net.predict_proba(x)\n",
                                 "p = net.predict_proba(x)", "p = net.predict(x)"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_mapping(name):
    snippet, old, new = CASES[name]
    fixed = assert_upgrade(IMPORTS + snippet, old, new)
    if "math.ceil" in fixed:
        assert "import math" in fixed


def test_np_utils_adds_import_keras_only_when_missing():
    code = "from keras.utils import np_utils\nfrom keras.models import Sequential\ny = np_utils.to_categorical([1])\n"
    result = fix(code)
    assert result.fixed == ("from keras.models import Sequential\nimport keras\n"
                            "y = keras.utils.to_categorical([1])\n")


def test_two_calls_keep_their_own_values():
    """Edits bind to their own call: two optimizers, two fit calls, values as written."""
    code = IMPORTS + ("a = keras.optimizers.SGD(lr=0.1)\nb = keras.optimizers.SGD(lr=LR_B)\n"
                      "m1.fit(x, y, nb_epoch=3)\nm2.fit(x, y, nb_epoch=E2)\n")
    result = fix(code)
    assert "a = keras.optimizers.SGD(learning_rate=0.1)\nb = keras.optimizers.SGD(learning_rate=LR_B)\n" in result.fixed
    assert "m1.fit(x, y, epochs=3)\nm2.fit(x, y, epochs=E2)\n" in result.fixed


def test_two_models_with_the_same_layer_names_are_both_upgraded():
    code = IMPORTS + """
def one():
    model = Sequential()
    model.add(layers.Dense(4, init='zero', name='hidden', input_dim=3))
    return model


def two():
    model = Sequential()
    model.add(layers.Dense(4, init='one', name='hidden', input_dim=3))
    return model
"""
    result = fix(code)
    assert "kernel_initializer='zero'" in result.fixed and "kernel_initializer='one'" in result.fixed
    assert "init=" not in result.fixed.replace("kernel_initializer=", "")


def test_each_edit_touches_only_its_node():
    """An upgrade of one keyword leaves the same keyword elsewhere, comments and spacing alone."""
    code = IMPORTS + ("# nb_epoch=3 in a comment stays\n"
                      "print('border_mode=')\n"
                      "d = layers.Dense(4,   init = 'zero')  # spacing kept\n")
    result = fix(code)
    assert result.fixed == code.replace("init = 'zero'", "kernel_initializer = 'zero'")


REPORTS = {
    "weights_kwarg": ("d = layers.Dense(4, weights=[w, b])\n", "no initial weights in the constructor"),
    "Merge_of_models": ("m = Sequential()\nm.add(layers.Merge([left, right], mode='sum'))\n", "merges whole models"),
    "merge_mode_not_visibly_a_function": ("a = layers.Input((2,))\nc = layers.merge([a, a], mode=MODE)\n",
                                          "has no Keras 3 layer"),
    "merge_function_mode_with_output_mask": ("a = layers.Input((2,))\n"
                                             "c = layers.merge([a, a], mode=lambda t: t[0], output_mask=m)\n",
                                             "output_mask have no Keras 3 equivalent"),
    "merge_output_shape": ("a = layers.Input((2,))\nc = layers.merge([a, a], mode='sum', output_shape=(2,))\n",
                           "output_shape have no Keras 3 equivalent"),
    "samples_per_epoch_unknown_batch": ("net.fit(make_batches(), samples_per_epoch=1000)\n",
                                        "batch size of this generator is not a literal"),
    "image_dim_ordering_assigned": ("from keras import backend as K\norder = K.image_dim_ordering()\n",
                                    "used beyond a comparison"),
    "batchnorm_mode_2": ("b = layers.BatchNormalization(mode=2)\n", "only mode=0"),
    "batch_input_shape": ("r = layers.LSTM(4, batch_input_shape=(8, 5, 1))\n", "keras.Input(batch_shape=...)"),
    "np_utils_function_without_equivalent": ("from keras.utils import np_utils\np = np_utils.probas_to_classes(y)\n",
                                             "has no np_utils.probas_to_classes"),
    "utils_submodule_name_without_equivalent": ("from keras.utils.io_utils import HDF5Matrix\n", "has no HDF5Matrix"),
}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_no_equivalent_is_reported_and_left_alone(name):
    snippet, why = REPORTS[name]
    code = IMPORTS + snippet
    result = fix(code)
    ours = [f for f in result.findings if f.code == "AF501" and why in f.message]
    assert ours, [f.message for f in result.findings]
    assert all(not f.fixable for f in ours)
    assert "no Keras 3 equivalent here" in ours[0].message
    assert result.fixed == code


def test_cos_mode_is_unsafe():
    code = IMPORTS + "a = layers.Input((4,))\nc = layers.merge([a, a], mode='cos')\n"
    assert not fix(code, unsafe=False).changed
    assert "normalize=True" in fix(code).fixed


def test_workers_are_dropped_only_with_unsafe_fixes():
    code = IMPORTS + "net.fit_generator(g, steps_per_epoch=5, workers=4)\n"
    assert not fix(code, unsafe=False).changed
    assert "net.fit(g, steps_per_epoch=5)" in fix(code).fixed


def test_check_mode_never_loads_libcst_or_keras():
    import subprocess
    import sys

    script = ("import sys\nfrom autofix.rules import select_rules\nfrom autofix.source.check import check_source\n"
              f"check_source({IMPORTS + CASES['merge_concat'][0]!r}, 't.py', select_rules(['AF501']))\n"
              "assert not {'libcst', 'keras', 'tensorflow'} & set(sys.modules), sorted(sys.modules)\n")
    subprocess.run([sys.executable, "-c", script], check=True)


def test_aliased_merge_with_two_modes_imports_each_function():
    """``merge as m`` called with two modes: each call gets its own function (an alias renamed to
    one of them would silently turn the other call into it)."""
    code = ("from keras.layers import merge as m, Input\na = Input((4,))\n"
            "c = m([a, a], mode='concat', concat_axis=-1)\nd = m([a, a], mode='sum')\n")
    result = fix(code)
    assert result.fixed == ("from keras.layers import Input, concatenate, add\na = Input((4,))\n"
                            "c = concatenate([a, a], axis=-1)\nd = add([a, a])\n")


def test_convlstm2d_in_a_sequential_keeps_its_filters():
    code = IMPORTS + ("seq = Sequential()\n"
                      "seq.add(layers.ConvLSTM2D(nb_filter=4, nb_row=3, nb_col=3, input_shape=(None, 8, 8, 1),\n"
                      "                          border_mode='same', return_sequences=True))\n"
                      "seq.add(layers.ConvLSTM2D(2, 3, 3, border_mode='same'))\n"
                      "seq.compile(loss='mse', optimizer='adam')\n")
    result = fix(code)
    assert "nb_row" not in result.fixed and "nb_col" not in result.fixed, result.fixed
    assert "ConvLSTM2D(filters=4," in result.fixed and "kernel_size=(3, 3)" in result.fixed
    assert "ConvLSTM2D(filters=2, kernel_size=(3, 3), padding='same')" in result.fixed
    assert fix(result.fixed).fixed == result.fixed


def test_rewritten_merge_and_convlstm_build_under_keras3():
    """The rewrites run under Keras 3 and build the model Keras 1 meant."""
    keras = pytest.importorskip("keras")
    code = ("from keras import layers\nfrom keras.layers import merge as m, Input\nfrom keras.models import Model\n"
            "frames = Input((None, 8, 8, 1))\n"
            "h = layers.ConvLSTM2D(4, nb_row=3, nb_col=2, padding='same', return_sequences=False)(frames)\n"
            "g = layers.ConvLSTM2D(4, 3, 2, border_mode='same')(frames)\n"
            "s = m([h, g], mode='concat', concat_axis=-1)\n"
            "p = m([h, g], mode='mul')\n"
            "model = Model(input=frames, output=[s, p])\n")
    fixed = fix(code).fixed
    namespace: dict = {}
    exec(compile(fixed, "upgraded.py", "exec"), namespace)
    model = namespace["model"]
    assert [tuple(o.shape) for o in model.outputs] == [(None, 8, 8, 8), (None, 8, 8, 4)]
    kernels = [lay.cell.kernel.shape for lay in model.layers if isinstance(lay, keras.layers.ConvLSTM2D)]
    assert kernels == [(3, 2, 1, 16), (3, 2, 1, 16)]
