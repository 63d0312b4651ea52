"""Three-valued facts: a known literal, ``UNKNOWN`` or ``Opaque(text)``.

A live model cannot tell its batch size; a training script can pass a variable
where a literal was expected.  Rules must never guess such values, so every
fact in a :class:`~autofix.spec.ModelSpec` is either a plain Python literal or
one of the two markers below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class _Unknown:
    """A fact the extraction path cannot see at all (singleton)."""

    _instance: "_Unknown | None" = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self):
        return (_Unknown, ())


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class Opaque:
    """A value given as a non-literal expression (e.g. a variable in source)."""

    text: str

    def __bool__(self) -> bool:
        return False


def is_known(value: Any) -> bool:
    """True when ``value`` is a literal fact, not UNKNOWN or Opaque."""
    return value is not UNKNOWN and not isinstance(value, Opaque)


def describe(value: Any) -> str:
    """Short human rendering of a fact for messages."""
    if value is UNKNOWN:
        return "unknown"
    if isinstance(value, Opaque):
        return f"`{value.text}`"
    return repr(value)
