"""The values the data interpreter tracks besides arrays, and how two of them join.

Modules and functions by path (:class:`Ref`), numpy generators (:class:`Rng`), the
script's own functions and class instances (:class:`Func`, :class:`Instance`), plain
Python numbers, tuples and lists, and :data:`TOP` for anything not understood.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from .data_values import Arr


class _Top:
    def __repr__(self) -> str:
        return "TOP"


#: A value the interpreter does not understand.
TOP = _Top()
#: Statements/expressions interpreted per script before giving up (long scripts stay fast).
BUDGET = 60_000


class OutOfBudget(Exception):
    """The script is longer than :data:`BUDGET` steps: interpretation stops there."""


@dataclass(frozen=True)
class Ref:
    """A module or function by its dotted path (``numpy.random.default_rng``)."""

    path: str


@dataclass(frozen=True)
class Rng:
    """A numpy random generator (``default_rng(...)`` or the legacy ``np.random`` module); ``seeded``
    once it has been given a seed (its draws may then repeat another generator's)."""

    seeded: bool = False


@dataclass(frozen=True)
class Flow:
    """A Keras directory/dataframe iterator (``flow_from_directory``): it yields its files in the
    row order ``order`` (a fresh :class:`~.data_values.Perm` when it shuffles, None when not known)."""

    order: tuple | None


@dataclass
class Func:
    node: ast.FunctionDef
    owner: Any = None  # the instance of a bound method
    scope: Any = None  # the enclosing function's names, for a function defined inside one (a closure)


@dataclass
class Instance:
    cls: ast.ClassDef
    attrs: dict = field(default_factory=dict)


@dataclass
class Use:
    """A held-out value used for evaluation: the value, its source text and line, the Origin of
    the expression that is exactly that value (an argument of ``evaluate()``; None when none is), and
    its ``role`` where the call says it (``"x"``: an input of ``predict``/``evaluate``/``validation_data``;
    ``"y"``: a target there; None: met with a prediction elsewhere, either)."""

    value: Arr
    text: str
    line: int
    at: Any = None
    role: str | None = None


def join(a: Any, b: Any) -> Any:
    """The value a name has when it may be ``a`` or ``b``: opaque unless both agree."""
    if a is b:
        return a
    if type(a) is type(b) and isinstance(a, (int, float, str, bool)) and a == b:
        return a
    return TOP


def plain(value: Any) -> bool:
    """A Python number or bool (not an array)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) or isinstance(value, bool)


def method_of(cls: ast.ClassDef, name: str) -> ast.FunctionDef | None:
    """The method ``name`` a class body defines (inherited ones are not followed)."""
    return next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
