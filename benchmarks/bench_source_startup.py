"""Start-up time of ``autofix-src`` (target: under 0.3 s; it never imports Keras).

Usage: python benchmarks/bench_source_startup.py [--rounds N]

Times, in fresh interpreters and interleaved rounds: a bare ``python -c pass``
(the floor any command pays, and a gauge of how busy the machine is),
``autofix-src --version``, a check of one small script (stdlib ``ast`` only)
and a ``--diff`` of a script with a fix (which loads libcst to rewrite).
Prints the best and median wall time of each; the verdict is on the check's
best time (the run least disturbed by other load: on a shared machine the
median moves with the load, which the ``python -c pass`` line shows).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLEAN = "import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='sigmoid')])\n"
FIXABLE = CLEAN.replace("'sigmoid'", "'softmax'") + "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
TARGET = 0.3


def cases(folder: Path) -> dict[str, list[str]]:
    clean, fixable = folder / "train.py", folder / "fixable.py"
    clean.write_text(CLEAN)
    fixable.write_text(FIXABLE)
    cli = [sys.executable, "-m", "autofix.cli.src"]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "--version": [*cli, "--version"],
        "check 1 file": [*cli, str(clean), "--isolated"],
        "--diff 1 file": [*cli, str(fixable), "--diff", "--isolated"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        commands = cases(Path(tmp))
        times: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(args.rounds):
            for label, command in commands.items():
                start = time.perf_counter()
                subprocess.run(command, capture_output=True, check=False)
                times[label].append(time.perf_counter() - start)
    for label, samples in times.items():
        best, median = min(samples), statistics.median(samples)
        verdict = f"  [{'ok' if best < TARGET else f'OVER {TARGET} s'}]" if label == "check 1 file" else ""
        print(f"{label:15} best {best * 1000:6.0f} ms  median {median * 1000:6.0f} ms{verdict}")


if __name__ == "__main__":
    main()
