"""Verify a rewritten training script: run it and the original with ``fit()`` capped.

Each script runs in its own subprocess with a start-up hook (a
``sitecustomize.py`` on ``PYTHONPATH`` that calls
:func:`autofix.training._fit_hook.install`): it seeds Keras, caps every
``Model.fit`` call to ``epochs`` epochs and ``steps`` batches, and appends
each call's History, with a task score from ``model.predict``
(:mod:`autofix.training.task_score`), to a JSON file; at the first ``fit()``
call it also records the data facts of ``x``/``y``
(:func:`autofix.data.data_facts`, numpy arrays and tensors only) and the
model's layer classes, so the source path can run the data rules.  Only
called for ``autofix-src --verify``: user code never runs otherwise.
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

from ..training._fit_hook import LABEL_KIND_ENV, SCORE_KEY, SITECUSTOMIZE
from ..training.task_score import comparable
from .verdict import Verdict, judge


#: How many times longer the re-run pair of an ambiguous verdict trains (steps and epochs caps).
LONGER = 4


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
    #: The task score the hook computed from ``model.predict`` after each fit() call
    #: (:func:`autofix.training.task_score.score_fit`: ``value``, ``metric``, ``labels``, ``rows``,
    #: ``n``, ``chance``; or ``skipped`` with the reason).
    scores: list[dict] = field(default_factory=list)

    def data(self):
        """The first fit() call's :class:`~autofix.spec.DataSpec`, or None."""
        from ..data import data_from_json

        raw = self.facts[0].get("data") if self.facts else None
        return data_from_json(raw) if raw else None

    def score(self) -> dict:
        """The last fit() call's task score record (``{}`` when the hook recorded none)."""
        return self.scores[-1] if self.scores else {}

    def final(self, key: str) -> float | None:
        """The last fit() call's final value of History ``key`` (:data:`SCORE_KEY`: its task score)."""
        if key == SCORE_KEY:
            return self.score().get("value")
        values = self.histories[-1].get(key) if self.histories else None
        return values[-1] if values else None


@dataclass
class ScriptEvidence:
    """Both runs, what was compared (:data:`SCORE_KEY` or a History metric), and the verdict."""

    original: ScriptRun
    rewritten: ScriptRun
    metric: str | None
    verdict: Verdict | None

    def compared(self) -> str:
        """What the verdict compared, with both values (or why nothing was comparable)."""
        scores = _score_problem(self.original, self.rewritten)
        if self.metric is None:
            return (f"no comparable score from predict ({scores}) nor History metric (val_accuracy, "
                    "val_loss or accuracy) in both runs")
        before, after = self.original.final(self.metric), self.rewritten.final(self.metric)
        if self.metric == SCORE_KEY:
            score = self.original.score()
            return (f"score from predict on {score['rows']} ({score['n']} rows, {score['labels']} labels): "
                    f"{score['metric']} {before:.4g} -> {after:.4g}")
        return f"History {self.metric} {before:.4g} -> {after:.4g} (no comparable score from predict: {scores})"

    def summary_lines(self) -> list[str]:
        lines = [f"  {run.label}: exit {run.returncode}, {len(run.histories)} fit() call(s), {run.seconds:.1f} s"
                 for run in (self.original, self.rewritten)]
        if self.verdict is None:
            lines.append(f"  not confirmed: {self.compared()}")
        else:
            mark = "CONFIRMED" if self.verdict.accepted else "not confirmed"
            lines.append(f"  compared: {self.compared()}")
            lines.append(f"  {mark}: {self.verdict.reason} (gain {self.verdict.gain:+.4g}, margin "
                         f"{self.verdict.margin:.4g})")
        return lines


def _run(label: str, script: pathlib.Path, cwd: pathlib.Path, hook_dir: pathlib.Path, *, steps: int,
         epochs: int, seed: int, timeout: float, label_kind: str | None = None) -> ScriptRun:
    history, facts = hook_dir / f"{label}.jsonl", hook_dir / f"{label}.facts.jsonl"
    package_root = pathlib.Path(__file__).resolve().parents[2]  # so the hook can import autofix
    env = {**os.environ, "AUTOFIX_MAX_STEPS": str(steps), "AUTOFIX_MAX_EPOCHS": str(epochs),
           "AUTOFIX_SEED": str(seed), "AUTOFIX_HISTORY": str(history), "AUTOFIX_FACTS": str(facts),
           "PYTHONPATH": os.pathsep.join([str(hook_dir), str(cwd), os.environ.get("PYTHONPATH", ""),
                                          str(package_root)]),
           "MPLBACKEND": "Agg", **({LABEL_KIND_ENV: label_kind} if label_kind else {})}
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout)
        code, tail = proc.returncode, proc.stderr[-2000:]
    except subprocess.TimeoutExpired:
        code, tail = 124, f"timed out after {timeout:g} s"
    runs = [json.loads(line) for line in history.read_text().splitlines()] if history.exists() else []
    seen = [json.loads(line) for line in facts.read_text().splitlines()] if facts.exists() else []
    scores = [run.pop(SCORE_KEY, None) or {} for run in runs]
    return ScriptRun(label, code, time.perf_counter() - start, runs, tail, seen, scores)


def _score_problem(original: ScriptRun, rewritten: ScriptRun) -> str:
    """Why the two runs' task scores cannot be compared ("" when they can)."""
    records = [(run.label, run.score()) for run in (original, rewritten)]
    missing = [f"{label}: {rec.get('skipped', 'no fit() call scored')}"
               for label, rec in records if "value" not in rec]
    if missing:
        return "; ".join(missing)
    (_, a), (_, b) = records
    same = ("metric", "labels", "rows", "n")
    if any(a[k] != b[k] for k in same):
        return "; ".join(f"{label}: {rec['metric']} on {rec['rows']} ({rec['n']} rows, {rec['labels']} labels)"
                         for label, rec in records)
    return ""


def _other_label_kind(original: ScriptRun, rewritten: ScriptRun) -> str | None:
    """The rewrite's label kind when both runs scored the same rows but read the labels as different
    kinds (the original's R^2 on 0/255 targets, the rewrite's accuracy on 0/1); else None."""
    a, b = original.score(), rewritten.score()
    if "value" not in a or "value" not in b or a["labels"] == b["labels"]:
        return None
    return b["labels"] if (a["rows"], a["n"]) == (b["rows"], b["n"]) else None


def _compare(original: ScriptRun, rewritten: ScriptRun, min_gain: float, goal: str = "improve",
             again: tuple[ScriptRun, ScriptRun] | None = None) -> tuple[str | None, Verdict | None]:
    """What to compare and the verdict; ``again`` is a second pair (another seed) judged with the first
    when it has the same comparable score (else the first pair alone is judged)."""
    pairs = [(original, rewritten)] + ([again] if again is not None else [])
    # the task score from predict first: it does not depend on the compiled loss or metrics (which
    # may be the broken part, or what the fix changed); both runs score the same rows with the same seed
    if not _score_problem(original, rewritten):
        score = original.score()
        pairs = [pair for pair in pairs if not _score_problem(*pair) and pair[0].score()["metric"] == score["metric"]]
        value = lambda run: comparable(run.score()["value"], score["metric"])  # noqa: E731
        verdict = Verdict("rewritten script", [value(a) for a, _ in pairs], [value(b) for _, b in pairs], goal=goal)
        accuracy = score["metric"] == "accuracy"
        return SCORE_KEY, judge(verdict, score["n"], accuracy=accuracy, absolute=not accuracy, min_gain=min_gain)
    # then held-out metrics; a script that trains without validation data is judged on its
    # training accuracy (still the same rows, seed and step cap for both runs)
    for metric, sign in (("val_accuracy", 1.0), ("val_loss", -1.0), ("accuracy", 1.0)):
        if original.final(metric) is not None and rewritten.final(metric) is not None:
            pairs = [(a, b) for a, b in pairs if a.final(metric) is not None and b.final(metric) is not None]
            verdict = Verdict("rewritten script", [sign * a.final(metric) for a, _ in pairs],
                              [sign * b.final(metric) for _, b in pairs], goal=goal)
            return metric, judge(verdict, 10**6, accuracy=metric.endswith("accuracy"), min_gain=min_gain)
    return None, None


def run_script(path: str | os.PathLike, *, source: str | None = None, label: str = "original",
               budget: float = 60.0, steps: int = 200, epochs: int = 5, seed: int = 0,
               label_kind: str | None = None) -> ScriptRun:
    """Run one script (``source`` in place of the file's text, if given) with ``fit()`` capped.

    It runs from the script's folder (so its relative imports and data paths
    work) with ``budget`` seconds as its timeout. Besides the Histories, the
    hook records the first fit() call's data facts (:attr:`ScriptRun.facts`).
    ``label_kind`` scores the labels as that kind instead of the kind they show.
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
                        timeout=budget, label_kind=label_kind)
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
    original already made. The last fit() call's task score from ``model.predict``
    (same rows, seed and caps in both runs) is compared when both runs have one of the
    same kind, else its final ``val_accuracy`` (else ``val_loss``, else the training
    ``accuracy``), with the noise margin of :func:`autofix.verify.verdict.judge`; with
    ``goal="no_worse"`` (see :attr:`autofix.rules.base.Rule.verify_goal`) by non-inferiority.  An ambiguous gain (positive,
    within twice the margin) is re-judged once on a pair of runs with :data:`LONGER` times the
    step and epoch caps, when the first pair's time, times :data:`LONGER`, fits in ``budget``; else,
    when a second pair fits, on the same caps with ``seed + 1`` (both seeds must gain, and their mean
    gain must clear the margin).
    """
    common = {"steps": steps, "epochs": epochs, "seed": seed, "budget": budget / 2}
    before = original_run or run_script(original_path, **common)
    after = run_script(original_path, source=rewritten_source, label="rewritten", **common)
    kind = _other_label_kind(before, after)
    if kind is not None and before.seconds > budget / 2:
        kind = None
    if kind is not None:
        # the rewrite changed how the labels read (0/255 targets made 0/1): score the original the same way
        before = run_script(original_path, label=f"original-as-{kind}", label_kind=kind, **common)
    metric, verdict = _compare(before, after, min_gain, goal)
    if verdict is not None and verdict.reason == "ambiguous":
        again = rejudge(original_path, (None, rewritten_source), (before, after), budget=budget, min_gain=min_gain,
                        goal=goal, label_kind=kind, steps=steps, epochs=epochs, seed=seed)
        if again is not None:
            metric, verdict, (before, after), _ = again
    return ScriptEvidence(before, after, metric, verdict)


def rejudge(path: str | os.PathLike, sources: tuple[str | None, str], runs: tuple[ScriptRun, ScriptRun], *,
            budget: float, min_gain: float, goal: str = "improve", label_kind: str | None = None, steps: int = 200,
            epochs: int = 5, seed: int = 0, labels: tuple[str, str] | None = None):
    """Re-judge an ambiguous pair of capped runs (``runs``, of ``sources``; None is the script itself).

    A fix that cures slowly (a zero-initialised head that must first grow) is judged on both sources run
    :data:`LONGER` times the step and epoch caps when that pair fits in ``budget``; else, when one more
    pair at the same caps fits, on ``seed + 1``, judged with the first pair (both seeds must gain and the
    mean gain clear the margin, as the live arms are re-measured).  ``label_kind`` scores the first
    source's labels as that kind; ``labels`` name the new runs (default: the first runs' labels with
    ``-longer`` / ``-seed2``).  Returns ``(metric, verdict, the runs the verdict read, how)``, or None
    when neither pair fits."""
    pair = runs[0].seconds + runs[1].seconds
    common = {"budget": budget / 2, "steps": steps, "epochs": epochs, "seed": seed}
    if pair * LONGER <= budget:
        how, tag, caps = f"{LONGER}x longer runs", "longer", {**common, "steps": steps * LONGER,
                                                               "epochs": epochs * LONGER}
    elif pair * 2 <= budget:
        how, tag, caps = "a second seed", "seed2", {**common, "seed": seed + 1}
    else:
        return None
    names = labels or tuple(f"{run.label}-{tag}" for run in runs)
    new = tuple(run_script(path, source=source, label=name, label_kind=kind, **caps)
                for source, name, kind in zip(sources, names, (label_kind, None)))
    if tag == "longer":
        return (*_compare(new[0], new[1], min_gain, goal), new, how)
    return (*_compare(runs[0], runs[1], min_gain, goal, again=new), runs, how)
