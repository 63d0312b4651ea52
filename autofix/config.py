"""``[tool.autofix]`` settings from the nearest ``pyproject.toml``."""

from __future__ import annotations

import fnmatch
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KEYS = {"select", "ignore", "fixable", "unfixable", "unsafe-fixes", "per-file-ignores", "exclude",
        "target-keras"}
DEFAULT_EXCLUDE = (".git", ".venv", "venv", "__pycache__", ".tox", "build", "dist", "node_modules")


class ConfigError(Exception):
    """An unreadable or invalid configuration (exit code 2)."""


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fixable: list[str] = field(default_factory=list)
    unfixable: list[str] = field(default_factory=list)
    unsafe_fixes: bool = False
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    target_keras: str | None = None
    root: Path | None = None

    def is_fixable(self, code: str) -> bool:
        if any(code.startswith(p.upper()) for p in self.unfixable):
            return False
        return not self.fixable or any(code.startswith(p.upper()) for p in self.fixable)

    def ignored_for(self, path: str) -> list[str]:
        rel = self.relative(path)
        return [code for pattern, codes in self.per_file_ignores.items()
                if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(Path(rel).name, pattern) for code in codes]

    def excluded(self, path: Path) -> bool:
        rel = self.relative(str(path))
        parts = Path(rel).parts
        return any(part in DEFAULT_EXCLUDE for part in parts[:-1]) or any(
            fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(path.name, pat) or any(fnmatch.fnmatch(p, pat) for p in parts)
            for pat in self.exclude)

    def relative(self, path: str) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.root)) if self.root else path
        except ValueError:
            return path


def _strings(table: dict[str, Any], key: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.autofix] {key} must be a list of strings")
    return value


def parse(table: dict[str, Any], root: Path | None = None) -> Config:
    unknown = set(table) - KEYS
    if unknown:
        raise ConfigError(f"unknown [tool.autofix] key(s): {', '.join(sorted(unknown))}")
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError("[tool.autofix] per-file-ignores must be a table of glob = [codes]")
    target = table.get("target-keras")
    return Config(
        select=_strings(table, "select"), ignore=_strings(table, "ignore"),
        fixable=_strings(table, "fixable"), unfixable=_strings(table, "unfixable"),
        unsafe_fixes=bool(table.get("unsafe-fixes", False)),
        per_file_ignores={k: _strings(pfi, k) for k in pfi}, exclude=_strings(table, "exclude"),
        target_keras=str(target) if target is not None else None, root=root,
    )


def load(path: Path) -> Config:
    """Read ``[tool.autofix]`` from a pyproject.toml (or a bare autofix.toml)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    table = data.get("tool", {}).get("autofix", data if path.name != "pyproject.toml" else {})
    return parse(table, path.resolve().parent)


def find(start: Path) -> Config:
    """The config of the nearest pyproject.toml with ``[tool.autofix]`` above ``start``."""
    try:
        start = start.resolve()
    except (OSError, RuntimeError):  # a symlink loop: look above the path as written
        start = Path(os.path.abspath(start))
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"{candidate}: {exc}") from exc
            if "autofix" in data.get("tool", {}):
                return parse(data["tool"]["autofix"], folder)
    return Config()
