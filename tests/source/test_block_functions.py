"""Functional models built through the script's own block functions (``x = residual_block(x, 32)``):
the layers each call applies join the graph, once per call (an unrolled loop calls the block again)."""

from __future__ import annotations

import ast

from autofix.source.extract import extract_source
from helpers import PRELUDE, run

BLOCK = '''
def residual_block(x, units):
    h = layers.Dense(units)(x)
    h = layers.BatchNormalization()(h)
    h = layers.Activation("relu")(h)
    h = layers.Dense(units)(h)
    h = layers.BatchNormalization()(h)
    return layers.Activation("relu")(layers.Add()([x, h]))

'''


def _model(body: str):
    specs = extract_source(PRELUDE + BLOCK + body)
    assert len(specs) == 1
    return specs[0]


def _classes(spec) -> list[str]:
    return [layer.class_name for layer in spec.layers]


def test_a_block_called_in_a_loop_adds_its_layers_once_per_call():
    spec = _model('''
inputs = keras.Input((16,))
x = layers.Dense(32, activation="relu")(inputs)
for _ in range(3):
    x = residual_block(x, 32)
model = keras.Model(inputs, layers.Dense(3, activation="softmax")(x))
''')
    assert _classes(spec).count("BatchNormalization") == 6 and _classes(spec).count("Add") == 3
    adds = [layer for layer in spec.layers if layer.class_name == "Add"]
    names = {layer.name for layer in spec.layers}
    assert all(len(add.inbound) == 2 and set(add.inbound) <= names for add in adds)
    head = spec.layers[-1]
    assert head.get("units") == 3 and spec.predecessors(head)[0].class_name == "Activation"


def test_blocks_called_on_different_tensors_and_built_inside_a_builder():
    spec = _model('''
def build_model():
    inputs = keras.Input((16,))
    a = residual_block(layers.Dense(8)(inputs), 8)
    b = residual_block(a, 8)
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(b))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


model = build_model()
''')
    assert _classes(spec).count("Dense") == 6  # the stem, 2 per block, the head
    first_add = next(layer for layer in spec.layers if layer.class_name == "Add")
    assert spec.predecessors(first_add)[0].class_name == "Dense"  # the stem feeds the first block's shortcut


def test_a_block_whose_result_is_not_a_tensor_leaves_the_graph_unfollowed():
    spec = _model('''
def two_outputs(x):
    return layers.Dense(4)(x), x

inputs = keras.Input((16,))
h, _ = two_outputs(inputs)
model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(h))
''')
    assert "Add" not in _classes(spec) and _classes(spec)[-1] == "Dense"


#: Two residual blocks trained with the fit() arguments put in ``{fit}``.
RESNET = PRELUDE + BLOCK + '''
inputs = keras.Input((8,))
x = layers.Dense(32, activation="relu")(inputs)
for _ in range(2):
    x = residual_block(x, 32)
model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(x))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit({fit})
'''


def test_a_fix_on_a_layer_inside_a_block_edits_the_block_once():
    code = RESNET.format(fit="np.random.rand(1600, 8), np.arange(1600) % 2, batch_size=32, epochs=3")
    result = run(code, fix=True)
    assert [f.code for f, _ in result.applied] == ["AF306"] and result.findings == []
    assert result.applied[0][0].message.count("'batch_normalization") == 4  # 2 blocks x 2 layers
    ast.parse(result.fixed)
    changed = [(a, b) for a, b in zip(code.splitlines(), result.fixed.splitlines()) if a != b]
    assert changed == [("    h = layers.BatchNormalization()(h)", "    h = layers.BatchNormalization(momentum=0.98)(h)")] * 2
    assert len(code.splitlines()) == len(result.fixed.splitlines())


def test_a_correct_residual_net_gets_no_finding():
    assert run(RESNET.format(fit="np.random.rand(3200, 8), np.arange(3200) % 2, batch_size=32, epochs=10")).findings == []


def test_a_block_called_inside_a_merge_list_adds_its_layers_per_call():
    spec = extract_source(PRELUDE + '''
def branch(inputs, units):
    x = layers.Dense(units, activation="relu")(inputs)
    return layers.Dropout(0.2)(x)


inputs = keras.Input((16,))
merged = layers.concatenate([branch(inputs, 32), branch(inputs, 8)])
model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(merged))
''')[0]
    merge = next(layer for layer in spec.layers if layer.class_name == "Concatenate")
    fed = [spec.predecessors(pred)[0].get("units") for pred in spec.predecessors(merge)]
    assert [p.class_name for p in spec.predecessors(merge)] == ["Dropout", "Dropout"] and fed == [32, 8]
