"""Run a benchmark's own per-item child process and read the one JSON line it prints."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def json_child(cmd: list[str], tag: str, name: str, timeout: float) -> dict:
    """Run ``cmd`` (from this folder, autofix importable); return the dict on its last ``TAG {json}`` line,
    with the wall time, or ``{"item": name, "error": ...}``."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=HERE)
    except subprocess.TimeoutExpired:
        return {"item": name, "error": f"timed out after {timeout:.0f} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(tag + " "):
            out = json.loads(line[len(tag) + 1:])
            out["wall"] = round(time.perf_counter() - start, 1)
            return out
    return {"item": name, "error": f"rc={done.returncode}: {(done.stderr or done.stdout)[-800:]}"}
