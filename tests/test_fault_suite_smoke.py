"""Smoke test of the fault suite (benchmarks/faults): the protocol of every base, and the harness on 3 items.

Slow (trains models): every base runs once with ``epochs=1`` in one process, then the harness runs
detection (``--no-repair``) on one base, one mutant and one real fault. About 30-60 s on 2 cores.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT / "benchmarks" / "faults"
BASES = sorted((SUITE / "bases").glob("b*.py"))
PROTOCOL = {"make_data", "build_model", "train", "score", "main"}

pytestmark = pytest.mark.slow

CHECK = r'''
import contextlib, importlib.util, io, os, re, sys
os.environ["SEED"] = "0"
import keras
for path in sys.argv[1:]:
    keras.backend.clear_session()
    spec = importlib.util.spec_from_file_location("base_" + os.path.basename(path)[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.FIT["epochs"] = 1  # protocol check only: one epoch
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        mod.main()
    lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    print("LAST", os.path.basename(path), lines[-1] if lines else "<nothing>", flush=True)
'''


def _env():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    env.pop("FIXED", None)
    return env


def test_at_least_20_bases_with_the_protocol_functions():
    assert len(BASES) >= 20
    for path in BASES:
        tree = ast.parse(path.read_text())
        names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        assigned = {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        assert PROTOCOL <= names, (path.name, PROTOCOL - names)
        assert {"FIT", "TASK"} <= assigned, path.name


def test_every_base_prints_score_as_its_last_line():
    proc = subprocess.run([sys.executable, "-c", CHECK, *map(str, BASES)], capture_output=True, text=True,
                          timeout=600, env=_env(), cwd=ROOT)
    last = dict(line.split(" ", 2)[1:] for line in proc.stdout.splitlines() if line.startswith("LAST "))
    assert set(last) == {p.name for p in BASES}, proc.stderr[-2000:]
    for name, line in last.items():
        assert line.startswith("SCORE="), (name, line)
        value = float(line.split("=", 1)[1])
        assert -1.0 <= value <= 1.0, (name, value)


def test_harness_produces_table_rows_with_sane_values(tmp_path):
    manifest = json.loads((SUITE / "manifest.json").read_text())
    mutant = next(r["name"] for r in manifest["mutants"] if (SUITE / r["path"]).exists())
    real = sorted(p.stem for p in (SUITE / "real").glob("r*.py") if not p.name.endswith(".fixed.py"))[0]
    items = ["b01_binary_mlp", mutant, real]
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, str(SUITE / "run.py"), "--only", ",".join(items), "--no-repair",
                           "--no-readme", "--out", str(out)], capture_output=True, text=True, timeout=600,
                          env=_env(), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = proc.stdout
    assert "| **all faults** | 2 |" in table
    assert "false alarm (any finding)" in table
    results = json.loads(out.read_text())["items"]
    assert {r["name"] for r in results} == set(items)
    for r in results:
        assert isinstance(r["static_detected"], bool) and isinstance(r["api_detected"], bool)
        assert r["static"]["seconds"] >= 0
        for key in ("fault_score", "oracle_score"):
            assert r[key] is not None and -1.0 <= r[key] <= 1.0, (r["name"], key, r[key])
        if r["kind"] != "base":
            assert r["oracle_score"] - r["fault_score"] >= 0.10, r["name"]  # the faults are real faults
        assert not r["api"].get("error"), r["api"].get("traceback")
