"""Run one protocol script for several seeds in one process (saves the Keras import per seed).

    python benchmarks/faults/_runner.py SCRIPT [SCRIPT ...] --seeds SEED [SEED ...]

For each script and seed: sets os.environ["SEED"], loads the script as a fresh module, calls its
``main()`` and reads the SCORE=<float> line it prints last. Prints one
``RESULT <script> <seed> <score|nan> <seconds>`` line per run (``nan`` when the script raised or
printed no SCORE). Used by mutate.py for the kill check (one Keras import for a whole batch); the
harness runs scripts as plain ``python SCRIPT`` subprocesses.
"""
import contextlib
import importlib.util
import io
import math
import os
import sys
import time
import traceback


def run_once(path, seed):
    os.environ["SEED"] = str(seed)
    buf = io.StringIO()
    t0 = time.perf_counter()
    try:
        import keras

        keras.backend.clear_session()
        name = "_fault_" + os.path.basename(path).replace(".", "_") + f"_{seed}"
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        with contextlib.redirect_stdout(buf):
            spec.loader.exec_module(mod)
            mod.main()
    except Exception:  # a crashing mutant is not a quiet fault: recorded as nan
        traceback.print_exc(limit=3, file=sys.stderr)
    lines = [ln for ln in buf.getvalue().strip().splitlines() if ln.strip()]
    value = math.nan
    if lines and lines[-1].startswith("SCORE="):
        try:
            value = float(lines[-1].split("=", 1)[1])
        except ValueError:
            pass
    return value, time.perf_counter() - t0


def main(argv):
    if "--seeds" in argv:
        i = argv.index("--seeds")
        paths, seeds = argv[:i], [int(s) for s in argv[i + 1:]]
    else:  # legacy form: SCRIPT SEED [SEED ...]
        paths, seeds = argv[:1], [int(s) for s in argv[1:]]
    seeds = seeds or [0]
    for path in paths:
        sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
        for seed in seeds:
            value, secs = run_once(path, seed)
            print(f"RESULT {path} {seed} {value} {secs:.2f}", flush=True)
        sys.path.pop(0)


if __name__ == "__main__":
    main(sys.argv[1:])
