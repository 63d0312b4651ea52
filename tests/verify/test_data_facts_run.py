"""The --verify start-up hook records the first fit() call's data facts; the source path uses them."""

from __future__ import annotations


import pytest

from autofix.rules import select_rules
from autofix.source.check import check_source
from autofix.verify.scripts import run_script

pytestmark = pytest.mark.keras

#: Near-constant inputs around -1.06 (AF402), labels sorted with shuffle=False (AF404); 64 rows, 1 epoch.
SCRIPT = """import numpy as np, keras
rng = np.random.default_rng(0)
x = (-1.06 + 0.0012 * rng.normal(size=(64, 6))).astype("float32")
y = np.sort(rng.integers(0, 2, size=64)).astype("float32")
model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
other = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1)])
other.compile(optimizer="sgd", loss="mse")
other.fit(x[:8], y[:8], epochs=1, verbose=0)  # a second fit() call: facts come from the first only
"""


def test_capped_run_records_data_facts_and_source_rewrites_data_fixes(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(SCRIPT)
    ran = run_script(path, budget=60, steps=4, epochs=1)
    assert ran.returncode == 0, ran.stderr_tail
    assert len(ran.histories) == 2 and len(ran.facts) == 1, ran.facts
    observed = ran.facts[0]
    assert observed["layers"] == ["Dense", "Dense"]
    assert observed["fit"] == {"epochs": 1, "batch_size": 16, "shuffle": False, "validation": False}
    data = ran.data()
    assert data.n_samples == 64 and data.x_shape == (6,) and data.label_kind == "binary" and data.label_sorted
    assert abs(data.x_mean + 1.06) < 0.01
    result = check_source(SCRIPT, str(path), select_rules(None), fix=True, unsafe=True, observed=observed)
    assert {"AF402", "AF404"} <= {f.code for f, _ in result.applied}
    assert "keras.layers.Normalization(axis=None, mean=-1.06" in result.fixed
    assert "shuffle=True" in result.fixed


def test_datasets_are_not_read(tmp_path):
    path = tmp_path / "train.py"
    path.write_text("""import numpy as np, keras, tensorflow as tf
ds = tf.data.Dataset.from_tensor_slices((np.zeros((8, 3), "float32"), np.zeros(8, "float32"))).batch(4)
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(ds, epochs=1, verbose=0)
""")
    ran = run_script(path, budget=60, steps=2, epochs=1)
    assert ran.returncode == 0, ran.stderr_tail
    assert ran.facts[0]["data"] is None and "not an array" in ran.facts[0]["skipped"]
    assert ran.data() is None
