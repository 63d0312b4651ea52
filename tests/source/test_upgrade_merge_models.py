"""Keras 1 ``Merge([model_a, model_b])`` of whole models, ``merge(mode=<function>)``, generator
batch sizes held by an object, and layer names shared by if/elif branches (AF501, the upgrade).

Every script is our own.  Each rewrite is checked as exact output; a second fix run changes
nothing; what the code does not show is reported and left as written.
"""

from __future__ import annotations

import pytest

from helpers import run


def fix(code: str):
    return run(code, fix=True, unsafe=True, select=["AF501"])


def assert_fixed(code: str, expected: str) -> None:
    result = fix(code)
    assert result.fixed == expected, result.fixed
    again = fix(result.fixed)
    assert again.fixed == result.fixed
    assert not [f for f in again.findings if f.fixable], [f.message for f in again.findings]


HEAD = "from keras.models import Sequential\nfrom keras.layers import Dense, Embedding, Merge, Dropout\n"


def test_flat_merge_of_two_models_becomes_functional():
    code = HEAD + (
        "a = Sequential()\n"
        "a.add(Embedding(20, 8, input_length=5))\n"
        "b = Sequential()\n"
        "b.add(Dense(8, input_dim=3))\n"
        "# the merged model\n"
        "model = Sequential()\n"
        "model.add(Merge([a, b], mode='concat', concat_axis=-1))\n"
        "model.add(Dense(4))  # logits\n"
        "model.compile('adam', 'mse')\n")
    assert_fixed(code, (
        "from keras.models import Sequential, Model\nfrom keras.layers import Dense, Embedding, concatenate, Dropout\n"
        "a = Sequential()\n"
        "a.add(Embedding(20, 8, input_shape=(5,)))\n"
        "b = Sequential()\n"
        "b.add(Dense(8, input_dim=3))\n"
        "# the merged model\n"
        "model_x = concatenate([a.outputs[0], b.outputs[0]], axis=-1)\n"
        "model_x = Dense(4)(model_x)  # logits\n"
        "model = Model([a.inputs[0], b.inputs[0]], model_x)\n"
        "model.compile('adam', 'mse')\n"))


NESTED = HEAD + (
    "def words(n):\n"
    "    return [answer for answer in range(n)]\n"
    "story = Sequential()\n"
    "story.add(Embedding(input_dim=20, output_dim=8, input_length=STORY))\n"
    "story.add(Dropout(0.3))\n"
    "question = Sequential()\n"
    "question.add(Embedding(input_dim=20, output_dim=8, input_length=QUERY))\n"
    "match = Sequential()\n"
    "match.add(Merge([story, question], mode='dot', dot_axes=[2, 2]))\n"
    "answer = Sequential()\n"
    "answer.add(Merge([match, story], mode='concat', concat_axis=-1))\n"
    "answer.add(Dense(20, activation='softmax'))\n"
    "answer.compile(optimizer='rmsprop', loss='categorical_crossentropy')\n")


def test_nested_merging_model_and_shared_sub_model():
    """``match`` merges inside ``answer``; ``story`` is merged twice: its input is taken once
    (Keras 1 deduplicated), its shape is fixed once; a comprehension's ``answer`` is another name."""
    assert_fixed(NESTED, (
        "from keras.models import Sequential, Model\n"
        "from keras.layers import Dense, Embedding, dot, Dropout, concatenate\n"
        "def words(n):\n"
        "    return [answer for answer in range(n)]\n"
        "story = Sequential()\n"
        "story.add(Embedding(input_dim=20, output_dim=8, input_shape=(STORY,)))\n"
        "story.add(Dropout(0.3))\n"
        "question = Sequential()\n"
        "question.add(Embedding(input_dim=20, output_dim=8, input_shape=(QUERY,)))\n"
        "match_x = dot([story.outputs[0], question.outputs[0]], axes=[2, 2])\n"
        "match = Model([story.inputs[0], question.inputs[0]], match_x)\n"
        "answer_x = concatenate([match.outputs[0], story.outputs[0]], axis=-1)\n"
        "answer_x = Dense(20, activation='softmax')(answer_x)\n"
        "answer = Model([story.inputs[0], question.inputs[0]], answer_x)\n"
        "answer.compile(optimizer='rmsprop', loss='categorical_crossentropy')\n"))


def test_the_rewritten_sub_models_are_not_flagged_as_models():
    """After the rewrite the leaf Sequentials feed another model (``x.outputs[0]``): their
    trailing Dropout is not "after the output layer" (AF103)."""
    fixed = fix(NESTED).fixed
    assert not [f for f in run(fixed).findings if f.code == "AF103"]


@pytest.mark.parametrize("snippet, why", [
    ("a = Sequential()\na.add(Dense(8))\nb = Sequential()\nb.add(Dense(8, input_dim=3))\n",
     "the first layer of a shows no input shape"),
    ("a = Sequential()\na.add(Dense(8, input_dim=3))\na = Sequential()\nb = Sequential()\nb.add(Dense(8, input_dim=3))\n",
     "a is not a Sequential built once"),
])
def test_a_shape_or_model_the_code_does_not_show_is_reported(snippet, why):
    code = HEAD + snippet + "m = Sequential()\nm.add(Merge([a, b], mode='sum'))\nm.add(Dense(1))\n"
    result = fix(code)
    ours = [f for f in result.findings if "Merge" in f.message]
    assert ours and why in ours[0].message and not ours[0].fixable, [f.message for f in result.findings]
    assert "Merge([a, b]" in result.fixed and "m.add(Dense(1))" in result.fixed


def test_adds_elsewhere_are_reported():
    code = HEAD + ("a = Sequential()\na.add(Dense(8, input_dim=3))\nm = Sequential()\n"
                   "m.add(Merge([a, a], mode='sum'))\nprint(m)\nm.add(Dense(1))\n")
    result = fix(code)
    assert "also called outside" in next(f.message for f in result.findings if "Merge" in f.message)
    assert "m.add(Merge([a, a]" in result.fixed


def test_callable_merge_mode_becomes_lambda():
    code = ("from keras.layers import Input, merge\n"
            "def pick(x):\n    return x[0]\n"
            "a = Input((4,))\n"
            "c = merge([a, a], mode=pick,\n          output_shape=lambda s: s[0])\n"
            "d = merge([a, c], mode='sum')\n")
    assert_fixed(code, ("from keras.layers import Input, Lambda, add\n"
                        "def pick(x):\n    return x[0]\n"
                        "a = Input((4,))\n"
                        "c = Lambda(pick,\n          output_shape=lambda s: s[0])([a, a])\n"
                        "d = add([a, c])\n"))


def test_a_mode_that_is_not_visibly_a_function_is_reported():
    code = "from keras.layers import Input, merge\na = Input((4,))\nc = merge([a, a], mode=MODE)\n"
    result = fix(code)
    assert result.fixed == code
    assert any("has no Keras 3 layer" in f.message and not f.fixable for f in result.findings)


GENERATOR = ("from keras.models import Sequential\n"
             "class Batches:\n"
             "    def __init__(self, words, minibatch_size):\n"
             "        self.minibatch_size = minibatch_size\n"
             "    def train(self):\n"
             "        while 1:\n"
             "            yield self.get(self.minibatch_size)\n"
             "def fit(model, total, held):\n"
             "    gen = Batches(total, minibatch_size={size})\n"
             "    model.fit_generator(gen.train(), samples_per_epoch=(total - held), nb_epoch=2,\n"
             "                        validation_data=gen.train(), nb_val_samples=held)\n")


def test_samples_per_epoch_with_a_batch_size_held_by_the_generator_object():
    assert_fixed(GENERATOR.format(size=32), GENERATOR.format(size=32).replace(
        "Sequential\n", "Sequential\nimport math\n", 1).replace(
        "model.fit_generator(gen.train(), samples_per_epoch=(total - held), nb_epoch=2,",
        "model.fit(gen.train(), steps_per_epoch=math.ceil((total - held) / gen.minibatch_size), epochs=2,").replace(
        "nb_val_samples=held)", "validation_steps=math.ceil(held / gen.minibatch_size))"))


def test_a_batch_size_that_is_not_a_literal_is_still_reported():
    result = fix(GENERATOR.format(size="size"))
    assert "samples_per_epoch=" in result.fixed
    assert any("batch size of this generator is not a literal" in f.message for f in result.findings)


def test_layer_names_repeated_across_branches_are_upgraded_where_written():
    code = ("from keras.models import Sequential\nfrom keras.layers import Dense\n"
            "model = Sequential()\nmodel.add(Dense(4, input_dim=3, name='fc'))\n"
            "if deeper:\n    model.add(Dense(4, init='identity', name='fc2'))\n"
            "else:\n    model.add(Dense(4, init='zero', name='fc2'))\n"
            "model.compile('sgd', 'mse')\n")
    assert_fixed(code, code.replace("init=", "kernel_initializer="))


@pytest.mark.keras
def test_the_rewritten_babi_like_script_builds_and_fits_in_keras3():
    pytest.importorskip("keras")
    code = NESTED.replace("Merge, ", "Merge, Flatten, ").replace(
        "answer.add(Dense(20,", "answer.add(Flatten())\nanswer.add(Dense(20,") + (
        "import numpy as np\n"
        "rng = np.random.default_rng(0)\n"
        "stories, queries = rng.integers(0, 20, (16, STORY)), rng.integers(0, 20, (16, QUERY))\n"
        "answers = np.eye(20)[rng.integers(0, 20, 16)]\n"
        "history = answer.fit([stories, queries], answers, batch_size=8, nb_epoch=1, verbose=0)\n")
    fixed = fix(code).fixed
    assert "Merge" not in fixed and "nb_epoch" not in fixed, fixed
    namespace: dict = {"STORY": 5, "QUERY": 3}
    exec(compile(fixed, "upgraded.py", "exec"), namespace)
    model = namespace["answer"]
    assert [tuple(t.shape) for t in model.inputs] == [(None, 5), (None, 3)]
    assert model.output_shape == (None, 20)
    assert len(namespace["history"].history["loss"]) == 1


def test_a_merging_model_in_a_function_reads_its_own_names():
    """``build(a)``: ``a`` is the parameter, not the module's ``a``: its shape is unknown, so the
    Merge is reported and the module's ``a`` is not edited."""
    code = HEAD + ("a = Sequential()\na.add(Embedding(20, 8, input_length=5))\n"
                   "def build(a):\n"
                   "    m = Sequential()\n"
                   "    m.add(Merge([a, a], mode='sum'))\n"
                   "    return m\n")
    result = fix(code)
    assert "input_length=5" in result.fixed and "Merge([a, a]" in result.fixed, result.fixed
    assert any("a is not a Sequential built once" in f.message for f in result.findings)


def test_a_merging_model_built_in_a_function_is_rewritten():
    code = HEAD + ("def build():\n"
                   "    a = Sequential()\n"
                   "    a.add(Dense(4, input_dim=3))\n"
                   "    m = Sequential()\n"
                   "    m.add(Merge([a, a], mode='sum'))\n"
                   "    return m\n")
    assert_fixed(code, code.replace("Sequential\n", "Sequential, Model\n", 1).replace("Merge, ", "add, ").replace(
        "    m = Sequential()\n    m.add(Merge([a, a], mode='sum'))\n",
        "    m_x = add([a.outputs[0], a.outputs[0]])\n    m = Model([a.inputs[0]], m_x)\n"))
