"""The generated rule docs are current, and every rule is documented and exemplified."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from autofix import docs_gen
from autofix.rules import REGISTRY, Rule

RULES = [REGISTRY[code] for code in sorted(REGISTRY)]
IDS = [rule.code for rule in RULES]


def test_docs_are_up_to_date():
    assert docs_gen.main(["--check"]) == 0, "docs/rules is stale: run `python -m autofix.docs_gen`"


def test_docs_gen_does_not_import_keras():
    code = "import sys, autofix.docs_gen; print(sorted({'keras', 'tensorflow'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_docstring_has_all_sections(rule):
    assert docs_gen.missing_sections(rule) == []


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_has_examples(rule):
    assert rule.INVALID, f"{rule.code} has no INVALID example"
    assert rule.VALID, f"{rule.code} has no VALID example"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_code_and_name_format(rule):
    assert re.fullmatch(r"AF\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)


def _defined_rules(cls=Rule):
    """Every concrete Rule subclass imported so far (the registry's dict would hide duplicates)."""
    for sub in cls.__subclasses__():
        if "code" in vars(sub):
            yield sub
        yield from _defined_rules(sub)


def test_codes_and_names_are_unique():
    defined = list(dict.fromkeys(_defined_rules()))
    for attr in ("code", "name"):
        values = [getattr(rule, attr) for rule in defined]
        assert sorted(values) == sorted(set(values)), f"duplicate rule {attr}s"
    assert all(code == rule.code for code, rule in REGISTRY.items())


def test_check_reports_stale_and_extra_pages(tmp_path):
    pages = docs_gen.generate(RULES[:1])
    docs_gen.write(tmp_path, pages)
    assert docs_gen.stale(tmp_path, pages) == []
    (tmp_path / "index.md").write_text("edited\n")
    (tmp_path / "AF999-gone.md").write_text("old\n")
    assert docs_gen.stale(tmp_path, pages) == ["AF999-gone.md", "index.md"]
