"""autofix: find and repair the quiet mistakes in Keras models.

The live-model API (:func:`diagnose`, :func:`fix`) imports Keras lazily, so
importing :mod:`autofix` (and the ``autofix-src`` source path) never loads
TensorFlow or Keras.
"""

from __future__ import annotations

from typing import Any

from .findings import Applicability, Finding, Fix, Severity, Skip

__version__ = "0.1.0"


def diagnose(model: Any, x: Any = None, y: Any = None, **kwargs: Any) -> list[Finding]:
    """Find misconfigurations in a live ``keras.Model``; see :func:`autofix.api.diagnose`."""
    from .api import diagnose as _diagnose

    return _diagnose(model, x, y, **kwargs)


def fix(model: Any, x: Any = None, y: Any = None, **kwargs: Any):
    """Repair a live ``keras.Model`` into a new one; see :func:`autofix.api.fix`."""
    from .api import fix as _fix

    return _fix(model, x, y, **kwargs)


def __getattr__(name: str) -> Any:
    """Lazy attributes: ``autofix.Monitor`` imports Keras only when first used."""
    if name == "Monitor":
        from .monitor import Monitor

        return Monitor
    raise AttributeError(f"module 'autofix' has no attribute {name!r}")


__all__ = ["Applicability", "Monitor", "Finding", "Fix", "Severity", "Skip", "diagnose", "fix", "__version__"]
