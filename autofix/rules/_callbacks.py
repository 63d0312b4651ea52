"""Shared helpers for rules about the callbacks passed to fit()."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator

from ..spec import ModelSpec


def fit_callbacks(spec: ModelSpec) -> Iterator[tuple[str, dict[str, Any]]]:
    """(``SetCallbackArg`` address, ``{class_name, config}``) for each callback
    passed to fit() whose class is known, on either path."""
    callbacks = spec.fit.callbacks
    counts: Counter[str] = Counter()
    for entry in callbacks if isinstance(callbacks, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("class_name"), str):
            continue
        name = entry["class_name"]
        index = counts[name]
        counts[name] += 1
        yield (f"{name}[{index}]" if index else name), entry


def take_use(uses: list, entry: dict[str, Any]) -> Any:
    """Remove and return the script's CallbackUse matching a fit() callback entry."""
    for i, use in enumerate(uses):
        if use.class_name == entry.get("class_name") and use.config == entry.get("config"):
            return uses.pop(i)
    return None
