"""Developer commands: ``python -m autofix.dev new-rule AF7xx some-name``.

``new-rule`` writes ``autofix/rules/af7xx_some_name.py`` (a rule class with the
docstring sections the docs generator wants, empty ``VALID``/``INVALID``
examples and a ``check`` that finds nothing yet) and adds its one registry line
to ``autofix/rules/__init__.py``.  The generated tests then fail until the rule
has examples of both kinds: that is the next step (see CONTRIBUTING.md).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

RULES_DIR = Path(__file__).parent / "rules"
CODE = re.compile(r"^AF[1-9]\d\d$")
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")

TEMPLATE = '''"""{code} {name}."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..spec import ModelSpec
from .base import Example, Rule


class {cls}(Rule):
    """One line: the quiet failure this rule finds.

    ## What it does
    Which models, settings or data it reports, and what it reads from the spec.

    ## Why is this bad?
    What the model does instead of learning, with no error or warning.

    ## Example
    The shortest script that shows the fault.

    ## Fix safety
    What the fix changes, and why it is safe, unsafe or display-only.

    ## Keras versions
    All.

    ## References
    Where the fault is described (a report, a paper, the Keras docs).
    """

    code = "{code}"
    name = "{name}"
    severity = Severity.WARNING
    applicability = Applicability.SAFE

    INVALID: list[Example] = []
    VALID: list[Example] = []

    def check(self, spec: ModelSpec):
        return ()
'''


class ScaffoldError(Exception):
    """A code or name that cannot become a rule (bad form, or already taken)."""


def class_name(name: str) -> str:
    """``some-name`` -> ``SomeName``."""
    return "".join(part.capitalize() for part in name.split("-"))


def module_name(code: str, name: str) -> str:
    return f"{code.lower()}_{name.replace('-', '_')}"


def _taken(registry_text: str, rules_dir: Path, code: str, name: str, cls: str) -> str | None:
    if any(rules_dir.glob(f"{code.lower()}_*.py")):
        return f"rule code {code} is already taken"
    if re.search(rf'\bname = "{re.escape(name)}"', "".join(p.read_text() for p in rules_dir.glob("af*.py"))):
        return f"rule name {name!r} is already taken"
    if re.search(rf"\b{cls}\b", registry_text):
        return f"class name {cls} is already registered"
    return None


def register(registry_text: str, module: str, cls: str) -> str:
    """``registry_text`` with the rule's import (in code order) and its entry in ``REGISTRY``."""
    lines = registry_text.split("\n")
    imports = [i for i, line in enumerate(lines) if re.match(r"from \.af\d{3}_\w+ import ", line)]
    if not imports:
        raise ScaffoldError("cannot find the rule imports in autofix/rules/__init__.py")
    at = next((i for i in imports if lines[i].split()[1] > f".{module}"), imports[-1] + 1)
    lines.insert(at, f"from .{module} import {cls}")
    text = "\n".join(lines)
    start = text.find("for cls in (")
    end = text.find("\n    )\n}", start)
    if start < 0 or end < 0:
        raise ScaffoldError("cannot find the REGISTRY tuple in autofix/rules/__init__.py")
    return text[:end] + f"\n        {cls}," + text[end:]


def new_rule(code: str, name: str, rules_dir: Path = RULES_DIR) -> Path:
    """Write the rule file and register it; returns the new file's path."""
    code = code.upper()
    if not CODE.match(code):
        raise ScaffoldError(f"rule code {code!r} must look like AF701 (AF, then three digits)")
    if not NAME.match(name):
        raise ScaffoldError(f"rule name {name!r} must be kebab-case words, like 'some-name'")
    cls, module = class_name(name), module_name(code, name)
    init = rules_dir / "__init__.py"
    registry_text = init.read_text()
    why = _taken(registry_text, rules_dir, code, name, cls)
    if why:
        raise ScaffoldError(why)
    updated = register(registry_text, module, cls)
    path = rules_dir / f"{module}.py"
    path.write_text(TEMPLATE.format(code=code, name=name, cls=cls))
    init.write_text(updated)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autofix.dev", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rule = commands.add_parser("new-rule", help="write a rule file with empty examples and register it")
    rule.add_argument("code", help="stable code, e.g. AF701 (the hundreds say the concern)")
    rule.add_argument("name", help="kebab-case name, e.g. some-name")
    args = parser.parse_args(argv)
    try:
        path = new_rule(args.code, args.name)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path} and registered {class_name(args.name)} in {RULES_DIR / '__init__.py'}")
    print("next: write its INVALID/VALID examples, then check(); see CONTRIBUTING.md")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
