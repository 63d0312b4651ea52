"""Scan speed of autofix-src vs bare ``ast.parse`` on the same files, in the same run.

Usage: python benchmarks/bench_source_scan.py [PATH ...]
Default corpus: tests/source/corpus_correct, examples/ and the autofix package
itself (a tree where most files never mention Keras, like a real repository).
Prints lines/s for both and the ratio (target: autofix-src within 3x of ast).
"""

from __future__ import annotations

import ast
import sys
import time
from pathlib import Path

from autofix.rules import select_rules
from autofix.source.pipeline import check_source

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "tests" / "source" / "corpus_correct", ROOT / "examples", ROOT / "autofix"]


def corpus(paths):
    files = []
    for path in paths:
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return [(str(f), f.read_text(encoding="utf-8")) for f in files]


def timed(fn, texts, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for name, text in texts:
            fn(name, text)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv):
    texts = corpus([Path(p) for p in argv] or DEFAULT)
    lines = sum(t.count("\n") + 1 for _, t in texts)
    rules = select_rules()
    keras_files = sum("keras" in t for _, t in texts)
    t_ast = timed(lambda n, t: ast.parse(t, n), texts)
    t_src = timed(lambda n, t: check_source(t, n, rules, keras_version="3.15.1"), texts)
    print(f"{len(texts)} files ({keras_files} mention keras), {lines} lines")
    print(f"ast.parse:   {lines / t_ast:12,.0f} lines/s")
    print(f"autofix-src: {lines / t_src:12,.0f} lines/s")
    print(f"ratio: autofix-src is {t_src / t_ast:.2f}x the time of ast.parse (target <= 3x)")


if __name__ == "__main__":
    main(sys.argv[1:])
