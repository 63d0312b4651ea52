"""Measure the repair strategies' priors on the fault suite: which strategy cures which symptom.

    python benchmarks/faults/priors.py                 # the sample below, prints the table
    python benchmarks/faults/priors.py --write         # ... and writes autofix/strategies/_measured.py
    python benchmarks/faults/priors.py --only b04_binary_class__inputs_x1000 --steps 64

For each sampled faulty item (one subprocess each): the script's unrepaired model, its data and
``FIT``; the training probe and the rules as ``autofix.fix`` runs them; then the search's own
measuring round (:func:`autofix.verify.search.measure_strategies`): the original arm for ``--steps``
steps and, when it shows a triggering symptom (no learning, one class, diverging), every strategy
that applies to the symptoms seen, each as one arm with the same seed, training rows and steps,
judged as the search judges it (a gain above twice the noise margin, and no triggering symptom
left).  A strategy's try counts for every symptom the item showed (probe and arm); the table is
symptom x strategy -> cured / tried.  The held-out rows are 20% of the training data, as
``autofix.fix`` picks them without ``validation_data``.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import sys
import textwrap
import time
from pathlib import Path

from _child import json_child

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MEASURED = ROOT / "autofix" / "strategies" / "_measured.py"

#: Two items per family where the family has a fault a search strategy could plausibly cure (init,
#: activations, optimiser, regularisation, capacity, schedule, data), one head/loss and one regression
#: head fault no strategy is meant to cure (traps for the priors).
SAMPLE = [
    "b12_multilabel4_functional__zeros_kernel_hidden", "b04_binary_class__negative_bias_relu",
    "b07_multiclass4_builder__deep_sigmoid_stack", "b10_multiclass6_class_bn__relu_output_classifier",
    "b13_regression_mlp__adam_lr_1e-6", "b12_multilabel4_functional__adam_lr_0.5",
    "b15_regression_class__sgd_momentum_0.999", "r03_sgd_lr_weights_skyrocket",
    "b16_bounded_mlp__huge_l2", "r13_dropout_099",
    "b05_multiclass10_mlp__waist_2units", "b21_multilabel3_conv1d_class__few_filters",
    "b10_multiclass6_class_bn__bn_batch_size_1", "b04_binary_class__inputs_x1000",
    "b03_binary_conv1d__single_unit_softmax", "b13_regression_mlp__reg_head_sigmoid",
]
STEPS = 128


def item_path(name: str) -> Path:
    for folder in ("mutants", "real"):
        path = HERE / folder / f"{name}.py"
        if path.exists():
            return path
    raise SystemExit(f"no fault-suite item named {name!r} (looked in mutants/ and real/)")


def measure(name: str, steps: int, seed: int) -> dict:
    """One item, in this process: its symptoms and every strategy's trial."""
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    from _api_worker import load, unwrap

    import keras

    from autofix.live.diagnose import diagnose_live
    from autofix.rules import select_rules
    from autofix.training.arms import prepare_data
    from autofix.verify.search import measure_strategies

    keras.utils.set_random_seed(seed)
    mod = load(str(item_path(name)))
    (x, y), _ = mod.make_data()
    model = unwrap(mod.build_model())
    fit = dict(getattr(mod, "FIT", {}))
    start = time.perf_counter()
    spec, diagnosis = diagnose_live(model, x, y, fit, select_rules(), seed=seed, probe=True)
    data = prepare_data(x, y, None, seed=seed)
    report = measure_strategies(model, spec, diagnosis.findings, data, fit_kwargs=fit, steps=steps, seed=seed)
    rnd = report.rounds[0]
    return {"item": name, "symptoms": sorted(report.symptoms), "evidence": report.symptoms,
            "triggered": report.triggered, "original": rnd.original, "metric": data.metric,
            "rules": sorted({f.code for f in diagnosis.findings}), "notes": report.notes,
            "trials": [{"code": t.code, "score": t.score, "gain": t.gain, "margin": t.margin, "cured": t.cured,
                        "seconds": round(t.seconds, 2), "error": t.error, "still": t.symptoms}
                       for t in rnd.trials],
            "seconds": round(time.perf_counter() - start, 1)}


def run_item(name: str, steps: int, seed: int, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--item", name, "--steps", str(steps), "--seed", str(seed)]
    return json_child(cmd, "PRIORJSON", name, timeout)


def tally(results: list[dict]) -> dict[str, dict[str, list[int]]]:
    """symptom -> code -> [cured, tried] over the items that triggered."""
    cures: dict[str, dict[str, list[int]]] = {}
    for res in results:
        if not res.get("triggered"):
            continue
        for trial in res["trials"]:
            if trial["error"]:
                continue
            for symptom in res["symptoms"]:
                pair = cures.setdefault(symptom, {}).setdefault(trial["code"], [0, 0])
                pair[0] += int(trial["cured"])
                pair[1] += 1
    return {s: dict(sorted(row.items())) for s, row in sorted(cures.items())}


def table_lines(cures: dict) -> list[str]:
    codes = sorted({code for row in cures.values() for code in row})
    lines = ["| symptom | " + " | ".join(codes) + " |", "|---|" + "---|" * len(codes)]
    for symptom, row in cures.items():
        cells = [f"{row[c][0]}/{row[c][1]}" if c in row else "" for c in codes]
        lines.append(f"| {symptom} | " + " | ".join(cells) + " |")
    return lines


def item_lines(results: list[dict]) -> list[str]:
    lines = ["| item | symptoms | original | cured by |", "|---|---|---|---|"]
    for res in results:
        if "error" in res:
            lines.append(f"| {res['item']} | error: {res['error'][:80]} | | |")
            continue
        cured = ", ".join(f"{t['code']} ({t['score']:.3f})" for t in res["trials"] if t["cured"]) or \
            ("none" if res["triggered"] else "not triggered")
        lines.append(f"| {res['item']} | {', '.join(res['symptoms']) or '-'} | {res['original']:.3f} | {cured} |")
    return lines


def _literal(cures: dict) -> str:
    """``cures`` as a Python literal, one symptom per (wrapped) line."""
    lines = ["{"]
    for symptom, row in cures.items():
        lines.append(f'    "{symptom}": {{')
        for code, (cured, tried) in row.items():
            entry = f'"{code}": [{cured}, {tried}], '
            if len(lines[-1]) + len(entry) > 104:
                lines[-1] = lines[-1].rstrip()
                lines.append("        ")
            lines[-1] += entry
        lines[-1] = lines[-1].rstrip(", ") + "},"
    return "\n".join([*lines, "}"])


def write_measured(cures: dict, sample: list[str], steps: int) -> None:
    body = _literal(cures)
    names = textwrap.fill(", ".join(json.dumps(name) for name in sample), 100, initial_indent="    ",
                          subsequent_indent="    ", break_long_words=False, break_on_hyphens=False)
    MEASURED.write_text(
        '"""Cure counts of the repair strategies on the fault suite (written by ``benchmarks/faults/priors.py``).\n\n'
        "``CURES[symptom][code] = [cured, tried]``: on how many sampled items showing\n"
        "``symptom`` the strategy's arm cured it, of how many it was tried on.  Reviewed and committed;\n"
        "regenerate with ``python benchmarks/faults/priors.py --write``.\n"
        '"""\n\n'
        f"DATE = {_dt.date.today().isoformat()!r}\n"
        f"STEPS = {steps}\n"
        f"SAMPLE: list[str] = [\n{names},\n]\n"
        f"CURES: dict[str, dict[str, list[int]]] = {body}\n", encoding="utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--item", help=argparse.SUPPRESS)  # one item, in this process (the subprocess mode)
    ap.add_argument("--only", help="comma-separated items instead of the sample")
    ap.add_argument("--steps", type=int, default=STEPS)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=420)
    ap.add_argument("--write", action="store_true", help="write autofix/strategies/_measured.py")
    ap.add_argument("--out", type=Path, default=HERE / "results_priors.json")
    args = ap.parse_args(argv)
    if args.item:
        print("PRIORJSON " + json.dumps(measure(args.item, args.steps, args.seed)), flush=True)
        return
    sample = args.only.split(",") if args.only else SAMPLE
    start, results = time.perf_counter(), []
    for name in sample:
        res = run_item(name, args.steps, args.seed, args.timeout)
        results.append(res)
        cured = [t["code"] for t in res.get("trials", []) if t["cured"]]
        print(f"{name}: {res.get('error') or ', '.join(res['symptoms']) or 'no symptom'}"
              f"{'' if res.get('triggered') else ' (not triggered)'}; cured by {cured or 'none'} "
              f"[{res.get('wall', 0):.0f} s]", flush=True)
    cures = tally(results)
    wall = time.perf_counter() - start
    head = (f"Run: {_dt.datetime.now():%Y-%m-%d %H:%M}, {len(sample)} items, {args.steps} steps per arm, seed "
            f"{args.seed}, {os.cpu_count()} CPUs, Python {platform.python_version()}; {wall:.0f} s wall; "
            f"{sum(bool(r.get('triggered')) for r in results)} items triggered the search")
    print("\n".join([head, "", *table_lines(cures), "", *item_lines(results)]))
    args.out.write_text(json.dumps({"head": head, "cures": cures, "items": results}, indent=1), encoding="utf-8")
    if args.write:
        write_measured(cures, sample, args.steps)
        print(f"wrote {MEASURED.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
