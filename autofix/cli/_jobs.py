"""``autofix-src --jobs N``: check files in a process pool, report them in the order one job would.

Each file is processed in a worker with its own empty copy of the run; its
results, counters, diffs and stderr lines come back and are merged in file
order, so the output is the same as with ``--jobs 1``.  Only plain file runs
go to the pool: stdin and ``--verify`` (which runs the scripts) stay in-process.
"""

from __future__ import annotations

import contextlib
import gc
import io
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any, Callable, Sequence

#: Below this many files a pool costs more than it saves.
MIN_FILES = 4


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _blank(run: Any) -> Any:
    """A copy of ``run`` with nothing found yet (what a worker gets: a copy holding the results
    merged so far would be pickled to every later worker, a cost growing with the run)."""
    return replace(run, results=[], errors=0, pending=0, diffs=[], encodings={})


def _isolated(process: Callable[[Any, Any], None], target: Any, own: Any) -> tuple[Any, str]:
    """Process one file on ``own`` (a :func:`_blank` copy of the run); returns it and what it wrote
    to stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        process(target, own)
    return own, err.getvalue()


def _merge(run: Any, own: Any, err: str) -> None:
    run.results.extend(own.results)
    run.errors += own.errors
    run.pending += own.pending
    run.diffs.extend(own.diffs)
    run.encodings.update(own.encodings)
    if err:
        sys.stderr.write(err)


def process_all(targets: Sequence[Any], run: Any, process: Callable[[Any, Any], None], jobs: int,
                warm: Callable[[], None] | None = None) -> None:
    """``process(target, run)`` for every target, in a pool of ``jobs`` workers when it pays.

    ``warm()`` runs first in this process when there is a pool: what it imports (the checker's
    lazily loaded modules, numpy, libcst) is then inherited by every forked worker instead of
    being imported again in each."""
    if jobs <= 1 or len(targets) < MIN_FILES:
        for target in targets:
            process(target, run)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if warm is not None and method == "fork":
        warm()
    if method == "fork":  # the workers' collector then leaves the inherited objects (and their pages) alone
        gc.freeze()
    with ProcessPoolExecutor(max_workers=min(jobs, len(targets)),
                             mp_context=multiprocessing.get_context(method)) as pool:
        blank = _blank(run)
        futures = [pool.submit(_isolated, process, target, blank) for target in targets]
        for future in futures:
            _merge(run, *future.result())
