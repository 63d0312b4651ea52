"""autofix-src on the keras-team/keras examples: crashes, Keras 1 names left, idempotence,
findings on correct code, check-mode speed.

Usage (from the repository root, venv active, after fetch_corpus.py)::

    python benchmarks/keras_corpus/run.py                    # Markdown summary on stdout
    python benchmarks/keras_corpus/run.py --json out.json    # also every figure as JSON
    python benchmarks/keras_corpus/run.py --rounds 9 --jobs 4

Everything runs on copies under ``work/`` (recreated each run); ``corpus/`` is
never written.  ``autofix-src`` is driven through its command line only (one
subprocess per file and mode, ``--isolated`` so no configuration file is read),
so the benchmark does not depend on autofix's internal modules.

Measured:

1. **crashes** - in check, ``--diff`` and ``--fix --unsafe-fixes`` mode, a file
   whose run exits with a code other than 0/1, or prints ``internal error`` or
   a ``Traceback``; exit 2 on a file that ``ast.parse`` also rejects is listed
   apart as a parse error (the documented behaviour).  A crashed run is retried
   once; one that does not reproduce is listed as *flaky*, not counted;
2. **Keras 1 names left** - :mod:`legacy_names` patterns counted before and after
   ``--fix --unsafe-fixes`` (comments and strings ignored);
3. **after --fix** - every fixed file must ``ast.parse``; then a check with
   ``--format json --unsafe-fixes`` (files with a finding whose ``fixable`` is
   true) and a second ``--fix --unsafe-fixes`` (files it still changes): both
   should be zero;
4. **findings on correct code** - check mode on ``2.3.1`` and ``keras3``;
5. **check-mode speed** - see :func:`speed`.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import legacy_names  # noqa: E402

CORPUS = HERE / "corpus"
WORK = HERE / "work"
LEGACY_TAG = "1.2.2"
CORRECT_TAGS = ("2.3.1", "keras3")


def autofix_cmd() -> list[str]:
    exe = shutil.which("autofix-src")
    if exe:
        return [exe]
    return [sys.executable, "-c", "from autofix.cli.src import main; main()"]


def run_cli(args: list[str], cwd: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.run([*autofix_cmd(), "--isolated", *args], cwd=cwd, capture_output=True, text=True)
    return {"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
            "seconds": time.perf_counter() - start}


def run_checked(args: list[str], cwd: Path, restore: tuple[Path, Path] | None = None) -> dict:
    """run_cli, retried once when it crashed: a crash that does not reproduce is kept as ``flaky``
    (seen while autofix's own modules were being edited under us: an ImportError mid-run)."""
    res = run_cli(args, cwd)
    if crashed(res):
        if restore is not None:  # a --fix run: start the retry from the original file again
            shutil.copyfile(*restore)
        again = run_cli(args, cwd)
        if not crashed(again):
            again["flaky"] = last_error_line(res)
        return again
    return res


def crashed(res: dict) -> bool:
    text = res["stdout"] + res["stderr"]
    return res["rc"] not in (0, 1) or "internal error" in text.lower() or "Traceback (most recent call last)" in text


def last_error_line(res: dict) -> str:
    for stream in (res["stderr"], res["stdout"]):
        lines = [line for line in stream.splitlines() if line.strip()]
        if lines:
            return lines[-1].strip()
    return f"exit {res['rc']}, no output"


def parses(text: str) -> str | None:
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return f"{exc.msg} (line {exc.lineno})"
    return None


def copy_tree(src: Path, dst: Path) -> None:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)


def pmap(fn, items, jobs):
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(fn, items))


# ---------------------------------------------------------------------------------------
def names(files: dict[str, str]) -> dict:
    """Per pattern: total occurrences and per-file lines, over {relpath: text}."""
    per_pattern: Counter = Counter()
    where: dict[str, list[str]] = {}
    errors = {}
    for rel, text in files.items():
        hits, err = legacy_names.count(text)
        if err:
            errors[rel] = err
        for name, lines in hits.items():
            per_pattern[name] += len(lines)
            where.setdefault(name, []).extend(f"{rel}:{n}" for n in lines)
    kinds = {p.name: p.kind for p in legacy_names.PATTERNS}
    totals = {kind: sum(v for k, v in per_pattern.items() if kinds[k] == kind)
              for kind in ("k1", "k2", "backend", "info")}
    return {"per_pattern": dict(per_pattern), "where": where, "totals": totals,
            "counted": totals["k1"] + totals["k2"], "tokenize_errors": errors}


def findings_of(stdout: str) -> list[dict]:
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        return []
    return data if isinstance(data, list) else data.get("findings", [])


def process_tag(tag: str, jobs: int) -> dict:
    src = CORPUS / tag
    files = sorted(p.relative_to(src).as_posix() for p in src.rglob("*.py"))
    texts = {f: (src / f).read_text(encoding="utf-8") for f in files}
    parse_errors = {f: e for f, e in ((f, parses(t)) for f, t in texts.items()) if e}
    modes = {"check": ["--format", "json"], "diff": ["--diff"], "fix": ["--fix", "--unsafe-fixes"]}
    for mode in modes:
        copy_tree(src, WORK / mode / tag)
    out: dict = {"tag": tag, "files": len(files), "lines": sum(t.count("\n") + 1 for t in texts.values()),
                 "parse_errors_before": parse_errors, "crashes": [], "parse_error_exits": [], "flaky": []}

    results: dict[str, dict[str, dict]] = {}
    for mode, flags in modes.items():
        base = WORK / mode
        restore = (lambda f: (src / f, base / tag / f)) if mode == "fix" else (lambda f: None)
        res = pmap(lambda f: run_checked([f"{tag}/{f}", *flags], base, restore(f)), files, jobs)
        results[mode] = dict(zip(files, res))
        for f, r in results[mode].items():
            if "flaky" in r:
                out["flaky"].append({"mode": mode, "path": f"{tag}/{f}", "error": r["flaky"]})
            if crashed(r):
                entry = {"mode": mode, "path": f"{tag}/{f}", "rc": r["rc"], "error": last_error_line(r)}
                bucket = "parse_error_exits" if (r["rc"] == 2 and f in parse_errors
                                                 and "Traceback" not in r["stdout"] + r["stderr"]) else "crashes"
                out[bucket].append(entry)

    # findings in check mode
    out["findings"] = []
    for f in files:
        for d in findings_of(results["check"][f]["stdout"]):
            out["findings"].append({k: d.get(k) for k in ("path", "line", "col", "rule", "severity", "message",
                                                         "fixable", "applicability")})
    out["rule_counts"] = dict(Counter(d["rule"] for d in out["findings"]))
    out["files_with_diff"] = sum(1 for f in files if results["diff"][f]["stdout"].startswith(("---", "diff")))

    # after --fix
    fixed_dir = WORK / "fix" / tag
    fixed = {f: (fixed_dir / f).read_text(encoding="utf-8") for f in files}
    out["files_changed_by_fix"] = sum(1 for f in files if fixed[f] != texts[f])
    out["unparsable_after_fix"] = {f: e for f in files if (e := parses(fixed[f])) and f not in parse_errors}
    out["names_before"] = names(texts)
    out["names_after"] = names(fixed)

    post = pmap(lambda f: run_checked([f"{tag}/{f}", "--format", "json", "--unsafe-fixes"], WORK / "fix"), files, jobs)
    pending_fixable = {}
    for f, r in zip(files, post):
        fx = [d for d in findings_of(r["stdout"]) if d.get("fixable")]
        if fx:
            pending_fixable[f] = [f"{d['line']}: {d['rule']} {d['message'][:90]}" for d in fx]
    copy_tree(fixed_dir, WORK / "fix2" / tag)
    second = pmap(lambda f: run_checked([f"{tag}/{f}", "--fix", "--unsafe-fixes"], WORK / "fix2",
                                        (fixed_dir / f, WORK / "fix2" / tag / f)), files, jobs)
    for f, r in zip(files, second):
        if crashed(r):
            out["crashes"].append({"mode": "fix (2nd run)", "path": f"{tag}/{f}", "rc": r["rc"],
                                   "error": last_error_line(r)})
    changed2 = [f for f in files if (WORK / "fix2" / tag / f).read_text(encoding="utf-8") != fixed[f]]
    out["pending_after_fix"] = {"fixable_findings": pending_fixable, "changed_by_second_fix": changed2,
                                "files": sorted(set(pending_fixable) | set(changed2))}
    out["remaining_after_fix"] = sum(len(findings_of(r["stdout"])) for r in post)
    return out


# ---------------------------------------------------------------------------------------
def speed(tags: list[str], rounds: int) -> dict:
    """Check-mode time over the corpus / ``ast.parse`` time over the same files.

    * **in-process** (the headline figure): ``autofix.cli.src.cli.main([...all files...],
      standalone_mode=False)`` with stdout/stderr sent to /dev/null, after one warm-up call
      (imports done), against ``ast.parse`` of every file (read from disk, like the CLI);
      the best of ``rounds`` interleaved rounds of each;
    * **subprocess**: ``autofix-src --isolated --exit-zero <all files>`` minus the same command
      on one empty file (interpreter + import start-up), median of ``rounds``.
    """
    paths = [str(p) for tag in tags for p in sorted((CORPUS / tag).rglob("*.py"))]
    parsable = [p for p in paths if parses(Path(p).read_text(encoding="utf-8")) is None]
    lines = sum(Path(p).read_text(encoding="utf-8").count("\n") + 1 for p in parsable)
    args = ["--isolated", "--exit-zero", "--jobs", "1", *parsable]  # one core, like ast.parse
    result: dict = {"files": len(parsable), "lines": lines, "rounds": rounds}

    def t_ast():
        start = time.perf_counter()
        for p in parsable:
            ast.parse(Path(p).read_text(encoding="utf-8"), p)
        return time.perf_counter() - start

    try:
        from autofix.cli.src import cli  # the console script's click command
    except ImportError as exc:  # internals moving: fall back to the subprocess figure
        cli, result["in_process_error"] = None, f"{type(exc).__name__}: {exc}"

    def t_cli():
        saved = sys.stdout, sys.stderr
        with open(os.devnull, "w") as null:
            sys.stdout = sys.stderr = null
            start = time.perf_counter()
            try:
                cli.main(args, prog_name="autofix-src", standalone_mode=False)
            except SystemExit:
                pass
            finally:
                elapsed = time.perf_counter() - start
                sys.stdout, sys.stderr = saved
        return elapsed

    if cli is not None:
        t_cli()
        ta, tc = [], []
        for _ in range(rounds):
            ta.append(t_ast())
            tc.append(t_cli())
        result.update(ast_parse_s=min(ta), check_s=min(tc), ratio_in_process=min(tc) / min(ta))

    empty = WORK / "empty.py"
    empty.parent.mkdir(parents=True, exist_ok=True)
    empty.write_text("")
    cmd = autofix_cmd()
    full, start_up, ta = [], [], []
    for _ in range(rounds):
        for bucket, argv in ((start_up, ["--isolated", "--exit-zero", str(empty)]), (full, args)):
            t0 = time.perf_counter()
            subprocess.run([*cmd, *argv], capture_output=True)
            bucket.append(time.perf_counter() - t0)
        ta.append(t_ast())
    net = statistics.median(full) - statistics.median(start_up)
    result.update(subprocess_total_s=statistics.median(full), subprocess_startup_s=statistics.median(start_up),
                  subprocess_net_s=net, ast_parse_s_subprocess_rounds=min(ta),
                  ratio_subprocess=net / min(ta))
    return result


# ---------------------------------------------------------------------------------------
def own_scripts(jobs: int) -> list[dict]:
    own = HERE / "own"
    files = sorted(p.name for p in own.glob("*.py"))
    res = pmap(lambda f: run_checked([f, "--format", "json", "--unsafe-fixes"], own), files, jobs)
    rows = []
    for f, r in zip(files, res):
        fs = findings_of(r["stdout"])
        rows.append({"file": f, "rc": r["rc"], "crash": crashed(r), "rules": dict(Counter(d["rule"] for d in fs)),
                     "findings": [f"{d['line']}: {d['rule']} {d['message'][:110]}" for d in fs]})
    return rows


# ---------------------------------------------------------------------------------------
def md_table(header: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(out)


def render(report: dict) -> str:
    tags = report["tags"]
    o = ["# autofix-src on keras-team/keras examples", ""]
    o.append(md_table(["tag", "files", "lines", "check findings", "crashes", "files changed by --fix",
                       "unparsable after --fix", "pending after --fix", "names (k1+k2) before -> after"],
                      [[t["tag"], t["files"], t["lines"], len(t["findings"]), len(t["crashes"]),
                        t["files_changed_by_fix"], len(t["unparsable_after_fix"]), len(t["pending_after_fix"]["files"]),
                        f"{t['names_before']['counted']} -> {t['names_after']['counted']}"] for t in tags.values()]))
    o += ["", "## Crashes (exit not 0/1, 'internal error' or a traceback)", ""]
    crashes = [c for t in tags.values() for c in t["crashes"]]
    o.append(md_table(["mode", "path", "rc", "last error line"],
                      [[c["mode"], c["path"], c["rc"], c["error"][:160]] for c in crashes]) if crashes else "none")
    flaky = [c for t in tags.values() for c in t["flaky"]]
    if flaky:
        o += ["", f"Crashes that did not reproduce on a retry (not counted): {len(flaky)}", ""]
        o += [f"- {c['mode']} {c['path']}: {c['error'][:160]}" for c in flaky]
    perr = [c for t in tags.values() for c in t["parse_error_exits"]]
    if perr:
        o += ["", f"Parse errors (exit 2 on files `ast.parse` rejects too): {len(perr)}"]
    o += ["", "## After `--fix --unsafe-fixes`", ""]
    for t in tags.values():
        p = t["pending_after_fix"]
        o.append(f"- **{t['tag']}**: {t['files_changed_by_fix']} files changed; unparsable: "
                 f"{sorted(t['unparsable_after_fix']) or 'none'}; still fixable per JSON: "
                 f"{len(p['fixable_findings'])} files; changed again by a 2nd `--fix`: {len(p['changed_by_second_fix'])} "
                 f"files {p['changed_by_second_fix']}; findings left: {t['remaining_after_fix']}")
    for t in tags.values():
        for f, items in t["pending_after_fix"]["fixable_findings"].items():
            o.append(f"  - {t['tag']}/{f}: " + "; ".join(items[:4]) + (" ..." if len(items) > 4 else ""))
    o += ["", "## Keras 1 / Keras-2-removed names before -> after `--fix --unsafe-fixes`", ""]
    kinds = {p.name: p.kind for p in legacy_names.PATTERNS}
    keras3 = {p.name: p.keras3 for p in legacy_names.PATTERNS}
    header = ["pattern", "kind"] + [f"{tag} before -> after" for tag in tags]
    rows = []
    for p in legacy_names.PATTERNS:
        cells = [f"{t['names_before']['per_pattern'].get(p.name, 0)} -> {t['names_after']['per_pattern'].get(p.name, 0)}"
                 for t in tags.values()]
        if any(c != "0 -> 0" for c in cells):
            rows.append([f"`{p.name}`", kinds[p.name]] + cells)
    for kind, label in (("k1", "total k1"), ("k2", "total k2"), ("backend", "total K.* backend"), ("info", "info")):
        rows.append([f"**{label}**", kind] + [
            f"{t['names_before']['totals'][kind]} -> {t['names_after']['totals'][kind]}" for t in tags.values()])
    rows.append(["**counted (k1+k2)**", ""] + [f"**{t['names_before']['counted']} -> {t['names_after']['counted']}**"
                                              for t in tags.values()])
    o.append(md_table(header, rows))
    del keras3
    for tag in CORRECT_TAGS:
        if tag not in tags:
            continue
        fs = tags[tag]["findings"]
        o += ["", f"## Findings on {tag} (correct programs) in check mode: {len(fs)} {tags[tag]['rule_counts']}", ""]
        o += [f"- {d['path']}:{d['line']} {d['rule']} {d['message'][:200]}" for d in fs] or ["none"]
    s = report.get("speed")
    if s:
        o += ["", "## Check-mode speed", ""]
        if "ratio_in_process" in s:
            o.append(f"- in process: check {s['check_s']:.3f} s vs ast.parse {s['ast_parse_s']:.4f} s over "
                     f"{s['files']} files / {s['lines']} lines: **{s['ratio_in_process']:.1f}x** (best of {s['rounds']})")
        else:
            o.append(f"- in process: not measured ({s.get('in_process_error')})")
        o.append(f"- subprocess: {s['subprocess_total_s']:.3f} s - start-up {s['subprocess_startup_s']:.3f} s = "
                 f"{s['subprocess_net_s']:.3f} s vs ast.parse {s['ast_parse_s_subprocess_rounds']:.4f} s: "
                 f"**{s['ratio_subprocess']:.1f}x** (medians of {s['rounds']})")
    if report.get("own"):
        o += ["", "## own/ scripts (check mode, --unsafe-fixes)", ""]
        o.append(md_table(["file", "rc", "rules"], [[r["file"], r["rc"], r["rules"] or "-"] for r in report["own"]]))
    return "\n".join(o) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds (default 5)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args(argv)
    tags = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.exists() else []
    if not tags:
        parser.error(f"no corpus in {CORPUS}: run benchmarks/keras_corpus/fetch_corpus.py KERAS_GIT_DIR first")
    if WORK.exists():
        shutil.rmtree(WORK)
    report: dict = {"autofix_cmd": autofix_cmd(), "tags": {}}
    revisions = CORPUS / "REVISIONS.txt"
    if revisions.exists():
        report["revisions"] = revisions.read_text().splitlines()
    for tag in tags:
        report["tags"][tag] = process_tag(tag, args.jobs)
    if not args.no_speed:
        report["speed"] = speed(tags, args.rounds)
    if (HERE / "own").is_dir():
        report["own"] = own_scripts(args.jobs)
    sys.stdout.write(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
