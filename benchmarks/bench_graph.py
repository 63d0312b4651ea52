"""Time ``autofix.diagnose`` and ``autofix.fix`` against ``keras.models.clone_model``.

Builds the seed-000 model (a 1D CNN on (4096, 1) inputs, ~3.3M parameters,
98.9% of them in the Dense after Flatten) and prints the median time of each
operation, absolute and as a ratio to ``clone_model`` measured in the same run.
Target: ``fix`` within 2x of ``clone_model``.

    python benchmarks/bench_graph.py [--repeats N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from typing import Any, Callable

import keras
from keras import layers

import autofix

TARGET_RATIO = 2.0


def conv_block(filters: int, kernel: int, pool: bool = True) -> list[Any]:
    """Conv1D -> BatchNormalization -> relu [-> MaxPooling1D], as in seed 000."""
    block = [layers.Conv1D(filters, kernel, strides=1, padding="same"),
             layers.BatchNormalization(), layers.Activation("relu")]
    return block + [layers.MaxPooling1D(2, strides=2, padding="valid")] if pool else block


def seed_000_model() -> keras.Model:
    """The seed-000 model, compiled as in the report (SGD 0.01, binary_crossentropy)."""
    stack = [keras.Input((4096, 1))]
    for filters, kernel in ((16, 61), (32, 3), (64, 3), (64, 3)):
        stack += conv_block(filters, kernel)
    stack += conv_block(64, 3, pool=False)
    stack += [layers.Flatten(), layers.Dropout(0.5), layers.Dense(200), layers.Activation("relu"),
              layers.Dense(2), layers.Activation("softmax")]
    model = keras.Sequential(stack)
    model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=0.01),
                  metrics=["accuracy"])
    return model


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_seconds(ops: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Median wall time of each operation over ``repeats`` rounds, after one warm-up round.

    Rounds interleave the operations, so load from other processes hits all
    of them alike and the ratios stay comparable on a busy machine.
    """
    for fn in ops.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in ops}
    for _ in range(repeats):
        for name, fn in ops.items():
            times[name].append(timed(fn))
    return {name: statistics.median(values) for name, values in times.items()}


def operations(model: keras.Model) -> dict[str, Callable[[], Any]]:
    return {
        "clone_model": lambda: keras.models.clone_model(model),
        "diagnose": lambda: autofix.diagnose(model),
        "fix": lambda: autofix.fix(model, fit_kwargs={"shuffle": False}),
    }


def report(timings: dict[str, float]) -> None:
    base = timings["clone_model"]
    print(f"{'operation':<12} {'seconds':>9} {'x clone_model':>14}")
    for name, seconds in timings.items():
        print(f"{name:<12} {seconds:>9.4f} {seconds / base:>14.2f}")
    ratio = timings["fix"] / base
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"fix is {ratio:.2f}x clone_model: {verdict} the {TARGET_RATIO:g}x target")


def fix_outcome(model: keras.Model) -> None:
    """Say what ``fix`` did: a failed rebuild is fast but does not count."""
    result = autofix.fix(model, fit_kwargs={"shuffle": False})
    print(f"fix applied {len(result.applied)} fix(es) for {len(result.findings)} finding(s), "
          f"changed={result.changed}, parameters {result.params_before:,} -> {result.params_after:,}")
    for note in result.notes:
        print(f"  note: {note}")


def profile_fix(model: keras.Model, top: int) -> None:
    """cProfile one ``fix`` call and print the hottest functions by cumulative time."""
    profiler = cProfile.Profile()
    profiler.runcall(autofix.fix, model, fit_kwargs={"shuffle": False})
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per operation (default 7)")
    parser.add_argument("--profile", action="store_true", help="also cProfile one fix() call")
    parser.add_argument("--top", type=int, default=40, help="rows of profile output (default 40)")
    args = parser.parse_args(argv)
    model = seed_000_model()
    print(f"seed-000 model: {model.count_params():,} parameters, keras {keras.__version__} "
          f"({keras.backend.backend()}), median of {args.repeats} interleaved rounds after 1 warm-up")
    report(median_seconds(operations(model), args.repeats))
    fix_outcome(model)
    if args.profile:
        profile_fix(model, args.top)


if __name__ == "__main__":
    main()
