"""autofix-src --verify's runner: both scripts run with fit() capped and Histories compared."""

from __future__ import annotations

import pytest

from autofix.verify.scripts import verify_scripts

pytestmark = pytest.mark.keras

SCRIPT = """
import numpy as np, keras
rng = np.random.default_rng(0)
x = rng.normal(size=(400, 8)).astype("float32"); y = (x[:, 0] > 0).astype("int64")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="{act}")])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=50, validation_split=0.2, verbose=0)
"""


def test_rewritten_script_is_confirmed_and_fit_is_capped(tmp_path):
    original = tmp_path / "train.py"
    original.write_text(SCRIPT.format(act="softmax"))
    evidence = verify_scripts(original, SCRIPT.format(act="sigmoid"), steps=40, epochs=4, budget=200)
    assert evidence.original.returncode == 0, evidence.original.stderr_tail
    assert all(len(run.histories[0]["loss"]) <= 4 for run in (evidence.original, evidence.rewritten))
    assert evidence.metric == "val_accuracy" and evidence.verdict.accepted
    assert any("CONFIRMED" in line for line in evidence.summary_lines())
