"""Data the static interpreter follows through comprehensions, in-place loops and numpy set routines.

Each family has positive scripts in several shapes (flat, function-built, class-based) and VALID
traps: the program that looks alike but is right, or whose value the script does not show.
"""

from __future__ import annotations

import pytest

from autofix.values import UNKNOWN
from helpers import run
from test_data_flow import HEAD, MODEL, data_of

SIGMOID = ('model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"),\n'
           '                          layers.Dense(3, activation="sigmoid")])\n'
           'model.compile(optimizer="adam", loss="binary_crossentropy")\n')


def codes(code: str) -> list[str]:
    return sorted({f.code for f in run(HEAD + code).findings})


# -- comprehensions --------------------------------------------------------------
LABELS_255 = {
    "flat": "rng = np.random.default_rng(0)\nx = rng.normal(size=(200, 6))\n"
            "y = np.stack([x[:, k] > 0 for k in range(3)], axis=1) * 255.0\n" + SIGMOID + "model.fit(x, y)\n",
    "function": "def make():\n    rng = np.random.default_rng(1)\n    x = rng.normal(size=(300, 6))\n"
                "    cols = [x[:, k] * x[:, k + 1] for k in range(3)]\n"
                "    y = (np.stack(cols, axis=1) > 0).astype('float32')\n    return x, y * 255\n\n"
                "x, y = make()\n" + SIGMOID + "model.fit(x, y)\n",
    "class": "class Data:\n    def __init__(self):\n        rng = np.random.default_rng(2)\n"
             "        self.x = rng.normal(size=(40, 6))\n"
             "        self.y = np.array([[255.0 if v > 0 else 0.0 for v in row[:3]] for row in self.x])\n\n"
             "d = Data()\n" + SIGMOID + "model.fit(d.x, d.y)\n",
}


@pytest.mark.parametrize("shape", sorted(LABELS_255))
def test_labels_built_by_a_comprehension_reach_the_loss_rule(shape):
    assert "AF407" in codes(LABELS_255[shape])


def test_a_comprehension_that_gives_labels_in_0_1_is_valid():
    code = LABELS_255["flat"].replace("* 255.0", "* 1.0")
    assert "AF407" not in codes(code)
    data = data_of(code)
    assert (data.y_min, data.y_max, data.y_shape) == (0.0, 1.0, (200, 3))


def test_short_comprehensions_are_enumerated_with_their_replays():
    data = data_of("x = np.stack([np.ones(4) * k for k in range(10)])\n" + MODEL + "model.fit(x, x[:, 0])\n")
    assert (data.n_samples, data.x_shape, data.x_min, data.x_max, data.x_mean) == (10, (4,), 0.0, 9.0, 4.5)
    nested = data_of("x = np.array([[i, j] for i in range(3) for j in range(4) if j != i])\n"
                     + MODEL + "model.fit(x, x[:, 0])\n")
    assert (nested.n_samples, nested.x_shape, nested.x_max) == (9, (2,), 3.0)


def test_a_long_comprehension_gives_an_interval_and_an_elementwise_replay():
    data = data_of("rng = np.random.default_rng(0)\nx = rng.normal(size=(500, 4))\n"
                   "y = np.array([255 if v > 0 else 0 for v in x[:, 0]])\n" + MODEL + "model.fit(x, y)\n")
    assert (data.y_shape, data.y_min, data.y_max) == ((500,), 0.0, 255.0)  # each item from its own number
    assert data.class_counts is UNKNOWN  # counts of a random replay are not the data's
    assert "AF407" in codes(LABELS_255["flat"].replace(
        "y = np.stack([x[:, k] > 0 for k in range(3)], axis=1) * 255.0",
        "y = np.stack([np.array([255.0 if v > 0 else 0.0 for v in x[:, k]]) for k in range(3)], axis=1)"))
    long_range = data_of("x = np.array([k % 7 for k in range(1000)])\n" + MODEL + "model.fit(x, x)\n")
    assert (long_range.n_samples, long_range.x_min, long_range.x_max) == (1000, 0.0, 6.0)


@pytest.mark.parametrize("item", ["int(v > 0)", "v * w", "v + np.random.rand()"])
def test_a_long_comprehension_of_anything_else_has_no_replay(item):
    """A builtin call, another array, a draw per item: binding ``v`` to the whole column is not each item."""
    data = data_of("rng = np.random.default_rng(0)\nx = rng.normal(size=(500, 4))\nw = np.ones(500)\n"
                   f"y = np.array([{item} for v in x[:, 0]])\n" + MODEL + "model.fit(x, y)\n")
    assert data.y_min is UNKNOWN and data.y_mean is UNKNOWN


@pytest.mark.parametrize("body", [
    # a list filled by a loop, a method, or a function is not the empty literal it started as
    "rows = []\nfor i in range(50):\n    rows.append(i * 10.0)\n",
    "rows = []\nrows.extend(load_rows())\n",
    "def fill(r):\n    r.append(3.0)\n\nrows = []\nfill(rows)\n",
    "rows = [[0.0]]\n[rows.append([float(k)]) for k in load_ks()]\n",
])
def test_a_list_changed_after_it_was_built_is_opaque(body):
    data = data_of(body + "x = np.array(rows)\n" + MODEL + "model.fit(x, np.zeros(50))\n")
    assert data.n_samples is UNKNOWN and data.x_min is UNKNOWN


def test_generators_are_read_by_fromiter_and_list_only():
    fromiter = data_of("x = np.fromiter((k * 2 for k in range(30)), dtype='float32')\n" + MODEL
                       + "model.fit(x, np.zeros(30))\n")
    assert (fromiter.n_samples, fromiter.x_max) == (30, 58.0)
    listed = data_of("x = np.array(list(k * 2 for k in range(30)))\n" + MODEL + "model.fit(x, np.zeros(30))\n")
    assert listed.x_max == 58.0
    opaque = data_of("x = np.array(k * 2 for k in range(30))\n" + MODEL + "model.fit(x, np.zeros(30))\n")
    assert opaque.n_samples is UNKNOWN  # numpy makes a 0-d object array of a generator


def test_comparisons_matmul_and_masks_replay_what_numpy_computes():
    data = data_of("y = (np.arange(20) > 4).astype(int)\n" + MODEL + "model.fit(np.ones((20, 4)), y)\n")
    assert data.class_counts == {0: 5, 1: 15}
    product = data_of("x = np.ones((20, 3)) @ np.full((3, 2), 2.0)\n" + MODEL + "model.fit(x, np.zeros(20))\n")
    assert (product.x_shape, product.x_min, product.x_max) == ((2,), 6.0, 6.0)  # not a 0/1 comparison
    both = data_of("a = np.arange(20)\ny = ((a > 4) & (a < 10)).astype(int)\n" + MODEL
                   + "model.fit(np.ones((20, 4)), y)\n")
    assert both.class_counts == {0: 15, 1: 5}
    shifted = data_of("y = np.arange(20) << 2\n" + MODEL + "model.fit(np.ones((20, 4)), y)\n")
    assert shifted.y_max is UNKNOWN  # a shift is not a mask


# -- loops that write an array in place --------------------------------------------------
FULL_BATCH = ('model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),\n'
              '                          layers.Dense(1, activation="sigmoid")])\n'
              'model.compile(optimizer="adam", loss="binary_crossentropy")\n')
IN_PLACE = {
    "flat": "rng = np.random.default_rng(0)\nx = rng.normal(size=(1500, 8))\ny = (x[:, 0] > 0).astype(int)\n"
            "for i in np.flatnonzero(y):\n    x[i, 1] += 2.0 * rng.normal()\n"
            + FULL_BATCH + "model.fit(x, y, batch_size=4096, epochs=5)\n",
    "function": "def make():\n    rng = np.random.default_rng(1)\n    x = np.zeros((1200, 8))\n"
                "    for j in range(8):\n        x[:, j] = rng.normal(size=1200) * (j + 1)\n"
                "        x[:, j] /= x[:, j].std()\n    return x, (x[:, 0] > 0).astype(int)\n\n"
                "x, y = make()\n" + FULL_BATCH + "model.fit(x, y, batch_size=2048, epochs=3)\n",
    "class": "class Data:\n    def __init__(self):\n        rng = np.random.default_rng(2)\n"
             "        x = rng.normal(size=(1000, 8))\n        for _ in range(3):\n"
             "            x *= 0.5\n            x[x > 2] = 2\n        self.x, self.y = x, (x[:, 0] > 0).astype(int)\n\n"
             "d = Data()\n" + FULL_BATCH + "model.fit(d.x, d.y, batch_size=1000, epochs=4)\n",
}


@pytest.mark.parametrize("shape", sorted(IN_PLACE))
def test_a_loop_that_writes_in_place_keeps_the_row_count(shape):
    assert "AF303" in codes(IN_PLACE[shape])


@pytest.mark.parametrize("loop", [
    "for _ in range(5):\n    x = np.vstack([x, rng.normal(size=(300, 8))])\n",  # appends rows
    "for _ in range(5):\n    x = x[:-100]\n",  # drops rows
    "for _ in range(5):\n    x.resize((3000, 8), refcheck=False)\n",  # in place, but a new shape
    "for i in range(5):\n    x[i] = 1.0\n    x = np.concatenate([x, x])\n",  # also rebinds it
])
def test_a_loop_that_changes_the_rows_leaves_them_unknown(loop):
    code = ("rng = np.random.default_rng(0)\nx = rng.normal(size=(1500, 8))\n" + loop
            + FULL_BATCH + "model.fit(x, np.zeros(1500), batch_size=4096, epochs=5)\n")
    assert data_of(code).n_samples is UNKNOWN
    assert "AF303" not in codes(code)


def test_values_written_in_place_are_any_of_the_dtype():
    data = data_of("x = np.zeros((40, 4), dtype='uint8')\nfor i in range(40):\n    x[i] = load(i)\n"
                   + MODEL + "model.fit(x, np.zeros(40))\n")
    assert data.n_samples == 40 and data.x_min is UNKNOWN and data.x_mean is UNKNOWN


# -- numpy set routines (index arrays) -------------------------------------------------
SORTED_SPLIT = ('model = keras.Sequential([keras.Input((6,)), layers.Dense(4, activation="softmax")])\n'
                'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")\n')
SET_INDEXED = {
    "flat": "rng = np.random.default_rng(0)\nlabels = np.sort(rng.integers(0, 4, size=600))\n"
            "x = rng.normal(size=(600, 6)) + labels[:, None]\ntest = rng.permutation(600)[:150]\n"
            "train = np.setdiff1d(np.arange(600), test)\n"
            + SORTED_SPLIT + "model.fit(x[train], labels[train], validation_split=0.2)\n",
    "function": "def make():\n    rng = np.random.default_rng(1)\n"
                "    y = np.repeat([0, 1, 2, 3], 100)\n    x = rng.normal(size=(400, 6))\n"
                "    keep = np.intersect1d(np.arange(400), rng.choice(400, size=300))\n"
                "    return x[keep], y[keep]\n\nx, y = make()\n"
                + SORTED_SPLIT + "model.fit(x, y, epochs=2, validation_split=0.25)\n",
    "class": "class Data:\n    def __init__(self):\n        rng = np.random.default_rng(2)\n"
             "        self.y = np.sort(rng.choice(4, size=500))\n        self.x = rng.normal(size=(500, 6))\n"
             "        rows = np.unique(rng.integers(0, 500, size=450))\n"
             "        self.x, self.y = self.x[rows], self.y[rows]\n\n"
             "d = Data()\n" + SORTED_SPLIT + "model.fit(d.x, d.y, validation_split=0.2)\n",
}


@pytest.mark.parametrize("shape", sorted(SET_INDEXED))
def test_rows_picked_by_a_set_routine_keep_their_class_order(shape):
    assert "AF404" in codes(SET_INDEXED[shape])


def test_rows_shuffled_after_the_set_routine_are_valid():
    code = SET_INDEXED["flat"].replace("test)\n", "test)\ntrain = rng.permutation(train)\n")
    assert "AF404" not in codes(code)
    assert "AF404" not in codes(SET_INDEXED["flat"].replace("validation_split=0.2", "validation_data=(x, labels)"))


def test_a_set_routine_of_random_draws_has_no_known_length():
    data = data_of("rng = np.random.default_rng(0)\nkeep = np.unique(rng.integers(0, 100, size=80))\n"
                   "x = np.arange(100.0)[keep]\n" + MODEL + "model.fit(x, x)\n")
    assert 0 <= data.x_min and data.x_max <= 99
    exact = data_of("keep = np.setdiff1d(np.arange(100), np.arange(0, 100, 4))\nx = np.arange(100.0)[keep]\n"
                    + MODEL + "model.fit(x, x)\n")
    assert (exact.n_samples, exact.x_min) == (75, 1.0)


# -- what stays sound around them ---------------------------------------------------
def test_a_generator_is_read_once():
    data = data_of("g = (k * 1.0 for k in range(30))\nfirst = list(g)\nx = np.array(list(g))\n" + MODEL
                   + "model.fit(x, np.zeros(30))\n")
    assert data.n_samples is UNKNOWN  # the second read is empty: numpy would build an empty array


def test_a_conditional_expression_the_script_cannot_decide_is_the_hull_of_both():
    data = data_of("import sys\nscale = 255.0 if len(sys.argv) > 1 else 1.0\n"
                   "x = np.ones((20, 4)) * scale\n" + MODEL + "model.fit(x, np.zeros(20))\n")
    assert data.n_samples == 20 and data.x_min is UNKNOWN  # 1 or 255: no value is claimed
    labels = data_of("rng = np.random.default_rng(0)\nv = rng.normal(size=30)\n"
                     "y = np.array([2 if a > 1 else 0 for a in v])\n" + MODEL + "model.fit(np.ones((30, 4)), y)\n")
    assert labels.y_shape == (30,) and labels.y_max in (0.0, 2.0)  # the replay picks per item


def test_a_written_one_hot_array_is_no_longer_one_hot():
    data = data_of("y = np.eye(3)[np.arange(30) % 3]\ny[:, 0] = 0.5\n" + MODEL + "model.fit(np.ones((30, 4)), y)\n")
    assert data.label_kind != "onehot"
    sorted_in_place = data_of("y = np.arange(30) % 3\ny.sort()\n" + MODEL + "model.fit(np.ones((30, 4)), y)\n")
    assert sorted_in_place.label_sorted is not False  # the old (mixed) order is not claimed
