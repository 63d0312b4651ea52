"""Helpers to run a rule's ``Example`` snippets against a live Keras model.

``run_live(code)`` executes a snippet with ``keras``, ``layers`` and ``np``
in scope and ``keras.Model.fit`` replaced by a recorder, so examples can
declare their training call without training anything.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

#: The names every Example snippet may use.
PRELUDE = "import keras\nfrom keras import layers\nimport numpy as np\n"


@dataclass
class LiveExample:
    """The model an example builds, and the fit() call it declares (if any)."""

    model: Any
    x: Any = None
    y: Any = None
    fit_kwargs: dict[str, Any] | None = None
    namespace: dict[str, Any] = field(default_factory=dict)


def run_live(code: str) -> LiveExample:
    """Execute an example snippet; ``fit()`` calls are recorded, not run."""
    import keras

    calls: list[tuple[tuple, dict]] = []

    def record_fit(self, *args, **kwargs):
        calls.append((args, kwargs))

    namespace: dict[str, Any] = {}
    with mock.patch.object(keras.Model, "fit", record_fit):
        exec(compile(PRELUDE + textwrap.dedent(code), "<example>", "exec"), namespace)
    example = LiveExample(model=namespace["model"], namespace=namespace)
    if calls:
        args, kwargs = calls[-1]
        kwargs = dict(kwargs)
        example.x = args[0] if args else kwargs.pop("x", None)
        example.y = args[1] if len(args) > 1 else kwargs.pop("y", None)
        example.fit_kwargs = kwargs
    return example


def observed_run(code: str) -> dict[str, Any]:
    """What a capped run of an example records at its fit() call (as ``autofix-src --verify`` does):
    the layer classes and the data facts of ``x``/``y``, for ``check_source(observed=...)``."""
    from .data import data_facts, data_to_json

    live = run_live(code)
    data = data_facts(live.x, live.y) if live.x is not None else None
    return {"layers": [type(layer).__name__ for layer in live.model.layers],
            "data": data_to_json(data) if data is not None else None}


def snippet_line(code: str, line: int) -> int:
    """A finding's line in ``PRELUDE + code``, counted from the snippet's first code line
    (the convention of :attr:`autofix.rules.base.Example.line`)."""
    return line - PRELUDE.count("\n") - (1 if code.startswith("\n") else 0)


def message_has(message: str, fragment: str) -> bool:
    """Whether ``fragment`` is in ``message``, up to Keras's automatic layer-name suffixes
    (``'dense_3'`` on the live path is ``'dense_1'`` in a script: counters differ)."""
    def plain(text: str) -> str:
        return re.sub(r"'([A-Za-z][\w]*?)_\d+'", r"'\1'", text)

    return plain(fragment) in plain(message)


def layer_signature(model: Any) -> list[tuple[str, dict[str, Any]]]:
    """Layers as (class name, config without names) for structural comparison."""
    out = []
    for layer in model.layers:
        config = {k: v for k, v in layer.get_config().items() if k not in ("name", "build_config")}
        out.append((type(layer).__name__, config))
    return out


def compile_signature(model: Any) -> Any:
    """The loss (canonical name, from_logits) and optimizer class of a compiled model."""
    from .keras_vocab import loss_from_logits, loss_name

    config = model.get_compile_config() if model.compiled else None
    if not config:
        return None
    optimizer = config.get("optimizer")
    opt_name = optimizer.get("class_name") if isinstance(optimizer, dict) else optimizer
    return loss_name(config.get("loss")), loss_from_logits(config.get("loss")), opt_name
