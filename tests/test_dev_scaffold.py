"""``python -m autofix.dev new-rule``: the written rule imports, registers and is picked up."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import autofix
from autofix import dev


@pytest.fixture
def package(tmp_path):
    """A copy of the autofix package to scaffold into (the real tree is never touched)."""
    root = tmp_path / "tree"
    shutil.copytree(Path(autofix.__file__).parent, root / "autofix",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _registry(root: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", "import autofix.rules as r; "
                          "print({c: (k.__name__, k.name) for c, k in r.REGISTRY.items()})"],
                         cwd=root, capture_output=True, text=True, check=True)
    return eval(out.stdout)  # noqa: S307 - our own repr of a dict of strings


def test_new_rule_writes_file_and_registers_it(package):
    path = dev.new_rule("AF799", "some-quiet-fault", package / "autofix" / "rules")
    assert path.name == "af799_some_quiet_fault.py"
    assert '## Fix safety' in path.read_text()
    assert _registry(package)["AF799"] == ("SomeQuietFault", "some-quiet-fault")
    init = (package / "autofix" / "rules" / "__init__.py").read_text()
    assert init.count("SomeQuietFault") == 2  # one import, one registry entry


def test_taken_or_malformed_codes_are_refused(package):
    rules = package / "autofix" / "rules"
    before = (rules / "__init__.py").read_text()
    for code, name in [("AF201", "other-name"), ("AF798", "single-unit-softmax"), ("X12", "some-name"),
                       ("AF797", "NotKebab")]:
        with pytest.raises(dev.ScaffoldError):
            dev.new_rule(code, name, rules)
    assert (rules / "__init__.py").read_text() == before


def test_cli_reports_errors_with_exit_2(capsys):
    assert dev.main(["new-rule", "AF201", "single-unit-softmax"]) == 2
    assert "already taken" in capsys.readouterr().err


def test_module_is_importable_as_documented():
    assert importlib.import_module("autofix.dev").main is dev.main
