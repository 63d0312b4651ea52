"""Verification: confirm fixes with short, seeded, budgeted A/B retrains.

:mod:`.verified` repairs a live model (:func:`verified_fix`, imported on first
use: it loads Keras); :mod:`.scripts` runs training scripts with ``fit()``
capped for ``autofix-src --verify``, whose own process must start without
TensorFlow, so nothing here imports the live path eagerly.
"""

from __future__ import annotations

from typing import Any

from .plan import plan_steps

_LAZY = {"verified_fix", "VerifiedRepair", "Verification"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import verified

        return getattr(verified, name)
    raise AttributeError(f"module 'autofix.verify' has no attribute {name!r}")


__all__ = ["VerifiedRepair", "Verification", "plan_steps", "verified_fix"]
