"""``autofix-src``: check and fix Keras training scripts (never imports Keras).

Exit codes: 0 nothing found (or everything fixed), 1 findings remain or a diff
is pending, 2 usage, configuration or parse error.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import click

from .. import config as config_mod
from ..output import FORMATS, render
from ._jobs import default_jobs, process_all
from ..rules import REGISTRY, select_rules
from ..source.check import Result, SourceError, check_source

STDIN = "-"


@dataclass
class Run:
    """Options of one invocation and what it found."""

    diff: bool
    fix: bool
    unsafe: bool
    fmt: str
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    config: config_mod.Config
    stdin_filename: str | None
    verify: bool = False
    budget: float = 120.0
    #: --verify's arms (each capped script run) as a :class:`~autofix.verify.progress.Progress` on stderr
    progress: object = None
    results: list[Result] = field(default_factory=list)
    errors: int = 0
    pending: int = 0
    diffs: list[str] = field(default_factory=list)
    #: the declared (PEP 263) encoding of each file read, to write it back in
    encodings: dict[str, str] = field(default_factory=dict)

    def error(self, message: str) -> None:
        click.echo(message, err=True)
        self.errors += 1


def explain(code: str) -> int:
    """Print a rule's documentation (``autofix-src rule AF201``)."""
    cls = REGISTRY.get(code.upper()) or next((c for c in REGISTRY.values() if c.name == code), None)
    if cls is None:
        click.echo(f"unknown rule {code!r}; known: {', '.join(sorted(REGISTRY))}", err=True)
        return 2
    click.echo(f"{cls.code} {cls.name} ({cls.severity.value}, fix: {cls.applicability.value})\n")
    click.echo(cls.doc())
    return 0


def iter_files(paths: tuple[str, ...], run: Run) -> Iterator[Path | str]:
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        loop = _symlink_loop(path)
        if loop:
            run.error(f"{raw}: {loop}; skipped")
        elif not path.exists():
            run.error(f"{raw}: no such file or directory")
        elif path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not run.config.excluded(Path(folder, d, "x")))
                for name in sorted(files):
                    candidate = Path(folder, name)
                    if name.endswith(".py") and not candidate.is_symlink() and not run.config.excluded(candidate):
                        yield candidate
        else:
            yield path


def _symlink_loop(path: Path) -> str | None:
    """Why an explicit path cannot be followed (a symlink loop), or None."""
    if not path.is_symlink():
        return None
    try:
        os.stat(path)
    except OSError as exc:
        import errno

        if exc.errno == errno.ELOOP:
            return "symlink loop"
    return None


def read(path: Path, run: Run) -> str | None:
    """The file's text, decoded as it declares (PEP 263 coding cookie or BOM; UTF-8 by default)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        run.error(f"{path}: cannot read: {exc.strerror}")
        return None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # undeclared non-UTF-8 bytes, or an unknown/conflicting declaration
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            run.error(f"{path}: not UTF-8 (byte {bad.start}) and no coding declaration; file skipped")
        else:
            run.error(f"{path}: {exc.msg if hasattr(exc, 'msg') else exc}; file skipped")
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        what = "not UTF-8" if encoding in ("utf-8", "utf-8-sig") else f"not valid {encoding}"
        run.error(f"{path}: {what} (byte {exc.start}); file skipped")
        return None
    if encoding not in ("utf-8",):
        run.encodings[str(path)] = encoding
    return text


def _writable(st_mode: int) -> bool:
    """Whether the mode bits let anyone write (root bypasses permissions, so check the bits)."""
    return bool(st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def write_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write through a temp file in the same folder and an atomic rename (keeps the mode).

    A file whose mode bits allow no writes is left alone, even for root; so is a
    file in a folder that cannot take the temp file."""
    target = path.resolve()
    if not os.access(target, os.W_OK) or not _writable(target.stat().st_mode):
        raise PermissionError(f"{path}: file is read-only; fixes not written")
    folder = target.parent
    if not os.access(folder, os.W_OK) or not _writable(folder.stat().st_mode):
        raise PermissionError(f"{path}: folder {folder} is read-only (the fix is written through a temp file "
                              "there and renamed); fixes not written")
    data = text.encode(encoding)  # fails before anything is written when the text does not fit the encoding
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".autofix")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def annotate_diff(diff: str, result: Result) -> str:
    """Name the rules each hunk fixes (after the ``@@`` header, which git apply ignores)."""
    lines = []
    for line in diff.splitlines(keepends=True):
        if line.startswith("@@ "):
            head = line.split(" ")[1][1:]
            start, _, count = head.partition(",")
            first, last = int(start), int(start) + int(count or 1)
            codes = sorted({f"{f.code} {f.name}" for f, _ in result.applied
                            if f.origin.line and first <= f.origin.line <= last})
            if codes:
                line = line.rstrip("\n") + " " + "; ".join(codes) + "\n"
        lines.append(line)
    return "".join(lines)


def process(target: Path | str, run: Run) -> None:
    """Check (and fix) one file; a crash inside autofix is reported and the run goes on."""
    try:
        _process(target, run)
    except Exception as exc:  # noqa: BLE001 - one file's bug must not stop the others
        name = run.stdin_filename or "<stdin>" if target == STDIN else str(target)
        detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
        run.error(f"{name}: internal error: {detail} (please report this; file left unchanged)")


#: A script with a fix, checked once before the workers of ``--jobs`` fork (see :func:`_warm`).
_WARM_UP = ("import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='softmax')])\n"
            "model.compile(optimizer='adam', loss='binary_crossentropy')\nmodel.fit(x, y, nb_epoch=2)\n")


def _warm(run: Run) -> None:
    """Check (and, in a fixing mode, rewrite) a small script here, so that the modules the check
    loads lazily are imported once, before the ``--jobs`` workers fork, rather than in each."""
    fix = run.diff or run.fix or run.fmt == "rdjson"
    try:
        check_source(_WARM_UP, "<warm-up>", select_rules(), fix=fix, unsafe=True, keras_version="3.0.0")
        if fix:
            import moreorless  # noqa: F401 - the diff printer
    except Exception:  # noqa: BLE001 - only a warm-up: the real runs report their own errors
        pass


def _process(target: Path | str, run: Run) -> None:
    if target == STDIN:
        code, name = sys.stdin.read(), run.stdin_filename or "<stdin>"
    else:
        code, name = read(target, run), str(target)
        if code is None:
            return
    cfg = run.config
    try:
        rules = select_rules(run.select or cfg.select or None,
                             [*run.ignore, *cfg.ignore, *cfg.ignored_for(name)])
    except ValueError as exc:
        run.error(f"error: {exc}")
        return
    dry = run.diff or run.fix or run.verify or target == STDIN or run.fmt == "rdjson"
    check = lambda observed=None: check_source(  # noqa: E731
        code, name, rules, fix=dry, unsafe=run.unsafe, keras_version=cfg.target_keras, fixable=cfg.is_fixable,
        observed=observed)
    original_run = None
    try:
        result = check()
        if run.verify and target != STDIN and (_needs_run(result) or run.unsafe):  # unsafe: may search
            original_run = _observe(Path(target), result, run)
            observed = original_run.facts[0] if original_run.facts else None
            if observed and observed.get("data"):
                result = check(observed)
                _echo(run)(_data_line(name, observed, result))
            else:
                _echo(run)(_no_data_line(name, original_run, observed))
    except SourceError as exc:
        run.error(f"{name}:{exc.line}: {exc}" if exc.line else f"{name}: {exc}")
        return
    run.results.append(result)
    confirmed, rewritten_run = _verified(target, result, run, original_run) if result.changed else (True, None)
    if original_run is not None and not (result.changed and confirmed):
        confirmed = _searched(Path(target), result, run, original_run) or confirmed
    elif rewritten_run is not None and confirmed:  # a confirmed rewrite that still does not learn
        _searched(Path(target), result, run, rewritten_run, on_rewrite=True)
    if result.changed and not run.fix and target != STDIN:
        run.pending += 1
    if result.changed and run.diff:
        import moreorless

        run.diffs.append(annotate_diff(moreorless.unified_diff(result.original, result.fixed, name), result))
    elif target == STDIN:
        sys.stdout.write(result.fixed)
        result.written = True
    elif result.changed and run.fix and not confirmed:
        click.echo(f"{name}: fixes not written: verification did not confirm them", err=True)
    elif result.changed and run.fix:
        try:
            write_atomic(target, result.fixed, run.encodings.get(name, "utf-8"))
            result.written = True
        except UnicodeEncodeError as exc:
            run.error(f"{name}: the fixed text does not fit the file's encoding ({exc.encoding}); fixes not written")
        except OSError as exc:
            message = str(exc) if isinstance(exc, PermissionError) and str(exc).startswith(name) else (
                f"{name}: cannot write: {exc.strerror or exc}; fixes not written")
            run.error(message)


def _echo(run: Run):
    """Where --verify prints: stdout for text reports, stderr when stdout carries a machine format."""
    return lambda text: click.echo(text, err=run.fmt != "text")


def _needs_run(result: Result) -> bool:
    """--verify runs the original when there is a rewrite to compare or a data rule waits for data."""
    from ..source.check import NO_DATA

    return result.changed or any(skip.reason == NO_DATA for skip in result.skips)


def _observe(path: Path, result: Result, run: Run):
    """The capped run of the original script (its Histories and first fit() call's data facts)."""
    from .verify_src import run_original

    return run_original(path, budget=run.budget, echo=_echo(run), progress=run.progress)


def _no_data_line(name: str, original_run, observed: dict | None) -> str:
    """Why the capped run gave no data facts: the script's own error (its last traceback line), no fit() call
    reached, or inputs that are not arrays."""
    if original_run.returncode != 0:
        lines = original_run.stderr_tail.strip().splitlines()
        errors = [line for line in lines if line and not line.startswith((" ", "\t")) and ":" in line
                  and "Warning" not in line.split(":", 1)[0]]
        cause = (errors or lines or ["no output"])[-1]
        return (f"{name}: the original script failed (exit {original_run.returncode}) before its data was "
                f"measured: {cause}; data rules skipped")
    if observed is None:
        return f"{name}: the capped run reached no fit() call: no data facts; data rules skipped"
    return f"{name}: {observed.get('skipped') or 'no data facts from the first fit() call'}; data rules skipped"


def _data_line(name: str, observed: dict, result: Result) -> str:
    from .verify_src import describe_data

    where = f"model {result.data_model!r}" if result.data_model else f"no model ({result.data_note})"
    return f"{name}: data facts from the capped run's first fit() call: {describe_data(observed)}; checked on {where}"


def _verified(target: Path | str, result: Result, run: Run, original_run=None) -> tuple[bool, Any]:
    """With ``--verify``, run both scripts and print the evidence: (confirmed or not asked, the rewritten
    script's capped run or None)."""
    if not run.verify or target == STDIN:
        return True, None
    from .verify_src import verify_rewrite

    return verify_rewrite(Path(target), result, budget=run.budget, echo=_echo(run), original_run=original_run,
                          progress=run.progress)


def _searched(path: Path, result: Result, run: Run, original_run, on_rewrite: bool = False) -> bool:
    """With ``--verify``: the strategy search from the original (no confirmed rule fix) or from a confirmed
    rewrite whose run still shows the symptom (``on_rewrite``); True when it wrote a rewrite."""
    from .verify_src import search_repair

    return search_repair(path, result, budget=run.budget, unsafe=run.unsafe, echo=_echo(run),
                         original_run=original_run, progress=run.progress, on_rewrite=on_rewrite)


def load_config(config_path: str | None, isolated: bool, paths: tuple[str, ...]) -> config_mod.Config:
    if isolated:
        return config_mod.Config()
    if config_path:
        return config_mod.load(Path(config_path))
    first = next((p for p in paths if p != STDIN), None)
    return config_mod.find(Path(first) if first else Path.cwd())


@click.command("check", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1)
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option("--fix", "--write", "fix", is_flag=True, help="Apply fixes in place.")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=None, help="Also apply fixes that change the model.")
@click.option("--stdin-filename", help="Name to report for '-' (stdin).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("--select", multiple=True, help="Rule codes, prefixes or names to run (repeatable, comma-separated).")
@click.option("--ignore", multiple=True, help="Rule codes, prefixes or names to skip.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Read [tool.autofix] from this file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--verify", is_flag=True,
              help="Run the original and the rewritten script with fit() capped and compare (runs your code).")
@click.option("--verify-budget", type=float, default=120.0, show_default=True,
              help="Seconds for both --verify runs of one script.")
@click.option("--verbose", "-v", type=click.IntRange(0, 2), default=1, show_default=True,
              help="--verify progress on stderr: 0 silent, 1 a progress display, 2 one line per run.")
@click.option("--quiet", "-q", is_flag=True, help="No --verify progress (--verbose 0).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Files checked in parallel (default: the number of cores; output order is kept).")
@click.version_option(package_name="autofix")
def check(paths, diff, fix, unsafe_fixes, stdin_filename, fmt, exit_zero, select, ignore, config_path, isolated,
          verify, verify_budget, verbose, quiet, jobs):
    """Find and fix quiet Keras misconfigurations in training scripts.

    \b
    autofix-src train.py                  report findings
    autofix-src train.py --diff           show the fixes as a diff
    autofix-src src/ --fix --unsafe-fixes rewrite, including model changes
    autofix-src train.py --verify         run both scripts briefly, compare
    autofix-src rule AF201                explain a rule
    """
    if not paths:
        raise click.UsageError("give at least one path (or '-' for stdin)")
    try:
        cfg = load_config(config_path, isolated, paths)
    except config_mod.ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    split = lambda items: tuple(p.strip() for item in items for p in item.split(",") if p.strip())  # noqa: E731
    run = Run(diff, fix, cfg.unsafe_fixes if unsafe_fixes is None else unsafe_fixes, fmt, split(select),
              split(ignore), cfg, stdin_filename, verify, verify_budget)
    if verify:
        from .verify_src import progress_printer

        run.progress = progress_printer(0 if quiet else verbose)
    targets = list(iter_files(paths, run))
    serial = verify or STDIN in targets  # --verify runs the scripts; stdin is read once
    process_all(targets, run, process, 1 if serial else jobs or default_jobs(), warm=lambda: _warm(run))
    report = render(fmt, run.results, mode="diff" if diff else "fix" if fix else "check")
    out = sys.stderr if STDIN in paths and fmt == "text" else sys.stdout
    if run.diffs:
        click.echo("".join(run.diffs), nl=False)
        out = sys.stderr if fmt == "text" else out
    if report:
        out.write(report)
    # a fix not written (not confirmed, read-only file) leaves its finding in the file
    remaining = any(r.findings or (r.applied and not r.written) for r in run.results) or bool(run.pending)
    sys.exit(2 if run.errors else 0 if exit_zero or not remaining else 1)


@click.command("rule", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("code")
def rule(code: str) -> None:
    """Explain a rule: its code, name, severity, fix safety and documentation."""
    sys.exit(explain(code))


class _CheckByDefault(click.Group):
    """``autofix-src PATHS...`` means ``autofix-src check PATHS...``; ``rule`` is a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = ["check", *args]
        return super().parse_args(ctx, args)


cli = _CheckByDefault(name="autofix-src", commands={"check": check, "rule": rule},
                      help=check.help, context_settings={"help_option_names": ["-h", "--help"]})


def main() -> None:  # console-script entry point
    cli(prog_name="autofix-src")


if __name__ == "__main__":  # pragma: no cover
    main()
