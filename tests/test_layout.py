"""The package layout: data flows one way, and rule knowledge lives in the rules.

Imports inside functions count: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import autofix

PACKAGE = Path(autofix.__file__).parent

#: Each stage may import only stages of a lower rank (or its own package).
RANKS = {
    "values": 0, "errors": 0, "spec": 1, "edits": 2, "findings": 3,
    "keras_vocab": 4, "data": 4, "data_prep": 4, "suppress": 4, "config": 4, "model_copies": 4,
    "rules": 5,
    "engine": 6,
    "training": 7,
    "live": 8, "source": 8, "strategies": 8,
    "probe": 9, "verify": 9,
    "report": 10, "output": 10, "testing": 10, "docs_gen": 10, "dev": 10,
    "api": 11, "monitor": 12, "cli": 12, "__init__": 13,
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + (node.module.split(".") if node.module else [])) if node.level \
                else node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.add(full if full in modules else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in modules and name != module}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_imports_only_descend():
    upward = []
    for module, targets in _graph().items():
        for target in targets:
            a, b = _stage(module), _stage(target)
            if a != b and RANKS[a] <= RANKS[b]:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_every_stage_has_a_rank():
    assert {_stage(m) for m in _graph()} <= set(RANKS)


def test_no_rule_code_outside_the_rules():
    """Verification and the paths ask rules for their knowledge; they never name a rule."""
    pattern = re.compile(r"[\"']AF\d{3}[\"']")
    allowed = {PACKAGE / "docs_gen.py", PACKAGE / "dev.py"}
    offenders = [f"{path.relative_to(PACKAGE)}:{n}" for path in PACKAGE.rglob("*.py")
                 if "rules" not in path.relative_to(PACKAGE).parts and path not in allowed
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []
