"""Verification cost and agreement on the seed examples.

For each ``examples/seed_*/train.py``: time one full training run of the
example (its own ``FIT_KWARGS``) for the original and for the model
verification chose, time ``fix(..., verify=True)`` with the default budget,
and print the ratio and whether the short-run verdict agrees with the full
runs: for a fix that must improve, confirmed <=> the full-run accuracy of the
repair beats the original by more than 0.02; for a reporting fix judged by
non-inferiority (seed 004), confirmed <=> the repair's full-run accuracy is not
below the original's by more than the verdict's noise margin.

Run: ``python benchmarks/bench_verify.py [seed_000_bn_gap ...]``
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


if __name__ == "__main__":
    names = sys.argv[1:] or sorted(p.parent.name for p in (ROOT / "examples").glob("seed_*/train.py"))
    for name in names:
        print(bench(name), flush=True)
