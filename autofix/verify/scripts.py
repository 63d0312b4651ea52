"""Verify a rewritten training script: run it and the original with ``fit()`` capped.

Each script runs in its own subprocess with a start-up hook (a
``sitecustomize.py`` on ``PYTHONPATH`` that calls
:func:`autofix.training._fit_hook.install`): it seeds Keras, caps every
``Model.fit`` call to ``epochs`` epochs and ``steps`` batches, and appends
each call's History to a JSON file; at the first ``fit()`` call it also records
the data facts of ``x``/``y`` (:func:`autofix.data.data_facts`, numpy
arrays and tensors only) and the model's layer classes, so the source path can
run the data rules.  Only called for ``autofix-src --verify``: user code never
runs otherwise.
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

from ..training._fit_hook import SITECUSTOMIZE
from .verdict import Verdict, judge


@dataclass
class ScriptRun:
    """One capped run of a script: its Histories (one per fit call), exit code and time."""

    label: str
    returncode: int
    seconds: float
    histories: list[dict[str, list[float]]] = field(default_factory=list)
    stderr_tail: str = ""
    #: What the start-up hook recorded at the first fit() call: ``model`` (class), ``layers``
    #: (class names), ``fit`` (epochs/batch_size/shuffle received), ``data`` (a
    #: :func:`~autofix.data.data_to_json` dict, or None for datasets/generators).
    facts: list[dict] = field(default_factory=list)

    def data(self):
        """The first fit() call's :class:`~autofix.spec.DataSpec`, or None."""
        from ..data import data_from_json

        raw = self.facts[0].get("data") if self.facts else None
        return data_from_json(raw) if raw else None

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
            lines.append("  not confirmed: no comparable metric (val_accuracy, val_loss or accuracy) in both runs")
        else:
            mark = "CONFIRMED" if self.verdict.accepted else "not confirmed"
            lines.append(f"  {mark}: {self.verdict.reason} (gain {self.verdict.gain:+.4g}, margin "
                         f"{self.verdict.margin:.4g})")
        return lines


def _run(label: str, script: pathlib.Path, cwd: pathlib.Path, hook_dir: pathlib.Path, *, steps: int,
         epochs: int, seed: int, timeout: float) -> ScriptRun:
    history, facts = hook_dir / f"{label}.jsonl", hook_dir / f"{label}.facts.jsonl"
    package_root = pathlib.Path(__file__).resolve().parents[2]  # so the hook can import autofix
    env = {**os.environ, "AUTOFIX_MAX_STEPS": str(steps), "AUTOFIX_MAX_EPOCHS": str(epochs),
           "AUTOFIX_SEED": str(seed), "AUTOFIX_HISTORY": str(history), "AUTOFIX_FACTS": str(facts),
           "PYTHONPATH": os.pathsep.join([str(hook_dir), str(cwd), os.environ.get("PYTHONPATH", ""),
                                          str(package_root)]),
           "MPLBACKEND": "Agg"}
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout)
        code, tail = proc.returncode, proc.stderr[-2000:]
    except subprocess.TimeoutExpired:
        code, tail = 124, f"timed out after {timeout:g} s"
    runs = [json.loads(line) for line in history.read_text().splitlines()] if history.exists() else []
    seen = [json.loads(line) for line in facts.read_text().splitlines()] if facts.exists() else []
    return ScriptRun(label, code, time.perf_counter() - start, runs, tail, seen)


def _compare(original: ScriptRun, rewritten: ScriptRun, min_gain: float,
             goal: str = "improve") -> tuple[str | None, Verdict | None]:
    # held-out metrics first; a script that trains without validation data is judged on its
    # training accuracy (still the same rows, seed and step cap for both runs)
    for metric, sign in (("val_accuracy", 1.0), ("val_loss", -1.0), ("accuracy", 1.0)):
        before, after = original.final(metric), rewritten.final(metric)
        if before is not None and after is not None:
            verdict = Verdict("rewritten script", [sign * before], [sign * after], goal=goal)
            return metric, judge(verdict, 10**6, accuracy=metric.endswith("accuracy"), min_gain=min_gain)
    return None, None


def run_script(path: str | os.PathLike, *, source: str | None = None, label: str = "original",
               budget: float = 60.0, steps: int = 200, epochs: int = 5, seed: int = 0) -> ScriptRun:
    """Run one script (``source`` in place of the file's text, if given) with ``fit()`` capped.

    It runs from the script's folder (so its relative imports and data paths
    work) with ``budget`` seconds as its timeout. Besides the Histories, the
    hook records the first fit() call's data facts (:attr:`ScriptRun.facts`).
    """
    script = pathlib.Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="autofix-verify-") as tmp:
        hook_dir = pathlib.Path(tmp)
        (hook_dir / "sitecustomize.py").write_text(SITECUSTOMIZE)
        target = script
        if source is not None:
            target = _beside(script, source) or hook_dir / script.name
            if target.parent == hook_dir:
                target.write_text(source)
        try:
            return _run(label, target, script.parent, hook_dir, steps=steps, epochs=epochs, seed=seed,
                        timeout=budget)
        finally:
            if target != script and target.parent == script.parent:
                target.unlink(missing_ok=True)


def _beside(script: pathlib.Path, source: str) -> pathlib.Path | None:
    """A temporary copy of ``source`` in the script's own folder (so ``__file__``-relative imports
    and data paths work as in the original); None when that folder is not writable."""
    try:
        fd, name = tempfile.mkstemp(dir=script.parent, prefix=f".{script.stem}.autofix-verify-", suffix=".py")
    except OSError:
        return None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(source)
    return pathlib.Path(name)


def verify_scripts(original_path: str | os.PathLike, rewritten_source: str, *, budget: float = 120.0,
                   steps: int = 200, epochs: int = 5, seed: int = 0, min_gain: float = 0.02,
                   goal: str = "improve", original_run: ScriptRun | None = None) -> ScriptEvidence:
    """Run the original script and ``rewritten_source`` with ``fit()`` capped; compare their Histories.

    Both run from the original script's folder (so its relative imports and
    data paths work), each with half the ``budget`` as a timeout;
    ``original_run`` (from :func:`run_script`, same caps) reuses a run of the
    original already made. The last fit() call's final ``val_accuracy`` (else
    ``val_loss``, else the training ``accuracy``) is compared with the same noise margin as
    :func:`autofix.verify.verified.verified_fix`; with ``goal="no_worse"`` (reporting
    fixes only) by non-inferiority.
    """
    common = {"steps": steps, "epochs": epochs, "seed": seed, "budget": budget / 2}
    before = original_run or run_script(original_path, **common)
    after = run_script(original_path, source=rewritten_source, label="rewritten", **common)
    metric, verdict = _compare(before, after, min_gain, goal)
    return ScriptEvidence(before, after, metric, verdict)
