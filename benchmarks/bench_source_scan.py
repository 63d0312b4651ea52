"""Scan speed of autofix-src vs bare ``ast.parse`` on the same files, in the same run.

Usage: python benchmarks/bench_source_scan.py [--rounds N] [PATH ...]

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
"""

from __future__ import annotations

import argparse
import ast
import time
from pathlib import Path

from autofix.rules import select_rules
from autofix.source.check import check_source, imports_keras

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "tests" / "source" / "corpus_correct", ROOT / "examples"]
TARGET = 3.0


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
    args = parser.parse_args(argv)
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
