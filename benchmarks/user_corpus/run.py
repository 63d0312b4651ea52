"""autofix-src on real users' Keras scripts: crashes, findings per code, rewrites that do not
parse, fixes still pending after ``--fix``.

Usage (from the repository root, venv active, after fetch_corpus.py)::

    python benchmarks/user_corpus/run.py                  # Markdown summary on stdout
    python benchmarks/user_corpus/run.py --json out.json  # also every figure and finding as JSON

Per file, on copies under ``work/`` (recreated each run; ``corpus/`` is never written), with
``autofix-src --isolated`` driven through its command line only:

1. check mode (``--format json``): exit code, findings;
2. ``--diff --unsafe-fixes``: the diff is kept in ``work/diffs/<file>.diff`` for triage;
3. ``--fix --unsafe-fixes`` on a copy: the fixed text must ``ast.parse``;
4. a second ``--fix --unsafe-fixes`` on the fixed copy: it should change nothing.

A run is a crash when it exits with a code other than 0/1 (2 = internal error) or prints a
traceback / ``internal error``; exit 2 on a file ``ast.parse`` rejects too is the documented
parse-error exit and listed apart.  The helpers are the Keras corpus runner's.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "keras_corpus"))  # the Keras corpus runner's helpers (and legacy_names)
_spec = importlib.util.spec_from_file_location("keras_corpus_run", HERE.parent / "keras_corpus" / "run.py")
_kc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_kc)
copy_tree, crashed, findings_of, last_error_line = _kc.copy_tree, _kc.crashed, _kc.findings_of, _kc.last_error_line
md_table, parses, pmap, run_checked = _kc.md_table, _kc.parses, _kc.pmap, _kc.run_checked

CORPUS = HERE / "corpus"
WORK = HERE / "work"
MODES = {"check": ["--format", "json"], "diff": ["--diff", "--unsafe-fixes"], "fix": ["--fix", "--unsafe-fixes"]}


def run_corpus(jobs: int) -> dict:
    files = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.py"))
    texts = {f: (CORPUS / f).read_text(encoding="utf-8", errors="replace") for f in files}
    parse_errors = {f: e for f in files if (e := parses(texts[f]))}
    if WORK.exists():
        shutil.rmtree(WORK)
    for mode in (*MODES, "fix2"):
        copy_tree(CORPUS, WORK / mode)
    out: dict = {"files": len(files), "lines": sum(t.count("\n") + 1 for t in texts.values()),
                 "parse_errors_before": parse_errors, "crashes": [], "parse_error_exits": [], "flaky": [],
                 "exit_codes": {}}

    results: dict[str, dict[str, dict]] = {}
    def record(mode: str, runs: dict[str, dict]) -> None:
        out["exit_codes"][mode] = dict(Counter(str(r["rc"]) for r in runs.values()))
        for f, r in runs.items():
            if "flaky" in r:
                out["flaky"].append({"mode": mode, "path": f, "error": r["flaky"]})
            if crashed(r):
                entry = {"mode": mode, "path": f, "rc": r["rc"], "error": last_error_line(r)}
                parse_exit = r["rc"] == 2 and f in parse_errors and "Traceback" not in r["stdout"] + r["stderr"]
                out["parse_error_exits" if parse_exit else "crashes"].append(entry)

    for mode, flags in MODES.items():
        base = WORK / mode
        restore = (lambda f: (CORPUS / f, base / f)) if mode == "fix" else (lambda f: None)
        results[mode] = dict(zip(files, pmap(lambda f: run_checked([f, *flags], base, restore(f)), files, jobs)))
        record(mode, results[mode])

    out["findings"] = [{k: d.get(k) for k in ("path", "line", "col", "rule", "severity", "message",
                                              "fixable", "applicability")}
                       for f in files for d in findings_of(results["check"][f]["stdout"])]
    out["rule_counts"] = dict(sorted(Counter(d["rule"] for d in out["findings"]).items()))
    out["files_with_findings"] = len({d["path"] for d in out["findings"]})
    diffs = {f: r["stdout"] for f, r in results["diff"].items() if r["stdout"].startswith(("---", "diff"))}
    for f, text in diffs.items():
        target = WORK / "diffs" / f"{f}.diff"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    out["files_with_diff"] = sorted(diffs)

    fixed = {f: (WORK / "fix" / f).read_text(encoding="utf-8", errors="replace") for f in files}
    out["files_changed_by_fix"] = sorted(f for f in files if fixed[f] != texts[f])
    out["unparsable_after_fix"] = {f: e for f in files if (e := parses(fixed[f])) and f not in parse_errors}
    copy_tree(WORK / "fix", WORK / "fix2")
    second = pmap(lambda f: run_checked([f, *MODES["fix"]], WORK / "fix2", (WORK / "fix" / f, WORK / "fix2" / f)),
                  files, jobs)
    record("fix (2nd run)", dict(zip(files, second)))
    out["changed_by_second_fix"] = [f for f in files if (WORK / "fix2" / f).read_text(
        encoding="utf-8", errors="replace") != fixed[f]]
    return out


def render(report: dict) -> str:
    o = ["# autofix-src on real users' Keras scripts", ""]
    o.append(md_table(["files", "lines", "check findings", "files with findings", "crashes (exit 2 / traceback)",
                       "files changed by --fix", "unparsable after --fix", "changed by a 2nd --fix"],
                      [[report["files"], report["lines"], len(report["findings"]), report["files_with_findings"],
                        len(report["crashes"]), len(report["files_changed_by_fix"]),
                        len(report["unparsable_after_fix"]), len(report["changed_by_second_fix"])]]))
    o += ["", f"Exit codes per mode: {report['exit_codes']}", "",
          f"Findings per code: {report['rule_counts'] or 'none'}", "", "## Crashes", ""]
    o.append(md_table(["mode", "path", "rc", "last error line"],
                      [[c["mode"], c["path"], c["rc"], c["error"][:160]] for c in report["crashes"]])
             if report["crashes"] else "none")
    if report["flaky"]:
        o += ["", f"Crashes that did not reproduce on a retry (not counted): {len(report['flaky'])}"]
        o += [f"- {c['mode']} {c['path']}: {c['error'][:160]}" for c in report["flaky"]]
    if report["parse_error_exits"]:
        o += ["", "Parse errors (exit 2 on files `ast.parse` rejects too): "
              + ", ".join(sorted({c["path"] for c in report["parse_error_exits"]}))]
    o += ["", "## After `--fix --unsafe-fixes`", "",
          f"- unparsable: {sorted(report['unparsable_after_fix']) or 'none'}",
          f"- changed again by a 2nd `--fix`: {report['changed_by_second_fix'] or 'none'}",
          f"- files with a diff (kept in work/diffs/): {len(report['files_with_diff'])}", "",
          "## Findings (check mode)", ""]
    o += [f"- {d['path']}:{d['line']} {d['rule']} {'[*] ' if d['fixable'] else ''}{d['message'][:220]}"
          for d in report["findings"]] or ["none"]
    return "\n".join(o) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        parser.error(f"no corpus in {CORPUS}: run benchmarks/user_corpus/fetch_corpus.py first")
    report = run_corpus(args.jobs)
    sys.stdout.write(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
