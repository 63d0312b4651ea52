"""The autofix-src command line: modes, formats, exit codes, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from autofix.cli.src import cli

BAD = '''import keras
from keras import layers

model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(16, activation='relu'),  # hidden
    layers.Dense(1, activation='softmax'),
])
model.compile(optimizer='adam', loss='binary_crossentropy')
'''
GOOD = BAD.replace("'softmax'", "'sigmoid'")


def invoke(*args, input=None):
    return CliRunner().invoke(cli, [*args, "--isolated"] if "--config" not in args else list(args), input=input)


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(BAD)
    return path


def test_check_reports_and_exits_1(script):
    result = invoke(str(script))
    assert result.exit_code == 1
    assert f"{script}:7:5: AF201 [error]" in result.output and "[*]" in result.output
    assert script.read_text() == BAD


def test_fix_writes_and_second_run_is_clean(script):
    assert invoke(str(script), "--fix").exit_code == 0
    assert script.read_text() == GOOD
    assert invoke(str(script)).exit_code == 0
    assert invoke(str(script), "--write").exit_code == 0


def test_diff_applies_with_git_apply(script, tmp_path):
    result = invoke(str(script.name), "--diff") if False else None
    os.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["train.py", "--diff", "--isolated"])
    assert result.exit_code == 1
    assert "AF201 single-unit-softmax" in result.stdout and script.read_text() == BAD
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    subprocess.run(["git", "init", "-q"], check=True, cwd=tmp_path)
    (tmp_path / "fix.patch").write_text(result.stdout)
    subprocess.run(["git", "apply", "fix.patch"], check=True, cwd=tmp_path)
    assert script.read_text() == GOOD


def test_stdin_writes_fixed_code_to_stdout():
    result = CliRunner().invoke(cli, ["-", "--stdin-filename", "train.py", "--isolated"], input=BAD)
    assert result.stdout == GOOD
    assert "train.py:7:5: AF201" not in result.stdout
    assert result.exit_code == 0


def test_exit_zero_and_select_ignore(script):
    assert invoke(str(script), "--exit-zero").exit_code == 0
    assert invoke(str(script), "--ignore", "AF2").exit_code == 0
    assert invoke(str(script), "--select", "AF101").exit_code == 0
    assert invoke(str(script), "--select", "AF999").exit_code == 2


def test_unsafe_fixes_are_opt_in(tmp_path):
    path = tmp_path / "t.py"
    code = BAD.replace("    layers.Dense(1, activation='softmax'),\n",
                       "    layers.Dense(3, activation='softmax'),\n    layers.Dropout(0.5),\n")
    path.write_text(code.replace("binary_crossentropy", "categorical_crossentropy"))
    assert invoke(str(path), "--fix").exit_code == 1  # AF103 is unsafe: left alone
    assert "Dropout" in path.read_text()
    assert invoke(str(path), "--fix", "--unsafe-fixes").exit_code == 0
    assert "Dropout" not in path.read_text()


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "rdjson", "text"])
def test_formats(script, fmt):
    result = invoke(str(script), "--format", fmt)
    assert result.exit_code == 1
    out = result.stdout
    if fmt == "json":
        (item,) = json.loads(out)
        for key in ("rule", "name", "message", "path", "line", "col", "end_line", "end_col", "severity",
                    "fixable", "applicability", "fixes"):
            assert key in item
        assert item["rule"] == "AF201" and item["fixes"][0]["edits"][0]["type"] == "SetLayerArg"
    elif fmt == "github":
        assert out.startswith("::error file=") and "title=AF201 single-unit-softmax" in out
    elif fmt == "sarif":
        data = json.loads(out)
        jsonschema.validate(data, SARIF_MINI)
        assert data["runs"][0]["results"][0]["ruleId"] == "AF201"
    elif fmt == "rdjson":
        data = json.loads(out)
        jsonschema.validate(data, RDJSON_MINI)
        suggestion = data["diagnostics"][0]["suggestions"][0]
        assert "sigmoid" in suggestion["text"] and suggestion["range"]["start"]["line"] == 7


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_a_dry_run_reports_the_findings_its_diff_fixes(script, fmt):
    """--diff (like --verify without --fix) writes nothing, so the findings stay in the file and in the report."""
    result = invoke(str(script), "--diff", "--format", fmt)
    assert result.exit_code == 1 and script.read_text() == BAD
    lines = result.stdout.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(("[", "{", "::")))  # after the diff
    report = "".join(lines[start:])
    if fmt == "json":
        assert [item["rule"] for item in json.loads(report)] == ["AF201"]
    elif fmt == "sarif":
        assert [r["ruleId"] for r in json.loads(report)["runs"][0]["results"]] == ["AF201"]
    else:
        assert report.startswith("::error ") and "AF201" in report


def test_fix_reports_no_fixed_finding_in_json(script):
    result = invoke(str(script), "--fix", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


SARIF_MINI = {
    "type": "object", "required": ["version", "runs"],
    "properties": {"version": {"const": "2.1.0"}, "runs": {"type": "array", "items": {
        "type": "object", "required": ["tool", "results"],
        "properties": {"results": {"type": "array", "items": {
            "type": "object", "required": ["ruleId", "message", "locations"]}}}}}},
}
_POS = {"type": "object", "required": ["line"], "properties": {"line": {"type": "integer"},
                                                               "column": {"type": "integer"}}}
RDJSON_MINI = {
    "type": "object", "required": ["diagnostics"],
    "properties": {"diagnostics": {"type": "array", "items": {
        "type": "object", "required": ["message", "location"],
        "properties": {"location": {"type": "object", "required": ["path", "range"],
                                    "properties": {"range": {"type": "object", "properties": {
                                        "start": _POS, "end": _POS}}}},
                       "suggestions": {"type": "array", "items": {
                           "type": "object", "required": ["range", "text"]}}}}}},
}


def test_rule_explains():
    result = CliRunner().invoke(cli, ["rule", "AF201"])
    assert result.exit_code == 0 and "## Why is this bad?" in result.output
    assert CliRunner().invoke(cli, ["rule", "AF999"]).exit_code == 2


def test_syntax_error_exits_2_and_leaves_file(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("import keras\nmodel = keras.Sequential([\n")
    result = invoke(str(path), "--fix")
    assert result.exit_code == 2 and f"{path}:" in result.output and "syntax error" in result.output
    assert path.read_text() == "import keras\nmodel = keras.Sequential([\n"


def test_bad_inputs(tmp_path):
    (tmp_path / "latin1.py").write_bytes(b"# caf\xe9\nimport keras\n")
    (tmp_path / "empty.py").write_text("")
    (tmp_path / "plain.py").write_text("print('no deep learning here')\n")
    result = invoke(str(tmp_path / "latin1.py"))
    assert result.exit_code == 2 and "not UTF-8" in result.output
    assert invoke(str(tmp_path / "empty.py"), str(tmp_path / "plain.py")).exit_code == 0
    assert invoke(str(tmp_path / "missing.py")).exit_code == 2


def test_directory_recursion_exclude_and_symlink(tmp_path):
    (tmp_path / "pkg" / "skipme").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text(BAD)
    (tmp_path / "pkg" / "skipme" / "b.py").write_text(BAD)
    (tmp_path / "pyproject.toml").write_text('[tool.autofix]\nexclude = ["skipme"]\n')
    link = tmp_path / "link.py"
    link.symlink_to(tmp_path / "pkg" / "a.py")
    result = CliRunner().invoke(cli, [str(tmp_path / "pkg")])
    assert result.exit_code == 1 and "a.py" in result.output and "b.py" not in result.output
    assert CliRunner().invoke(cli, [str(link), "--fix", "--isolated"]).exit_code == 0
    assert link.is_symlink() and (tmp_path / "pkg" / "a.py").read_text() == GOOD


def test_read_only_file_is_reported(script):
    script.chmod(0o444)
    try:
        if os.access(script, os.W_OK):
            pytest.skip("running as root: read-only bits are not enforced")
        result = invoke(str(script), "--fix")
        assert result.exit_code == 2 and "read-only" in result.output
        assert script.read_text() == BAD
    finally:
        script.chmod(0o644)


def test_config_file(script, tmp_path):
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text('[tool.autofix]\nper-file-ignores = {"train.py" = ["AF201"]}\n')
    assert CliRunner().invoke(cli, [str(script)]).exit_code == 0
    assert CliRunner().invoke(cli, [str(script), "--isolated"]).exit_code == 1
    cfg.write_text('[tool.autofix]\nunfixable = ["AF2"]\n')
    assert CliRunner().invoke(cli, [str(script), "--fix"]).exit_code == 1
    cfg.write_text('[tool.autofix]\nbogus = 1\n')
    assert CliRunner().invoke(cli, [str(script)]).exit_code == 2
    assert CliRunner().invoke(cli, [str(script), "--config", str(cfg)]).exit_code == 2


@pytest.mark.parametrize("comment", ["# autofix: ignore[AF201]", "# noqa: AF201", "# autofix: ignore"])
def test_suppression_comments(tmp_path, comment):
    path = tmp_path / "t.py"
    path.write_text(BAD.replace("activation='softmax'),", f"activation='softmax'),  {comment}"))
    assert invoke(str(path)).exit_code == 0


def test_skip_file(tmp_path):
    path = tmp_path / "t.py"
    path.write_text("# autofix: skip-file\n" + BAD)
    assert invoke(str(path)).exit_code == 0


def test_source_path_never_imports_keras(script):
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom autofix.cli.src import cli\n"
        f"r = CliRunner().invoke(cli, [{str(script)!r}, '--diff', '--isolated'])\n"
        "assert r.exit_code == 1, r.output\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


#: AF502 reports a callback that fit() never visibly receives, without a fix.
UNFIXABLE = GOOD.replace("loss='binary_crossentropy'", "loss='binary_crossentropy', metrics=['accuracy']") + (
    "stop = keras.callbacks.EarlyStopping(monitor='val_acc')\n")


@pytest.mark.parametrize("text, args, expect_libcst", [
    (GOOD, [], False),              # no findings
    (BAD, [], False),               # check mode never rewrites, even with fixable findings
    (UNFIXABLE, ["--diff"], False),  # nothing fixable: the rewriter is never loaded
    (BAD, ["--diff"], True),        # a fix to render: libcst is loaded for it
])
def test_libcst_is_loaded_only_to_rewrite(tmp_path, text, args, expect_libcst):
    path = tmp_path / "train.py"
    path.write_text(text)
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom autofix.cli.src import cli\n"
        f"r = CliRunner().invoke(cli, [{str(path)!r}, '--isolated', *{args!r}])\n"
        f"assert r.exit_code == {int(text != GOOD)}, r.output\n"
        "print('libcst' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == str(expect_libcst)


def test_diff_summary_says_fixes_are_in_the_diff_not_written(script):
    result = invoke(str(script), "--diff")
    assert result.exit_code == 1
    assert "in the diff, not written" in result.output and "fixed" not in result.output.splitlines()[-1]
    assert script.read_text() == BAD
    assert "; fixed 1" in invoke(str(script), "--fix").output
