"""Progress of verification arms, in Keras's manners.

``verbose=0`` prints nothing; ``verbose=1`` a progress display: the plan and
stage headers, and per arm a numbered line (on a terminal it shows the arm
while it trains and is completed in place when it ends); ``verbose=2`` exactly
one line per finished arm and nothing else.  No Keras import: the script path
(``autofix-src --verify``) uses it too: :func:`script_arm` shows each capped
script run (:class:`~autofix.verify.scripts.ScriptRun`) as an arm, on stderr.
"""

from __future__ import annotations

import math
import sys
import time
from typing import IO, Any, Callable


class Progress:
    """Prints the arms of a verification run as they start and finish (see the module docstring)."""

    def __init__(self, verbose: int = 0, stream: IO[str] | None = None):
        self.verbose = int(verbose or 0)
        self._stream = stream
        self.count = 0
        self._open: str | None = None
        self._began = time.perf_counter()

    @property
    def stream(self) -> IO[str]:
        return self._stream if self._stream is not None else sys.stdout

    @property
    def live(self) -> bool:
        """Whether arms are shown while they train (verbose 1 on a terminal)."""
        isatty = getattr(self.stream, "isatty", None)
        return self.verbose == 1 and bool(isatty and isatty())

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def _close_line(self) -> None:
        if self._open is not None:
            self._write("\n")
            self._open = None

    def info(self, text: str) -> None:
        """A plan or stage line (verbose 1 only)."""
        if self.verbose == 1:
            self._close_line()
            self._write(text + "\n")

    __call__ = info

    def start(self, name: str, *, seed: int | None = None, steps: int | None = None, stage: str = "") -> None:
        """An arm begins (shown only on a terminal with verbose 1, replaced by :meth:`done`)."""
        if self.live:
            self._close_line()
            self._open = f"  [{self.count + 1}] {_label(stage, name)}{_how(seed, steps)} training..."
            self._write(self._open)

    def done(self, name: str, *, metric: str, score: float, seconds: float, seed: int | None = None,
             steps: int | None = None, stage: str = "", error: str | None = None, verdict: str = "") -> None:
        """An arm finished: one line with its score and time (verbose 1 and 2)."""
        if not self.verbose:
            return
        self.count += 1
        value = f"{score:.3f}" if isinstance(score, (int, float)) and math.isfinite(score) else "-"
        tail = f" (error: {error})" if error else ""
        tail += f": {verdict}" if verdict else ""
        body = f"{_label(stage, name)}{_how(seed, steps)}: {metric}={value} in {seconds:.1f} s{tail}"
        if self.verbose == 2:
            self._write(body + "\n")
            return
        elapsed = time.perf_counter() - self._began
        line = f"  [{self.count}] {body} [{elapsed:.0f} s elapsed]"
        if self._open is not None:
            self._write("\r" + line + " " * max(0, len(self._open) - len(line)) + "\n")
            self._open = None
        else:
            self._write(line + "\n")


def _how(seed: int | None, steps: int | None) -> str:
    parts = [f"seed {seed}"] * (seed is not None) + [f"{steps} steps"] * (steps is not None)
    return f" ({', '.join(parts)})" if parts else ""


def _label(stage: str, name: str) -> str:
    return f"{stage}: {name}" if stage else name


def script_done(progress: Progress, run: Any, stage: str = "script", name: str | None = None) -> None:
    """Show a capped script run (:class:`autofix.verify.scripts.ScriptRun`) as a finished arm (named
    ``name``, default its label): its task score (else the last History ``val_accuracy``/``val_loss``),
    its time, a failed exit."""
    record = run.score() if callable(getattr(run, "score", None)) else {}
    metric, value = record.get("metric"), record.get("value")
    if value is None:
        for key in ("val_accuracy", "val_loss", "accuracy", "loss"):
            if run.final(key) is not None:
                metric, value = key, run.final(key)
                break
    progress.done(name or run.label, metric=metric or "score", score=value if value is not None else math.nan,
                  seconds=run.seconds, stage=stage, error=None if run.returncode == 0 else f"exit {run.returncode}")


def script_arm(progress: Progress | None, name: str, run: Callable[[], Any], stage: str = "script") -> Any:
    """Make the capped script run ``run()`` an arm of ``progress``: shown while it runs (on a terminal),
    then its line (:func:`script_done`); returns the run."""
    progress = progress or Progress(0)
    progress.start(name, stage=stage)
    done = run()
    script_done(progress, done, stage, name)
    return done


def as_progress(verbose: Any) -> Progress:
    """``verbose`` as a :class:`Progress` (an int, or a Progress passed through)."""
    return verbose if isinstance(verbose, Progress) else Progress(int(verbose or 0))


__all__ = ["Progress", "as_progress", "script_arm", "script_done"]
