"""Fault-suite harness: how well autofix detects and repairs the suite's faults, per family.

    python benchmarks/faults/run.py                  # bases + kept mutants + real faults
    python benchmarks/faults/run.py --quick          # 1 mutant per family and 2 bases
    python benchmarks/faults/run.py --family optimizer --family data
    python benchmarks/faults/run.py --only b01_binary_mlp__adam_lr_1e-6,r01_single_unit_softmax_bits
    python benchmarks/faults/run.py --no-repair      # detection only (fast: no training)

Items: the bases (``bases/*.py``: every finding is a false alarm, every repair that lowers the score
is harm), the kept mutants of ``manifest.json`` (oracle: their base) and the real-fault
reproductions (``real/rNN_*.py``; oracle: the sibling ``.fixed.py``). Fault and oracle scores
come from the manifest (seed 0; ``python benchmarks/faults/mutate.py [--real]`` fills it) and are
measured here when missing.

Per item, each step in its own subprocess with a timeout:

1. static detection: ``autofix-src ITEM --format json`` reports any finding;
2. API detection: ``autofix.diagnose(model, x, y, fit_kwargs=FIT)`` on the script's model and data;
3. source repair: ``autofix-src COPY --fix --unsafe-fixes --verify`` on a copy, then the rewritten
   copy is run (SEED=0); *strict repair* when its SCORE >= 0.9 x the oracle's score. Findings that
   only the ``--verify`` run reports (data rules) count as "detected with --verify";
4. API repair: ``autofix.fix(model, x, y, fit_kwargs=FIT, verify=True)``, the repaired model is
   trained with ``FIT | result.fit_kwargs`` by the script's ``train`` and scored by its ``score``;
   strict repair as above;
3b. source repair without ``--verify`` (``--fix --unsafe-fixes``, then the rewritten copy runs), for
   items with a static finding: what the rewrite alone achieves (``--verify`` writes only confirmed fixes).

Results go to ``results.json`` (every item, with codes, scores, times and any autofix error) and
the tables between the ``<!-- detection:... -->`` (with ``--no-repair``) or ``<!-- repair:... -->``
markers of ``README.md``. API detection runs batched (one process per 25 scripts).
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as _dt
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import mutate  # noqa: E402  (same folder)

README = HERE / "README.md"
RESULTS = HERE / "results.json"
STRICT = 0.9          # repaired score >= STRICT x oracle score
HARM_MARGIN = 0.02    # a changed base scoring more than this below its own score is harmed
SECTION = "results"


def env(seed=0):
    e = mutate.env()
    e["SEED"] = str(seed)
    return e


def autofix_src():
    exe = Path(sys.executable).with_name("autofix-src")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "autofix.cli.src"]


def run(cmd, timeout, cwd=None):
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env(), cwd=cwd)
        return p.returncode, p.stdout, p.stderr, time.perf_counter() - t0
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return "timeout", out, err, time.perf_counter() - t0


def parse_json_list(text):
    """The JSON array autofix-src prints (findings); None when there is none."""
    text = text.strip()
    start = text.find("[")
    if start < 0:
        return None
    try:
        return json.loads(text[start:])
    except json.JSONDecodeError:
        dec = json.JSONDecoder()
        try:
            val, _ = dec.raw_decode(text[start:])
            return val
        except json.JSONDecodeError:
            return None


def script_score(path, timeout, cwd=None):
    rc, out, err, secs = run([sys.executable, str(path)], timeout, cwd=cwd or path.parent)
    lines = [ln for ln in out.strip().splitlines() if ln.strip()]
    if lines and lines[-1].startswith("SCORE="):
        try:
            v = float(lines[-1].split("=", 1)[1])
            return (v if math.isfinite(v) else None), secs, None
        except ValueError:
            pass
    return None, secs, (err or out)[-1500:] or f"rc={rc}"


def worker(mode, path, args):
    cmd = [sys.executable, str(HERE / "_api_worker.py"), mode, str(path), "--budget", str(args.verify_budget)]
    rc, out, err, secs = run(cmd, args.timeout, cwd=path.parent)
    for line in reversed(out.splitlines()):
        if line.startswith("AFJSON "):
            res = json.loads(line[7:])
            res["wall"] = round(secs, 2)
            return res
    return {"error": f"worker failed (rc={rc})", "traceback": (err or out)[-3000:], "wall": round(secs, 2)}


def diagnose_batch(paths, args, chunk=25):
    """autofix.diagnose on many scripts, one process per chunk (one Keras import instead of one per script)."""
    found = {}
    for i in range(0, len(paths), chunk):
        part = paths[i:i + chunk]
        cmd = [sys.executable, str(HERE / "_api_worker.py"), "diagnose", *map(str, part)]
        rc, out, err, secs = run(cmd, args.timeout + 20 * len(part), cwd=HERE)
        for line in out.splitlines():
            if line.startswith("AFJSON "):
                res = json.loads(line[7:])
                res["wall"] = res.get("seconds")
                found[res["script"]] = res
        for p in part:
            found.setdefault(str(p), {"error": f"batch worker failed (rc={rc})", "traceback": (err or out)[-3000:]})
    return found


def codes(findings):
    return sorted({f.get("rule") or f.get("code") for f in findings or []})


# --------------------------------------------------------------------------- items


def load_items(args):
    man = mutate.load_manifest()
    items = []
    for path in sorted((HERE / "bases").glob("b*.py")):
        rec = man["bases"].get(path.stem, {})
        s = rec.get("scores", {}).get("0")
        items.append({"name": path.stem, "kind": "base", "family": "base", "path": path,
                      "fault_score": s, "oracle_score": s, "oracle_path": path})
    for rec in man["mutants"]:
        path = HERE / rec["path"]
        if not path.exists():
            continue
        items.append({"name": rec["name"], "kind": "mutant", "family": rec["family"], "operator": rec["operator"],
                      "path": path, "fault_score": rec["mutant_scores"].get("0"),
                      "oracle_score": rec["base_scores"].get("0"), "oracle_path": HERE / "bases" / f"{rec['base']}.py"})
    for path in sorted((HERE / "real").glob("r*.py")):
        if path.name.endswith(".fixed.py"):
            continue
        rec = man.get("real", {}).get(path.stem, {})
        fam = re.search(r"^# family: (\w+)", path.read_text(), flags=re.M)
        items.append({"name": path.stem, "kind": "real", "family": fam.group(1) if fam else "unknown", "path": path,
                      "fault_score": rec.get("fault_scores", {}).get("0"),
                      "oracle_score": rec.get("oracle_scores", {}).get("0"),
                      "oracle_path": path.with_name(path.stem + ".fixed.py")})
    for it in items:  # nan in the manifest -> unknown
        for k in ("fault_score", "oracle_score"):
            if it[k] is not None and not math.isfinite(it[k]):
                it[k] = None
    if args.only:
        wanted = {w.strip() for w in args.only.split(",") if w.strip()}
        items = [it for it in items if it["name"] in wanted]
    if args.family:
        items = [it for it in items if it["family"] in args.family or (it["kind"] == "base" and "base" in args.family)]
    if args.skip_bases:
        items = [it for it in items if it["kind"] != "base"]
    if args.skip_real:
        items = [it for it in items if it["kind"] != "real"]
    if args.skip_mutants:
        items = [it for it in items if it["kind"] != "mutant"]
    if args.quick:  # one mutant per family, the first 2 bases, real faults only with --family/--only
        seen, quick = set(), []
        nbase = 0
        for it in items:
            if it["kind"] == "base":
                if nbase < 2:
                    quick.append(it)
                    nbase += 1
            elif it["kind"] == "mutant" and it["family"] not in seen:
                seen.add(it["family"])
                quick.append(it)
            elif it["kind"] == "real" and (args.family or args.only):
                quick.append(it)
        items = quick
    return items


def evaluate(it, args, log, diag=None):
    t_item = time.perf_counter()
    path = it["path"]
    r = {k: (str(v.relative_to(HERE)) if isinstance(v, Path) else v) for k, v in it.items()}
    # scores (measured when the manifest lacks them)
    if it["fault_score"] is None:
        r["fault_score"], _, r["fault_error"] = script_score(path, args.timeout)
    if it["oracle_score"] is None:
        r["oracle_score"] = r["fault_score"] if it["kind"] == "base" else script_score(it["oracle_path"], args.timeout)[0]
    # 1. static
    rc, out, err, secs = run(autofix_src() + [str(path), "--format", "json"], args.timeout)
    found = parse_json_list(out)
    r["static"] = {"codes": codes(found), "severities": sorted({f.get("severity") for f in found or []}),
                   "seconds": round(secs, 2), "rc": rc}
    if found is None:
        r["static"]["error"] = (err or out)[-1500:]
    r["static_detected"] = bool(found)
    # 2. API diagnose
    d = (diag or {}).get(str(path)) or worker("diagnose", path, args)
    r["api"] = {"codes": sorted({f["code"] for f in d.get("findings", [])}),
                "severities": sorted({f["severity"] for f in d.get("findings", [])}),
                "seconds": d.get("wall"), "error": d.get("error"), "traceback": d.get("traceback")}
    r["api_detected"] = bool(d.get("findings"))
    if not args.no_repair:
        # 3. source repair
        with tempfile.TemporaryDirectory(prefix="faultsuite_") as tmp:
            copy = Path(tmp) / path.name
            shutil.copy(path, copy)
            before = copy.read_text()
            cmd = autofix_src() + [str(copy), "--fix", "--unsafe-fixes", "--verify",
                                   "--verify-budget", str(args.src_verify_budget), "--format", "json"]
            rc, out, err, secs = run(cmd, args.timeout, cwd=tmp)
            found = parse_json_list(out)
            changed = copy.read_text() != before
            src = {"rc": rc, "seconds": round(secs, 2), "changed": changed, "codes": codes(found),
                   "verdict": "\n".join(ln for ln in err.splitlines()
                                        if not ln.startswith(("WARNING", "I0000")))[-800:]}
            if found is None and rc not in (0, 1):
                src["error"] = (err or out)[-2000:]
            if "Traceback" in err:
                src["error"] = err[-2000:]
            if changed:
                import difflib

                diff = difflib.unified_diff(before.splitlines(), copy.read_text().splitlines(), lineterm="", n=0)
                src["diff"] = "\n".join(list(diff)[2:40])
                score, s2, e2 = script_score(copy, args.timeout, cwd=tmp)
                src["score"], src["run_seconds"] = score, round(s2, 2)
                if e2:
                    src["run_error"] = e2
            else:
                src["score"] = r["fault_score"]
        r["src"] = src
        r["src_verify_detected"] = r["static_detected"] or bool(found)
        # 3b. source repair without --verify (what the rewrite alone does; --verify writes only confirmed fixes)
        if r["static_detected"]:
            with tempfile.TemporaryDirectory(prefix="faultsuite_") as tmp:
                copy = Path(tmp) / path.name
                shutil.copy(path, copy)
                before = copy.read_text()
                rc, out, err, secs = run(autofix_src() + [str(copy), "--fix", "--unsafe-fixes", "--format", "json"],
                                         args.timeout, cwd=tmp)
                nv = {"rc": rc, "seconds": round(secs, 2), "changed": copy.read_text() != before}
                if "Traceback" in err:
                    nv["error"] = err[-2000:]
                if nv["changed"]:
                    score, s2, e2 = script_score(copy, args.timeout, cwd=tmp)
                    nv["score"], nv["run_seconds"] = score, round(s2, 2)
                    if e2:
                        nv["run_error"] = e2
                else:
                    nv["score"] = r["fault_score"]
        else:
            nv = {"changed": False, "score": r["fault_score"], "seconds": 0.0}
        r["src_noverify"] = nv
        # 4. API repair
        f = worker("fix", path, args)
        api_fix = {"changed": f.get("changed", False), "applied": f.get("applied", []), "notes": f.get("notes", []),
                   "fit_kwargs": f.get("fit_kwargs"), "seconds": f.get("wall"), "error": f.get("error"),
                   "traceback": f.get("traceback"), "labels_converted": f.get("labels_converted", False)}
        api_fix["score"] = f.get("score") if f.get("changed") else r["fault_score"]
        r["api_fix"] = api_fix
        oracle = r["oracle_score"]
        for key, res in (("src", r["src"]), ("src_noverify", r["src_noverify"]), ("api_fix", r["api_fix"])):
            s = res.get("score")
            res["strict"] = bool(s is not None and oracle is not None and s >= STRICT * oracle)
            res["gain"] = (s - r["fault_score"]) if (s is not None and r["fault_score"] is not None) else None
            if it["kind"] == "base":
                res["harm"] = bool(res.get("changed") and (s is None or s < r["fault_score"] - HARM_MARGIN))
    r["seconds"] = round(time.perf_counter() - t_item, 2)
    log(summary_line(r))
    return r


def summary_line(r):
    def fmt(v):
        return "  -  " if v is None else f"{v:5.3f}"
    parts = [f"{r['kind']:6s} {r['family']:15s} {r['name'][:58]:58s}",
             f"fault {fmt(r.get('fault_score'))} oracle {fmt(r.get('oracle_score'))}",
             f"static {'Y' if r['static_detected'] else '.'} {','.join(r['static']['codes'])[:30]:30s}",
             f"api {'Y' if r['api_detected'] else '.'} {','.join(r['api']['codes'])[:30]:30s}"]
    if "src" in r:
        parts.append(f"src {fmt(r['src'].get('score'))}{'*' if r['src']['strict'] else ' '}"
                     f" nv {fmt(r['src_noverify'].get('score'))}{'*' if r['src_noverify']['strict'] else ' '}"
                     f" api {fmt(r['api_fix'].get('score'))}{'*' if r['api_fix']['strict'] else ' '}")
    parts.append(f"{r['seconds']:5.0f}s")
    errs = [k for k in ("static", "api", "src", "src_noverify", "api_fix") if isinstance(r.get(k), dict) and r[k].get("error")]
    if errs:
        parts.append("ERR:" + ",".join(errs))
    return " | ".join(parts)


# --------------------------------------------------------------------------- tables


def pct(n, d):
    return "-" if d == 0 else f"{100.0 * n / d:.0f}% ({n}/{d})"


def mean(vals):
    vals = [v for v in vals if v is not None]
    return "-" if not vals else f"{sum(vals) / len(vals):+.3f}"


def tables(results, meta, section=SECTION):
    START, END = f"<!-- {section}:start -->", f"<!-- {section}:end -->"
    faults = [r for r in results if r["kind"] != "base"]
    bases = [r for r in results if r["kind"] == "base"]
    repaired = any("src" in r for r in results)
    fams = [f for f in mutate.FAMILIES if any(r["family"] == f for r in faults)]
    fams += sorted({r["family"] for r in faults} - set(fams))
    lines = [START, "",
             f"Run: {meta['when']}, {meta['mode']}, {meta['host']}; {len(faults)} faulty scripts "
             f"({sum(r['kind'] == 'mutant' for r in faults)} mutants, {sum(r['kind'] == 'real' for r in faults)} real), "
             f"{len(bases)} bases; {meta['seconds']:.0f} s wall.", ""]
    head = "| family | items | static detect | API detect | src `--verify` detect |"
    sep = "|---|---|---|---|---|"
    if repaired:
        head += (" src strict repair (`--verify`) | src strict repair (no verify) | API strict repair |"
                 " mean gain src / no-verify / API | s/item |")
        sep += "---|---|---|---|---|"
    lines += [head, sep]

    def row(name, rs):
        n = len(rs)
        cells = [name, str(n), pct(sum(r["static_detected"] for r in rs), n), pct(sum(r["api_detected"] for r in rs), n),
                 pct(sum(r.get("src_verify_detected", r["static_detected"]) for r in rs), n) if repaired else "-"]
        if repaired:
            cells += [pct(sum(r["src"]["strict"] for r in rs), n), pct(sum(r["src_noverify"]["strict"] for r in rs), n),
                      pct(sum(r["api_fix"]["strict"] for r in rs), n),
                      " / ".join(mean([r[k]["gain"] for r in rs]) for k in ("src", "src_noverify", "api_fix")),
                      f"{sum(r['seconds'] for r in rs) / max(n, 1):.0f}"]
        return "| " + " | ".join(cells) + " |"

    for fam in fams:
        lines.append(row(mutate.FAMILIES.get(fam, fam), [r for r in faults if r["family"] == fam]))
    if faults:
        lines.append(row("**all faults**", faults))
        for kind in ("mutant", "real"):
            sub = [r for r in faults if r["kind"] == kind]
            if sub:
                lines.append(row(f"  {kind}s only", sub))
    if bases:
        n = len(bases)
        fa_s = sum(r["static_detected"] for r in bases)
        fa_a = sum(r["api_detected"] for r in bases)
        fa_sw = sum(r["static_detected"] and set(r["static"]["severities"]) - {"info"} != set() for r in bases)
        fa_aw = sum(r["api_detected"] and set(r["api"]["severities"]) - {"info"} != set() for r in bases)
        lines += ["", "Bases (correct scripts):", "",
                  "| | static | API | src repair (`--verify`) | src repair (no verify) | API repair |",
                  "|---|---|---|---|---|---|",
                  f"| false alarm (any finding) | {pct(fa_s, n)} | {pct(fa_a, n)} | | | |",
                  f"| false alarm (error/warning) | {pct(fa_sw, n)} | {pct(fa_aw, n)} | | | |"]
        if repaired:
            lines.append(f"| changed by repair | | | {pct(sum(r['src']['changed'] for r in bases), n)} | "
                         f"{pct(sum(r['src_noverify']['changed'] for r in bases), n)} | "
                         f"{pct(sum(bool(r['api_fix']['changed']) for r in bases), n)} |")
            lines.append(f"| harm (score drops > {HARM_MARGIN}) | | | {pct(sum(r['src']['harm'] for r in bases), n)} | "
                         f"{pct(sum(r['src_noverify']['harm'] for r in bases), n)} | "
                         f"{pct(sum(r['api_fix']['harm'] for r in bases), n)} |")
    crashes = [(r["name"], k) for r in results for k in ("static", "api", "src", "src_noverify", "api_fix")
               if isinstance(r.get(k), dict) and r[k].get("error")]
    lines += ["", f"autofix errors/crashes: {len(crashes)}" + (": " + ", ".join(f"{n} ({k})" for n, k in crashes[:20]) if crashes else ""),
              "", "<details><summary>Per item</summary>", "",
              "| item | kind | family | fault | oracle | static codes | API codes | src repair | src no-verify | API repair (applied) |",
              "|---|---|---|---|---|---|---|---|---|---|"]

    def f3(v):
        return "-" if v is None else f"{v:.3f}"
    for r in results:
        sr = "-" if "src" not in r else f"{f3(r['src'].get('score'))}{' ✓' if r['src']['strict'] else ''}"
        nr = "-" if "src_noverify" not in r else f"{f3(r['src_noverify'].get('score'))}{' ✓' if r['src_noverify']['strict'] else ''}"
        ar = "-" if "api_fix" not in r else (f"{f3(r['api_fix'].get('score'))}{' ✓' if r['api_fix']['strict'] else ''}"
                                             f" ({' '.join(r['api_fix'].get('applied') or []) or 'none'})")
        lines.append(f"| {r['name']} | {r['kind']} | {r['family']} | {f3(r.get('fault_score'))} | {f3(r.get('oracle_score'))} | "
                     f"{' '.join(r['static']['codes']) or '-'} | {' '.join(r['api']['codes']) or '-'} | {sr} | {nr} | {ar} |")
    lines += ["", "</details>", "", END]
    return "\n".join(lines)


def write_readme(table, section=SECTION):
    START, END = f"<!-- {section}:start -->", f"<!-- {section}:end -->"
    text = README.read_text() if README.exists() else f"# Fault suite\n\n{START}\n{END}\n"
    if START in text and END in text:
        a, b = text.index(START), text.index(END) + len(END)
        text = text[:a] + table + text[b:]
    else:
        text += "\n" + table + "\n"
    README.write_text(text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1 mutant per family and 2 bases (+ real faults with --family/--only)")
    ap.add_argument("--family", action="append", help="only this family (repeatable; 'base' for the bases)")
    ap.add_argument("--only", help="comma-separated item names")
    ap.add_argument("--jobs", type=int, default=1, help="items evaluated in parallel (default 1)")
    ap.add_argument("--no-repair", action="store_true", help="detection only")
    ap.add_argument("--skip-bases", action="store_true")
    ap.add_argument("--skip-real", action="store_true")
    ap.add_argument("--skip-mutants", action="store_true")
    ap.add_argument("--verify-budget", type=float, default=30.0, help="autofix.fix(verify=True) budget, s (default 30)")
    ap.add_argument("--src-verify-budget", type=float, default=60.0, help="autofix-src --verify-budget, s (default 60)")
    ap.add_argument("--timeout", type=float, default=400.0, help="per subprocess, s (default 400)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="results JSON (default results.json)")
    ap.add_argument("--no-readme", action="store_true", help="do not rewrite the README tables")
    ap.add_argument("--section", default=None,
                    help="README section to rewrite (default: 'detection' with --no-repair, else 'repair')")
    args = ap.parse_args(argv)
    items = load_items(args)
    print(f"{len(items)} items", flush=True)
    t0 = time.perf_counter()
    results = []
    diag = diagnose_batch([it["path"] for it in items], args) if len(items) > 1 else None
    with cf.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futs = [pool.submit(evaluate, it, args, lambda s: print(s, flush=True), diag) for it in items]
        for fut in futs:
            results.append(fut.result())
    mode = "--quick" if args.quick else ("filtered" if (args.only or args.family) else "full")
    if args.no_repair:
        mode += ", --no-repair"
    meta = {"when": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "mode": mode,
            "host": f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
            "seconds": time.perf_counter() - t0, "strict": STRICT, "harm_margin": HARM_MARGIN,
            "verify_budget": args.verify_budget, "src_verify_budget": args.src_verify_budget}
    args.out.write_text(json.dumps({"meta": meta, "items": results}, indent=1, default=str) + "\n")
    section = args.section or ("detection" if args.no_repair else "repair")
    table = tables(results, meta, section)
    print(table)
    if not args.no_readme:
        write_readme(table, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
