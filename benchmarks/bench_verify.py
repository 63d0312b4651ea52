"""Verification cost and agreement on the seed examples.

For each ``examples/seed_*/train.py``: time one full training run of the
example (its own ``FIT_KWARGS``) for the original and for the model
verification chose, time ``fix(..., verify=True)`` with the default budget,
and print the ratio and whether the short-run verdict agrees with the full
runs: for a fix that must improve, confirmed <=> the full-run accuracy of the
repair beats the original by more than 0.02; for a reporting fix judged by
non-inferiority (seed 004), confirmed <=> the repair's full-run accuracy is not
below the original's by more than the verdict's noise margin.

Two more measurements (each run once, they take minutes of both cores):

* ``--arms-per-minute [--executor processes|ray]``: the same arms (a small Dense model, 128 steps
  each, seeds 0..N-1) trained in-process and with 2 workers of the executor (a process pool, or a
  local Ray with 2 CPUs); arms per minute with and without its start-up, and again on its started
  workers.
* ``--vs-full [--scale S]``: verification cost against one full training run of a conv net on
  synthetic 32x32x3 images (pixels left in 0..255, so the rules have a fix to verify), with the
  default ``budget=60``; prints the ratio (target <= 0.25x).  ``--scale 1`` is the >= 10-minute full run
  on a 2-core CPU (25,500 training images, 48 epochs); ``--scale`` multiplies the epochs (12,000 images
  and 24 epochs, a 2-minute run, gave 0.28x).

Run: ``python benchmarks/bench_verify.py [seed_000_bn_gap ...]``,
``python benchmarks/bench_verify.py --arms-per-minute [--executor ray]``,
``python benchmarks/bench_verify.py --vs-full --scale 0.2``
"""

from __future__ import annotations

import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "examples")]

KEPT = ("batch_size", "shuffle", "class_weight", "epochs", "steps_per_epoch")


def full_run(model, example, x, y, x_val, y_val, relabel: bool, fit_changes: dict | None = None
             ) -> tuple[float, float]:
    """(seconds, held-out accuracy) of one full training run with the example's fit settings.

    ``fit_changes`` are the fit() arguments the repair asks for (``result.fit_kwargs``, e.g.
    ``shuffle=True``): the repaired run uses them, as the user would.
    """
    import keras

    from autofix.training.arms import Data, adapt_labels, class_indices, score

    keras.utils.set_random_seed(0)
    kwargs = {**{k: v for k, v in example.FIT_KWARGS.items() if k in KEPT}, **(fit_changes or {})}
    train_y = adapt_labels(model, y)[0] if relabel else y
    start = time.perf_counter()
    model.fit(x, train_y, verbose=0, **kwargs)
    seconds = time.perf_counter() - start
    return seconds, score(model, Data(x, y, x_val, y_val, class_indices(y_val)))


def bench(name: str) -> str:
    import _common

    import autofix
    from autofix.training.arms import fresh_copy

    example = _common.load_example(name)
    x, y, x_val, y_val = example.make_data()
    fit_kwargs = {k: v for k, v in example.FIT_KWARGS.items() if k in ("batch_size", "shuffle", "class_weight")}
    start = time.perf_counter()
    result = autofix.fix(example.build_model(), x, y, validation_data=(x_val, y_val), fit_kwargs=fit_kwargs,
                         verify=True, seed=0)
    verify_s = time.perf_counter() - start
    full_s, before = full_run(example.build_model(), example, x, y, x_val, y_val, relabel=False)
    candidate = result.model if result.changed else None
    head = f"{name}: verify {verify_s:.0f} s = {verify_s / full_s:.2f}x full run ({full_s:.0f} s)"
    if candidate is None:
        ranked = [v for v in result.verification.verdicts]
        note = "no candidate" if not ranked else f"best unconfirmed: {ranked[0].candidate}"
        return f"{head}; full-run accuracy {before:.3f}; not confirmed ({note})"
    _, after = full_run(fresh_copy(candidate, 0), example, x, y, x_val, y_val, relabel=True,
                        fit_changes=result.fit_kwargs)
    verdict = next(v for v in result.verification.verdicts if v.candidate == result.verification.chosen)
    return (f"{head}; full-run accuracy {before:.3f} -> {after:.3f}; verdict "
            f"{'confirmed' if verdict.accepted else 'not confirmed'} ({verdict.goal}, short-run "
            f"{verdict.before[0]:.3f} -> {verdict.after[0]:.3f}, {result.verification.steps} steps); "
            f"agrees: {_agrees(verdict, before, after)}")


def _agrees(verdict, before: float, after: float) -> bool:
    """Whether the full runs say what the short-run verdict said."""
    if verdict.goal == "no_worse":
        return (after >= before - verdict.margin) == verdict.accepted
    return (after - before > 0.02) == verdict.accepted


# -- (a) arms per minute: in-process vs a process pool or Ray --------------------------------------
def arms_per_minute(n_arms: int = 8, steps: int = 128, workers: int = 2, executor: str = "processes") -> str:
    import keras

    from autofix.training.arms import prepare_data
    from autofix.verify.executors import ArmJob, InProcessExecutor, make_executor

    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 8)).astype("float32")
    y = (x[:, 0] * x[:, 1] > 0).astype("int64")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    data = prepare_data(x, y, seed=0)
    jobs = [ArmJob(f"arm {i}", model, {"batch_size": 32}, i, steps) for i in range(n_arms)]
    start = time.perf_counter()
    local = InProcessExecutor(data).run(jobs)
    inprocess = time.perf_counter() - start
    start = time.perf_counter()
    InProcessExecutor(data).run(jobs)  # a second pass, as the started workers get below
    inprocess_again = time.perf_counter() - start
    start = time.perf_counter()
    with make_executor(executor, data, workers) as pool:
        getattr(pool, "_start", lambda: None)()  # the process pool spawns its workers now; Ray starts in make
        spawned = time.perf_counter() - start
        pooled = pool.run(jobs)
        total = time.perf_counter() - start
        again = time.perf_counter()
        warm = pool.run(jobs)  # the same arms on the started workers (Keras already imported there)
        warm_s = time.perf_counter() - again
    same = all(abs(a.score - b.score) < 1e-6 and abs(a.score - c.score) < 1e-6 for a, b, c in zip(local, pooled, warm))
    rate = lambda seconds: 60 * n_arms / max(seconds, 1e-9)  # noqa: E731
    return (f"{n_arms} arms x {steps} steps: in-process {inprocess:.1f} s = {rate(inprocess):.1f} arms/min "
            f"({rate(inprocess_again):.1f} on a second pass); "
            f"{executor} with {pool.workers} worker(s) x {pool.threads} thread(s): {total:.1f} s = {rate(total):.1f} "
            f"arms/min with start-up ({spawned:.1f} s), {rate(total - spawned):.1f} arms/min without, "
            f"{rate(warm_s):.1f} arms/min on started workers ({warm_s:.1f} s); same scores: {same}")


# -- (b) verification vs one full training run ----------------------------------------------------
ROWS, EPOCHS, BATCH = 30000, 48, 64


def image_task(rows: int):
    """Synthetic 32x32x3 images: the class is the quadrant holding a bright square; pixels in 0..255."""
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 120, size=(rows, 32, 32, 3)).astype("float32")
    y = rng.integers(0, 4, size=rows)
    for i, cls in enumerate(y):
        top, left = (cls // 2) * 16 + rng.integers(0, 10), (cls % 2) * 16 + rng.integers(0, 10)
        x[i, top:top + 6, left:left + 6] += 120
    n = int(0.85 * rows)
    return x[:n], y[:n], x[n:], y[n:]


def conv_model():
    import keras

    L = keras.layers
    model = keras.Sequential([keras.Input((32, 32, 3)), L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(),
                              L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(),
                              L.Conv2D(64, 3, activation="relu"), L.GlobalAveragePooling2D(),
                              L.Dense(64, activation="relu"), L.Dense(4, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def vs_full(scale: float) -> str:
    import keras

    import autofix

    x, y, x_val, y_val = image_task(ROWS)
    epochs = max(1, round(EPOCHS * scale))
    keras.utils.set_random_seed(0)
    start = time.perf_counter()
    result = autofix.fix(conv_model(), x, y, validation_data=(x_val, y_val), fit_kwargs={"batch_size": BATCH},
                         verify=True, seed=0)
    verify_s = time.perf_counter() - start
    print(f"verification: {verify_s:.0f} s, {result.verification.steps} steps per arm, "
          f"chosen: {result.verification.chosen or 'none'}", flush=True)
    keras.utils.set_random_seed(0)
    model = conv_model()
    start = time.perf_counter()

    class Clock(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            print(f"  full run: epoch {epoch + 1}/{epochs} at {time.perf_counter() - start:.0f} s", flush=True)

    model.fit(x, y, epochs=epochs, batch_size=BATCH, verbose=0, callbacks=[Clock()])
    full_s = time.perf_counter() - start
    accuracy = float(np.mean(model.predict(x_val, verbose=0).argmax(-1) == y_val))
    chosen = result.verification.chosen or "none"
    return (f"conv net, {len(x)} images 32x32x3, {epochs} epochs x batch {BATCH} (scale {scale:g}): full run "
            f"{full_s:.0f} s (held-out accuracy {accuracy:.3f}); verification (budget 60) {verify_s:.0f} s, "
            f"{result.verification.steps} steps per arm, chosen: {chosen}; ratio {verify_s / full_s:.2f}x "
            f"(target <= 0.25x)")


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--arms-per-minute" in args:
        executor = args[args.index("--executor") + 1] if "--executor" in args else "processes"
        print(arms_per_minute(executor=executor), flush=True)
    elif "--vs-full" in args:
        scale = float(args[args.index("--scale") + 1]) if "--scale" in args else 1.0
        print(vs_full(scale), flush=True)
    else:
        names = args or sorted(p.parent.name for p in (ROOT / "examples").glob("seed_*/train.py"))
        for name in names:
            print(bench(name), flush=True)
