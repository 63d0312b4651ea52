"""Scan speed of autofix-src vs bare ``ast.parse`` on the same files, in the same run.

Usage: python benchmarks/bench_source_scan.py [--rounds N] [PATH ...]
       python benchmarks/bench_source_scan.py --scaling [1000 4000 16000 50000]
       python benchmarks/bench_source_scan.py --jobs [N ...] [PATH ...]

Default corpus: the Keras training scripts of this repository
(``tests/source/corpus_correct`` and ``examples/``); pass directories of your
own scripts (e.g. a checkout of keras-io's ``examples/``) to widen it.  Files
that never import Keras are listed separately: the checker skips them with a
regex, so a corpus padded with them would flatter the ratio.

Prints lines/s of ``ast.parse``, of ``autofix-src`` in check mode (the
default: stdlib ``ast`` only) and in ``--diff`` mode (libcst is loaded for the
files with fixes), and the ratios; target: check mode within 3x of ast.parse.
Runners take turns file by file and each file's best time over the rounds is
kept, so a busy machine slows every side alike.

``--scaling`` times check mode and ``--fix --unsafe-fixes`` (in process) on generated scripts of
the given sizes (a block of a Keras 1 model built in a function, three fixes per 9 lines):
the fix/check ratio at each size (target: within 5x) and the ms/line slopes between sizes.

``--jobs`` times whole ``autofix-src`` runs (fresh interpreters, check mode and ``--diff
--unsafe-fixes``) over the corpus (default: the Keras corpus of ``benchmarks/keras_corpus``) with
``--jobs 1`` and each given N (default: 2 and the core count), interleaved, best of the rounds, and
prints the speed-up over one job; it also checks that every N gives the output of one job.
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
import time
from pathlib import Path

from autofix.rules import select_rules
from autofix.source.check import check_source, imports_keras

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "tests" / "source" / "corpus_correct", ROOT / "examples"]
KERAS_CORPUS = ROOT / "benchmarks" / "keras_corpus" / "corpus"
TARGET = 3.0
FIX_TARGET = 5.0
HEAD = ("import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import Dense, Activation\n"
        "from keras.optimizers import SGD\n\nx = np.zeros((64, 20))\ny = np.zeros(64)\n")
BLOCK = """

def build_{i}():
    model = Sequential()
    model.add(Dense(64, init='uniform', input_dim=20))
    model.add(Activation('relu'))
    model.add(Dense(1, activation='sigmoid'))
    model.compile(loss='binary_crossentropy', optimizer=SGD(lr=0.01))
    model.fit(x, y, nb_epoch=5, batch_size=32)
    return model
"""


def generated(lines: int) -> str:
    """A script of about ``lines`` lines: :data:`BLOCK` repeated (3 Keras 1 names in each)."""
    blocks = max(1, (lines - HEAD.count("\n")) // BLOCK.count("\n"))
    return HEAD + "".join(BLOCK.format(i=i) for i in range(blocks))


def scaling(sizes: list[int], rounds: int) -> None:
    """fix/check ratio and ms/line per size; best of ``rounds`` (interleaved)."""
    rules = select_rules()
    check_source(generated(200), "gen.py", rules, fix=True, unsafe=True, keras_version="3.15.1")  # imports
    rows = []
    for size in sizes:
        code = generated(size)
        lines = code.count("\n") + 1
        best = {"check": float("inf"), "fix": float("inf")}
        for _ in range(rounds if size <= 16000 else 1):
            for name, fix in (("check", False), ("fix", True)):
                start = time.perf_counter()
                check_source(code, "gen.py", rules, fix=fix, unsafe=True, keras_version="3.15.1")
                best[name] = min(best[name], time.perf_counter() - start)
        rows.append((lines, best["check"], best["fix"]))
        print(f"{lines:7,} lines  check {best['check']:7.3f} s  --fix {best['fix']:7.3f} s  "
              f"ratio {best['fix'] / best['check']:4.1f}x  ({'ok' if best['fix'] <= FIX_TARGET * best['check'] else 'OVER'})",
              flush=True)
    for (l0, c0, f0), (l1, c1, f1) in zip(rows, rows[1:]):
        print(f"slope {l0:,} -> {l1:,} lines: check {1e3 * (c1 - c0) / (l1 - l0):.3f} ms/line, "
              f"--fix {1e3 * (f1 - f0) / (l1 - l0):.3f} ms/line")


def _children_cpu() -> float:
    """User + system CPU seconds of the finished child processes (workers of a pool included)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def jobs_speedup(paths: list[Path], counts: list[int], rounds: int) -> None:
    """Wall time of ``autofix-src`` over ``paths`` with ``--jobs 1`` and each of ``counts``; the
    speed-up over one job, and whether the output is the same."""
    cli = [sys.executable, "-m", "autofix.cli.src", *map(str, paths), "--isolated", "--exit-zero"]
    for mode, extra in (("check", ["--format", "json"]), ("--diff --unsafe-fixes", ["--diff", "--unsafe-fixes"])):
        best: dict[int, float] = {n: float("inf") for n in [1, *counts]}
        cpu: dict[int, float] = dict(best)
        outputs: dict[int, bytes] = {}
        for _ in range(rounds):
            for n in best:
                start, used = time.perf_counter(), _children_cpu()
                done = subprocess.run([*cli, *extra, "--jobs", str(n)], capture_output=True, check=False)
                best[n] = min(best[n], time.perf_counter() - start)
                cpu[n] = min(cpu[n], _children_cpu() - used)
                outputs[n] = done.stdout + done.stderr
        line = "  ".join(f"--jobs {n}: {seconds:6.3f} s ({best[1] / seconds:4.2f}x, cpu {cpu[n]:5.2f} s)"
                         for n, seconds in best.items())
        same = all(out == outputs[1] for out in outputs.values())
        print(f"{mode:22} {line}  output {'same as --jobs 1' if same else 'DIFFERS from --jobs 1'}", flush=True)


def corpus(paths: list[Path]) -> list[tuple[str, str]]:
    files = []
    for path in paths:
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return [(str(f), f.read_text(encoding="utf-8")) for f in files]


def lines_of(texts: list[tuple[str, str]]) -> int:
    return sum(t.count("\n") + 1 for _, t in texts)


def best_times(texts, runners: dict, rounds: int) -> dict[str, float]:
    """Each runner's time over the corpus: the sum over files of its best time on
    each file, the runners taking turns file by file (so a busy machine slows
    every runner alike, and a burst of load on one round is discarded)."""
    best = {(name, path): float("inf") for name in runners for path, _ in texts}
    for _ in range(rounds):
        for path, text in texts:
            for name, fn in runners.items():
                start = time.perf_counter()
                fn(path, text)
                best[name, path] = min(best[name, path], time.perf_counter() - start)
    return {name: sum(best[name, path] for path, _ in texts) for name in runners}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--scaling", type=int, nargs="*", metavar="LINES",
                        help="time check vs --fix on generated scripts of these sizes (default 1000 4000 16000 50000)")
    parser.add_argument("--jobs", type=int, nargs="*", metavar="N",
                        help="time whole runs with --jobs 1 vs these N (default 2 and the core count)")
    args = parser.parse_args(argv)
    if args.jobs is not None:
        counts = sorted(set(args.jobs or [2, os.cpu_count() or 1]) - {1}) or [2]
        print(f"{os.cpu_count()} cores; best of {min(args.rounds, 5)} rounds")
        jobs_speedup(args.paths or [KERAS_CORPUS], counts, min(args.rounds, 5))
        return
    if args.scaling is not None:
        scaling(args.scaling or [1000, 4000, 16000, 50000], min(args.rounds, 3))
        return
    texts = corpus(args.paths or DEFAULT)
    keras = [(p, t) for p, t in texts if imports_keras(t)]
    rules = select_rules()
    runners = {
        "ast.parse": lambda p, t: ast.parse(t, p),
        "check": lambda p, t: check_source(t, p, rules, keras_version="3.15.1"),
        "--diff": lambda p, t: check_source(t, p, rules, fix=True, unsafe=True, keras_version="3.15.1"),
    }
    fixed = sum(check_source(t, p, rules, fix=True, unsafe=True, keras_version="3.15.1").changed for p, t in keras)
    print(f"{len(texts)} files, {lines_of(texts)} lines; {len(keras)} import Keras ({lines_of(keras)} lines), "
          f"{fixed} of them with fixes to apply")
    for label, subset in (("Keras scripts", keras), ("whole corpus", texts)):
        if not subset or (label == "whole corpus" and len(subset) == len(keras)):
            continue
        times = best_times(subset, runners, args.rounds)
        lines = lines_of(subset)
        print(f"\n{label}:")
        for name, seconds in times.items():
            ratio = seconds / times["ast.parse"]
            print(f"  {name:10} {lines / seconds:12,.0f} lines/s  {ratio:5.2f}x ast.parse")
        verdict = "ok" if times["check"] <= TARGET * times["ast.parse"] else "OVER"
        print(f"  check mode within {TARGET:g}x of ast.parse: {verdict}")


if __name__ == "__main__":
    main()
