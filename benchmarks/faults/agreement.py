"""Agreement of autofix's capped verification with full training runs, on a sample of the fault suite.

    python benchmarks/faults/agreement.py                  # the sample below
    python benchmarks/faults/agreement.py --only b07_multiclass4_builder__deep_sigmoid_stack --budget 30

Per item (one subprocess each): ``autofix.fix(model, x, y, fit_kwargs=FIT, verify=True, budget=...,
force=True)``.  The verdict is *applied* when a candidate was confirmed (``result.changed`` and not
forced), *not applied* otherwise; ``force=True`` only hands back the candidate verification would
have applied had it been confirmed (the best-ranked rule candidate, else the search's winner), so
that it can be run in full too.  Then full runs, the item's own way: ``train(model, data)`` +
``score(model, data)`` (its held-out rows) on the original model and on that candidate (rebuilt with
fresh weights, ``FIT`` updated with ``result.fit_kwargs``, labels converted when the head became one
unit), each on seeds 0 and 1.

A verdict **agrees** when the full runs say the same: applied and the mean full-run gain over the two
seeds is at least ``--margin`` (0.02, autofix's ``min_gain``), or not applied and the candidate's mean
gain is below it.  Items where verification had no candidate at all are listed but not counted.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from _child import json_child

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
#: The ``run.py --quick`` mutants (one per family), plus two faults whose cure only the search proposes.
SAMPLE = [
    "b09_multiclass3_lstm__linear_head_probability_loss", "b15_regression_class__reg_accuracy_early_stopping",
    "b12_multilabel4_functional__constant_kernel_hidden", "b07_multiclass4_builder__deep_sigmoid_stack",
    "b14_regression_functional__adam_epsilon_100", "b02_binary_functional_bn__dropout_keep_prob",
    "b21_multilabel3_conv1d_class__few_filters", "b10_multiclass6_class_bn__bn_batch_size_1",
    "b11_multilabel5_mlp__binary_labels_255",
    "b15_regression_class__sgd_momentum_0.999", "b05_multiclass10_mlp__waist_2units",
]
SEEDS = (0, 1)


def _full_run(mod, obj, data, seed: int) -> float:
    import keras
    import numpy as np

    keras.utils.set_random_seed(seed)
    mod.train(obj, data)
    value = float(mod.score(obj, data))
    return value if np.isfinite(value) else -1.0


def measure(name: str, budget: float) -> dict:
    """One item, in this process."""
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    from _api_worker import load, unwrap
    from priors import item_path

    import keras

    import autofix
    from autofix.training.arms import fresh_copy

    keras.utils.set_random_seed(0)
    mod = load(str(item_path(name)))
    data = mod.make_data()
    (x, y), (xt, yt) = data
    fit = dict(getattr(mod, "FIT", {}))
    start = time.perf_counter()
    result = autofix.fix(unwrap(mod.build_model()), x, y, fit_kwargs=fit, verify=True, budget=budget, seed=0,
                         force=True)
    evidence = result.verification
    out = {"item": name, "verify_seconds": round(time.perf_counter() - start, 1),
           "applied": bool(result.changed and not evidence.forced), "candidate": evidence.chosen,
           "codes": [f.code for f, _ in result.applied], "steps": evidence.steps}
    originals = []
    for seed in SEEDS:
        keras.utils.set_random_seed(seed)
        originals.append(_full_run(mod, mod.build_model(), data, seed))
    out["original"] = originals
    if not result.changed:
        return out
    candidate_data = data
    if int(result.model.outputs[0].shape[-1]) == 1 and getattr(y, "ndim", 1) == 2 and y.shape[1] == 2:
        candidate_data = ((x, y.argmax(-1).astype("float32")), (xt, yt.argmax(-1).astype("float32")))
    mod.FIT.update(result.fit_kwargs or {})
    repaired = []
    for seed in SEEDS:
        obj = mod.build_model()
        model = fresh_copy(result.model, seed)
        if isinstance(obj, keras.Model):
            obj = model
        else:
            obj.model = model
        repaired.append(_full_run(mod, obj, candidate_data, seed))
    out["repaired"] = repaired
    return out


def run_item(name: str, budget: float, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--item", name, "--budget", str(budget)]
    return json_child(cmd, "AGREEJSON", name, timeout)


def judge(res: dict, margin: float) -> bool | None:
    """Whether the verdict agrees with the full runs; None when there was no candidate (or an error)."""
    if "error" in res or "repaired" not in res:
        return None
    gain = sum(res["repaired"]) / len(res["repaired"]) - sum(res["original"]) / len(res["original"])
    res["full_gain"] = round(gain, 4)
    return gain >= margin if res["applied"] else gain < margin


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--item", help=argparse.SUPPRESS)
    ap.add_argument("--only", help="comma-separated items instead of the sample")
    ap.add_argument("--budget", type=float, default=30.0, help="verification budget per item (s), as run.py")
    ap.add_argument("--margin", type=float, default=0.02)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--out", type=Path, default=HERE / "results_agreement.json")
    args = ap.parse_args(argv)
    if args.item:
        print("AGREEJSON " + json.dumps(measure(args.item, args.budget)), flush=True)
        return
    sample = args.only.split(",") if args.only else SAMPLE
    start, results = time.perf_counter(), []
    print("| item | verdict (candidate) | short-run steps | full runs original -> candidate (seeds 0, 1) | "
          "full gain | agrees |\n|---|---|---|---|---|---|", flush=True)
    for name in sample:
        res = run_item(name, args.budget, args.timeout)
        res["agrees"] = judge(res, args.margin)
        results.append(res)
        if "error" in res:
            print(f"| {name} | error: {res['error'][:120]} | | | | |", flush=True)
            continue
        verdict = f"{'applied' if res['applied'] else 'not applied'} ({res['candidate'] or 'no candidate'})"
        scores = "/".join(f"{v:.3f}" for v in res["original"])
        if "repaired" in res:
            scores += " -> " + "/".join(f"{v:.3f}" for v in res["repaired"])
        gain = f"{res['full_gain']:+.3f}" if "full_gain" in res else "-"
        agrees = {True: "yes", False: "**no**", None: "not counted"}[res["agrees"]]
        print(f"| {name} | {verdict} | {res['steps']} | {scores} | {gain} | {agrees} |", flush=True)
    counted = [r for r in results if r["agrees"] is not None]
    agree = sum(bool(r["agrees"]) for r in counted)
    print(f"\nAgreement: {agree}/{len(counted)} verdicts agree with the full runs "
          f"({agree / max(len(counted), 1):.0%}); {len(results) - len(counted)} item(s) not counted; "
          f"budget {args.budget:g} s, margin {args.margin}, seeds {SEEDS}; {time.perf_counter() - start:.0f} s wall")
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
