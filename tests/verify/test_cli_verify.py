"""``autofix-src train.py --verify``: user code runs only with --verify; evidence is printed per fix."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from autofix.cli.src import cli

#: A script with a fixable fault (1-unit softmax) that leaves a marker file when it runs.
SCRIPT = """
import pathlib
import numpy as np
import keras
pathlib.Path("ran.marker").write_text("ran")
rng = np.random.default_rng(0)
x = rng.normal(size=(2000, 8)).astype("float32"); y = (x[:, 0] > 0).astype("int64")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=50, validation_split=0.2, verbose=0)
"""


def _script(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(SCRIPT)
    return path


@pytest.mark.parametrize("args", [[], ["--diff"], ["--fix"], ["--format", "json"]])
def test_user_code_never_runs_without_verify(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [str(_script(tmp_path)), "--isolated", *args])
    assert result.exit_code in (0, 1), result.output
    assert not (tmp_path / "ran.marker").exists()


@pytest.mark.slow
@pytest.mark.keras
def test_verify_runs_both_scripts_and_prints_evidence_per_fix(tmp_path):
    path = _script(tmp_path)
    result = CliRunner().invoke(cli, [str(path), "--isolated", "--select", "AF201", "--verify", "--fix"])
    out = result.output
    assert "verifying 1 fix(es)" in out and "AF201 single-unit-softmax" in out, out
    assert "[confirmed]" in out and "CONFIRMED" in out, out
    assert (tmp_path / "ran.marker").exists(), "the original script ran from its own folder"
    assert "sigmoid" in path.read_text(), "a confirmed rewrite is written with --fix"


@pytest.mark.keras
def test_a_failing_original_shows_its_own_error_and_the_unwritten_finding(tmp_path):
    path = tmp_path / "train.py"
    path.write_text('import warnings\nimport keras\nwarnings.warn("harmless")\n'
                    'model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="softmax")])\n'
                    'model.compile(optimizer="adam", loss="binary_crossentropy")\n'
                    'raise RuntimeError("data file missing: train.csv")\n')
    before = path.read_text()
    result = CliRunner().invoke(cli, [str(path), "--isolated", "--verify", "--fix", "--verify-budget", "60"])
    out = result.output
    assert "the original script failed (exit 1) before its data was measured: RuntimeError: data file missing" in out
    assert "UserWarning" not in out.split("measured:")[1].splitlines()[0], out
    # nothing written, the finding still in the file: listed, counted, and the exit code says "findings"
    assert path.read_text() == before
    assert "AF201" in out and "Found 1 finding" in out and "1 fix, not written" in out, out
    assert result.exit_code == 1
