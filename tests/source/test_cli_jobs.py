"""``autofix-src --jobs``: a directory checked in a process pool gives what one job gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """import keras
from keras import layers
model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, nb_epoch={n})
"""


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autofix.cli.src", *args, "--isolated"],
                          capture_output=True, text=True)


@pytest.fixture
def tree(tmp_path):
    for n in range(6):
        (tmp_path / f"train_{n}.py").write_text(SCRIPT.format(n=n + 1))
    (tmp_path / "broken.py").write_text("import keras\nmodel = (\n")
    return tmp_path


@pytest.mark.parametrize("mode", [[], ["--diff"], ["--format", "json"]])
def test_pool_output_equals_one_job(tree, mode):
    one = _run(str(tree), *mode, "--jobs", "1")
    two = _run(str(tree), *mode, "--jobs", "2")
    assert (one.returncode, one.stdout, one.stderr) == (two.returncode, two.stdout, two.stderr)
    assert one.returncode == 2 and "broken.py:2" in one.stderr  # the syntax error, reported in order


def test_pool_fixes_every_file(tree):
    result = _run(str(tree), "--fix", "--jobs", "2")
    assert result.returncode == 2  # the broken file
    fixed = [Path(tree, f"train_{n}.py").read_text() for n in range(6)]
    assert all("sigmoid" in text and f"epochs={n + 1}" in text for n, text in enumerate(fixed))
