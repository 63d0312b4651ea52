"""Verify a rewritten training script: run it and the original with ``fit()`` capped.

Each script runs in its own subprocess with a start-up hook (a
``sitecustomize.py`` on ``PYTHONPATH``) that seeds Keras, caps every
``Model.fit`` call to ``epochs`` epochs and ``steps`` batches, and appends
each call's History to a JSON file.  Only called for ``autofix-src --verify``:
user code never runs otherwise.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

from .verdict import Verdict, judge

HOOK = '''
import inspect, json, os
import keras

keras.utils.set_random_seed(int(os.environ.get("AUTOFIX_SEED", "0")))
_fit = keras.Model.fit
_SIG = inspect.signature(_fit)
_STEPS, _EPOCHS = int(os.environ["AUTOFIX_MAX_STEPS"]), int(os.environ["AUTOFIX_MAX_EPOCHS"])


class _Cap(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.steps = 0

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if self.steps >= _STEPS:
            self.model.stop_training = True


def fit(self, *args, **kwargs):
    bound = _SIG.bind(self, *args, **kwargs)
    bound.arguments["epochs"] = min(int(bound.arguments.get("epochs") or 1), _EPOCHS)
    bound.arguments["callbacks"] = [*(bound.arguments.get("callbacks") or []), _Cap()]
    history = _fit(*bound.args, **bound.kwargs)
    with open(os.environ["AUTOFIX_HISTORY"], "a") as out:
        out.write(json.dumps({k: [float(v) for v in vals] for k, vals in history.history.items()}) + "\\n")
    return history


keras.Model.fit = fit
'''


@dataclass
class ScriptRun:
    """One capped run of a script: its Histories (one per fit call), exit code and time."""

    label: str
    returncode: int
    seconds: float
    histories: list[dict[str, list[float]]] = field(default_factory=list)
    stderr_tail: str = ""

    def final(self, key: str) -> float | None:
        values = self.histories[-1].get(key) if self.histories else None
        return values[-1] if values else None


@dataclass
class ScriptEvidence:
    """Both runs, the metric compared, and the verdict."""

    original: ScriptRun
    rewritten: ScriptRun
    metric: str | None
    verdict: Verdict | None

    def summary_lines(self) -> list[str]:
        lines = [f"  {run.label}: exit {run.returncode}, {len(run.histories)} fit() call(s), {run.seconds:.1f} s"
                 + (f", {self.metric}={run.final(self.metric):.4g}" if self.metric and run.final(self.metric)
                    is not None else "") for run in (self.original, self.rewritten)]
        if self.verdict is None:
            lines.append("  not confirmed: no comparable validation metric in both runs")
        else:
            mark = "CONFIRMED" if self.verdict.accepted else "not confirmed"
            lines.append(f"  {mark}: {self.verdict.reason} (gain {self.verdict.gain:+.4g}, margin "
                         f"{self.verdict.margin:.4g})")
        return lines


def _run(label: str, script: pathlib.Path, cwd: pathlib.Path, hook_dir: pathlib.Path, *, steps: int,
         epochs: int, seed: int, timeout: float) -> ScriptRun:
    history = hook_dir / f"{label}.jsonl"
    env = {**os.environ, "AUTOFIX_MAX_STEPS": str(steps), "AUTOFIX_MAX_EPOCHS": str(epochs),
           "AUTOFIX_SEED": str(seed), "AUTOFIX_HISTORY": str(history),
           "PYTHONPATH": os.pathsep.join([str(hook_dir), str(cwd), os.environ.get("PYTHONPATH", "")]),
           "MPLBACKEND": "Agg"}
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout)
        code, tail = proc.returncode, proc.stderr[-2000:]
    except subprocess.TimeoutExpired:
        code, tail = 124, f"timed out after {timeout:g} s"
    runs = [json.loads(line) for line in history.read_text().splitlines()] if history.exists() else []
    return ScriptRun(label, code, time.perf_counter() - start, runs, tail)


def _compare(original: ScriptRun, rewritten: ScriptRun, min_gain: float,
             goal: str = "improve") -> tuple[str | None, Verdict | None]:
    for metric, sign in (("val_accuracy", 1.0), ("val_loss", -1.0)):
        before, after = original.final(metric), rewritten.final(metric)
        if before is not None and after is not None:
            verdict = Verdict("rewritten script", [sign * before], [sign * after], goal=goal)
            return metric, judge(verdict, 10**6, accuracy=metric == "val_accuracy", min_gain=min_gain)
    return None, None


def verify_scripts(original_path: str | os.PathLike, rewritten_source: str, *, budget: float = 120.0,
                   steps: int = 200, epochs: int = 5, seed: int = 0, min_gain: float = 0.02,
                   goal: str = "improve") -> ScriptEvidence:
    """Run the original script and ``rewritten_source`` with ``fit()`` capped; compare their Histories.

    Both run from the original script's folder (so its relative imports and
    data paths work), each with half the ``budget`` as a timeout. The last
    fit() call's final ``val_accuracy`` (else ``val_loss``) is compared with
    the same noise margin as :func:`autofix.verify.verified_fix`; with
    ``goal="no_worse"`` (reporting fixes only) by non-inferiority.
    """
    original = pathlib.Path(original_path).resolve()
    with tempfile.TemporaryDirectory(prefix="autofix-verify-") as tmp:
        hook_dir = pathlib.Path(tmp)
        (hook_dir / "sitecustomize.py").write_text(HOOK)
        rewritten = hook_dir / original.name
        rewritten.write_text(rewritten_source)
        common = {"steps": steps, "epochs": epochs, "seed": seed, "timeout": budget / 2}
        before = _run("original", original, original.parent, hook_dir, **common)
        after = _run("rewritten", rewritten, original.parent, hook_dir, **common)
    metric, verdict = _compare(before, after, min_gain, goal)
    return ScriptEvidence(before, after, metric, verdict)
