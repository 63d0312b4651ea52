"""`autofix-src --fix --unsafe-fixes` on each seed example script, then run both scripts.

Every ``examples/seed_00N_*/train.py`` prints ``symptom present ...: True|False``
at the end. The original must show the user's symptom; where the source fixes
alone cure it (:data:`CURED`), the rewritten script must no longer show it.
Where they do not (each example's README measures every fix on its own: the
cure needs input normalisation, AF402, which only the data shows, or a
display-only suggestion), the test checks that the rewritten script still runs
and prints its symptom line, and says why in :data:`NOT_CURED`. With
``--verify`` (:data:`CURED_WITH_VERIFY`) the capped run of the original
measures the data, AF402 is rewritten into the script too, and the rewrite
must cure the symptom. The
flag alone is not "learns": in seed 000, renorm lowers fit()'s accuracy, so
the fit/evaluate gap closes while evaluate() stays at 0.50.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from autofix.cli.src import cli

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEEDS = sorted(EXAMPLES.glob("seed_00*/train.py")) if EXAMPLES.is_dir() else []
#: Seconds one example script may run (they take 15-40 s on 2 free cores).
TIMEOUT = 300
SYMPTOM = re.compile(r"^symptom present[^:]*:\s*(True|False)\s*$", re.MULTILINE)

#: Seeds whose symptom the source rewrite alone removes (README "Before and after").
CURED = {"seed_004"}
#: Seeds the rewrite does not cure, and why (the test checks the rewritten script still runs).
NOT_CURED = {
    "seed_001": "relu on the conv stack; normalising the inputs (AF402, data-driven) is what cures it: "
                "see the --verify test below",
    "seed_002": "sigmoid alone predicts class 0 for every test input; it needs AF402 too (--verify test below)",
    "seed_003": "the learning-rate fix (AF302) is display-only: autofix-src reports it and rewrites nothing",
}
#: Seed 000's rewrite alone (renorm + categorical_crossentropy) does not cure it either; its cure,
#: shuffle + normalised inputs (AF404 + AF402), needs the data facts of --verify (tested below).


def _run(script: Path) -> bool:
    """Run an example script; return whether it printed that the symptom is present."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONHASHSEED": "0"}
    done = subprocess.run([sys.executable, str(script)], cwd=script.parent, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    found = SYMPTOM.findall(done.stdout)
    assert found, f"{script} printed no 'symptom present: ...' line:\n{done.stdout[-2000:]}"
    return found[-1] == "True"


def _copy(tmp_path: Path, script: Path) -> Path:
    """A temporary copy of the example folder (and the shared helpers it imports)."""
    root = tmp_path / "examples"
    shutil.copytree(script.parent, root / script.parent.name)
    shutil.copy(EXAMPLES / "_common.py", root / "_common.py")
    return root / script.parent.name / script.name


PLAIN_SEEDS = [p for p in SEEDS if p.parent.name[:8] in CURED | set(NOT_CURED)]


@pytest.mark.skipif(not PLAIN_SEEDS, reason="examples/seed_*/train.py not written yet")
@pytest.mark.parametrize("script", PLAIN_SEEDS, ids=[p.parent.name for p in PLAIN_SEEDS])
def test_rewritten_seed_script_loses_the_symptom(tmp_path, script):
    key = script.parent.name[:8]
    copy = _copy(tmp_path, script)
    original = copy.read_text()
    assert _run(copy), "the original example must show the user's symptom"
    result = CliRunner().invoke(cli, [str(copy), "--fix", "--unsafe-fixes", "--isolated"])
    assert result.exit_code in (0, 1), result.output
    if copy.read_text() == original:
        assert key in NOT_CURED, f"autofix-src rewrote nothing:\n{result.output}"
        return
    still = _run(copy)
    if key in CURED:
        assert not still, f"the rewritten script still shows the symptom:\n{copy.read_text()}"


#: Seeds whose symptom ``--verify`` cures: the capped run's data facts add AF402 (Normalization).
CURED_WITH_VERIFY = {
    "seed_000": "AF404 shuffle + AF402 Normalization (+ AF202, AF301)",
    "seed_001": "AF101 relu + AF402 Normalization",
    "seed_002": "AF201 sigmoid + AF402 Normalization",
}
VERIFY_SEEDS = [p for p in SEEDS if p.parent.name[:8] in CURED_WITH_VERIFY]


@pytest.mark.keras
@pytest.mark.skipif(not VERIFY_SEEDS, reason="examples/seed_000..002 not written yet")
@pytest.mark.parametrize("script", VERIFY_SEEDS, ids=[p.parent.name for p in VERIFY_SEEDS])
def test_verify_measures_data_and_the_rewrite_cures_the_symptom(tmp_path, script):
    copy = _copy(tmp_path, script)
    assert _run(copy), "the original example must show the user's symptom"
    result = CliRunner().invoke(cli, [str(copy), "--fix", "--unsafe-fixes", "--verify", "--isolated"])
    out = result.output
    assert result.exit_code in (0, 1), out
    assert "data facts from the capped run's first fit() call" in out and "checked on model" in out, out
    assert "AF402 unnormalized-inputs" in out and "CONFIRMED" in out, out
    fixed = copy.read_text()
    assert "Normalization(axis=None, mean=" in fixed, fixed
    assert not list(copy.parent.glob(".*autofix-verify*")), "the temporary rewritten copy is removed"
    assert not _run(copy), f"the rewritten script still shows the symptom:\n{fixed}"
