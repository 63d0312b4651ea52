"""Row order in the data interpreter: the calls that reorder rows at random, and Keras iterators.

An :class:`~.data_values.Arr` keeps the random reorderings of its rows in ``order`` (a tuple of
:class:`~.data_values.Perm`, None when not known).  Here are the calls that add one:
``rng.permutation``/``rng.shuffle`` (of ``default_rng`` or the legacy ``np.random``),
``sklearn.utils.shuffle`` (one reordering shared by all the arrays it is given) and
``flow_from_directory``/``flow_from_dataframe`` iterators, whose ``predict()`` rows come in
shuffled order unless ``shuffle=False`` while ``.classes`` keeps the files' order.
:mod:`.script_data` compares the orders of fit()'s ``x`` and ``y``.
"""

from __future__ import annotations

import ast
from typing import Any

from . import data_calls, data_methods
from .data_objects import TOP, Flow, Ref, Rng
from .data_values import Arr, Perm, make, reordered

#: Keras iterator factories that read files (labels in ``.classes``) and shuffle by default.
FLOWS = ("flow_from_directory", "flow_from_dataframe")
#: ``model.predict`` spellings whose rows follow the order of an iterator they are given.
PREDICTS = ("predict", "predict_generator")


def rng_of(func: Any, legacy: Rng) -> tuple[Rng, str] | None:
    """``(generator, method)`` when ``func`` is a numpy generator method (``rng.shuffle``,
    ``np.random.permutation``, ``from numpy.random import shuffle``)."""
    if isinstance(func, tuple) and func[0] == "rng-method":
        return func[1], func[2]
    if isinstance(func, Ref) and func.path.startswith("numpy.random.") and func.path.count(".") == 2:
        return legacy, func.path.rsplit(".", 1)[1]
    return None


def rng_call(rng: Rng, method: str, node: ast.Call, args: list, kw: dict, env: dict) -> Any:
    """A generator method: ``shuffle(a)`` reorders ``a`` in place (None), ``permutation`` draws a reordering."""
    perm = Perm(node.lineno, node.col_offset, rng.seeded, ast.unparse(node.func))
    if method == "shuffle":
        if node.args and isinstance(node.args[0], ast.Name) and args and isinstance(args[0], Arr):
            env[node.args[0].id] = data_calls.shuffled(args[0], perm)
        return None
    if method == "permutation":
        value = data_calls.rng_draw(method, args, kw, node.lineno, perm)
        return value if value is not None else TOP
    return data_methods.rng_call(method, args, kw, node.lineno)


def seeded_generator(args: list, kw: dict) -> Rng:
    """``np.random.default_rng(seed)`` / ``RandomState(seed)``: seeded when a seed is given."""
    return Rng(seeded=any(v is not None for v in (*args, *kw.values())))


def sklearn_shuffle(node: ast.Call, args: list, kw: dict) -> Any:
    """``sklearn.utils.shuffle(*arrays)``: every array in one new order (one array: that array)."""
    if not args or "n_samples" in kw:
        return TOP
    perm = Perm(node.lineno, node.col_offset, kw.get("random_state") is not None, ast.unparse(node.func))
    out = [reordered(a.but(replay=None, random=True), perm) if isinstance(a, Arr) else TOP for a in args]
    return out[0] if len(out) == 1 else out


def flow(node: ast.Call, kw: dict) -> Flow:
    """A file iterator: shuffled (a fresh order) unless ``shuffle=False``; an opaque flag: not known."""
    shuffle = kw.get("shuffle", True)
    if shuffle is False:
        return Flow(())
    if shuffle is not True:
        return Flow(None)
    return Flow((Perm(node.lineno, node.col_offset, "seed" in kw, ast.unparse(node.func)),))


def flow_attribute(owner: Flow, attr: str, line: int) -> Any:
    """``it.classes``: the files' class indices in their listed order; other attributes are opaque."""
    if attr == "classes":
        return make(0, float("inf"), "int", None, line=line)
    return TOP


def predicted(args: list, line: int) -> Arr:
    """``predict(...)``'s rows: in the order of the iterator it reads, when it reads one."""
    source = args[0] if args else None
    return Arr(prediction=True, lines=(line,), order=source.order if isinstance(source, Flow) else None)
