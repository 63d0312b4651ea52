"""Start-up time of ``autofix-src`` (target: under 0.3 s; it never imports Keras).

Usage: python benchmarks/bench_source_startup.py
Runs ``python -m autofix.cli.src --version`` and a check of one small script
several times in fresh interpreters; prints the best and median wall times.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = "import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='sigmoid')])\n"


def measure(args, repeat=7):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "autofix.cli.src", *args], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "train.py"
        path.write_text(SCRIPT)
        for label, args in (("--version", ["--version"]), ("check 1 file", [str(path), "--isolated"])):
            best, median = measure(args)
            verdict = "ok" if median < 0.3 else "OVER 0.3 s"
            print(f"{label:14} best {best * 1000:6.0f} ms  median {median * 1000:6.0f} ms  [{verdict}]")


if __name__ == "__main__":
    main()
