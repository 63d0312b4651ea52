"""``autofix-src --verify`` shows each capped script run as an arm on stderr (runs faked: no Keras needed)."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from test_scripts_search import SCRIPT as NOT_LEARNING, _run

from autofix.cli.src import cli
from autofix.verify import script_search, scripts
from autofix.verify.progress import Progress
from autofix.verify.script_search import search_script
from autofix.verify.scripts import ScriptEvidence

#: AF201 fires (a 1-unit softmax): --verify runs the original and the rewritten script.
SOFTMAX = """import numpy as np
import keras
x = np.zeros((64, 8), "float32"); y = np.zeros(64, "int64")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=5, verbose=0)
"""


@pytest.fixture
def faked_runs(monkeypatch):
    """Replace the capped script runs: the original scores 0.5, the rewritten script 0.9."""
    def verify(path, fixed, *, original_run, **kwargs):
        return ScriptEvidence(original_run, _run(0.9, label="rewritten"), None, None)

    monkeypatch.setattr(scripts, "run_script", lambda path, **kwargs: _run(0.5, facts=()))
    monkeypatch.setattr(scripts, "verify_scripts", verify)


@pytest.mark.parametrize("flags", [["-q"], ["--verbose", "0"], ["-v", "2"], []])
def test_verify_progress_goes_to_stderr_at_each_level(tmp_path, faked_runs, flags):
    path = tmp_path / "train.py"
    path.write_text(SOFTMAX)
    result = CliRunner().invoke(cli, [str(path), "--isolated", "--select", "AF201", "--verify", "--format", "json",
                                      *flags])
    assert result.exit_code == 1, result.output
    assert isinstance(json.loads(result.stdout), list), "stdout carries the JSON report alone"
    arms = [line for line in result.stderr.splitlines() if "script: " in line]
    if flags in (["-q"], ["--verbose", "0"]):
        assert arms == []
    elif flags == ["-v", "2"]:
        assert arms == ["script: original: accuracy=0.500 in 5.0 s", "script: rewritten: accuracy=0.900 in 5.0 s"]
    else:
        assert [line.split(" [")[1] for line in arms] == ["1] script: original: accuracy=0.500 in 5.0 s",
                                                          "2] script: rewritten: accuracy=0.900 in 5.0 s"], arms


def test_every_searched_strategy_is_an_arm(monkeypatch):
    values = iter([0.51, 0.93])
    monkeypatch.setattr(script_search, "run_script",
                        lambda path, *, source, label, budget: _run(next(values), label=label))
    stream = io.StringIO()
    report = search_script("t.py", NOT_LEARNING, _run(0.5), budget=600, progress=Progress(2, stream))
    lines = stream.getvalue().splitlines()
    assert len(lines) == len(report.trials) == 2
    for line, trial, value in zip(lines, report.trials, ("0.510", "0.930")):
        assert line == f"search: {trial.strategy.code} {trial.strategy.name}: accuracy={value} in 5.0 s"
