"""The fix loop on a live model: rebuild with each pass's fixes until nothing more applies."""

from __future__ import annotations

from typing import Any

from .. import engine
from ..data_prep import applies_to_arrays, prepare_arrays
from ..edits import DATA_EDITS
from ..findings import Finding, Fix
from ..spec import ModelSpec
from .extract import extract
from .rebuild import Rebuilt, apply_edits


def repair(model: Any, x: Any = None, y: Any = None, *, fit_kwargs: dict | None = None, rules: list,
           unsafe_fixes: bool = True, prefer: dict[str, int] | None = None,
           first: list[tuple[ModelSpec, engine.Diagnosis]] | None = None) -> engine.FixpointResult[Rebuilt]:
    """Run :func:`autofix.engine.fix_to_fixpoint` on ``model``; the state is a :class:`Rebuilt`.

    ``model`` is only read.  ``first`` reuses an already-computed diagnosis of it.
    """
    def spec_of(state: Rebuilt) -> ModelSpec:
        xs, ys = prepare_arrays(state.data_edits, x, y) if state.data_edits else (x, y)
        return extract(state.model, xs, ys, state.fit_kwargs if fit_kwargs is not None or state.fit_kwargs else None)

    def apply(state: Rebuilt, picks: list[engine.Pick]) -> tuple[Rebuilt, list[tuple[Finding, Fix]]]:
        done = [pick for _, _, chosen in picks for pick in chosen if not changes_data(pick[1])]
        if not done:  # only fixes of the code that makes the data: nothing this loop can apply
            return state, []
        edits = [e for _, fx in done for e in fx.edits]
        return _accumulate(state, apply_edits(state.model, edits, state.fit_kwargs)), done

    return engine.fix_to_fixpoint(Rebuilt(model, dict(fit_kwargs or {})), engine.with_rules(spec_of, rules), apply,
                                  unsafe=unsafe_fixes, prefer=prefer, first=first)


def changes_data(fix: Fix) -> bool:
    """Whether ``fix`` changes the code that makes the data (an integer division): skipped here, since
    the arrays no longer show it (the finding stays, and the report says what to change).  Data fixes
    arrays can take (a shuffle, rescaled targets) are applied: ``FixResult.prepare(x, y)``."""
    return any(isinstance(edit, DATA_EDITS) and not applies_to_arrays(edit) for edit in fix.edits)


def _accumulate(previous: Rebuilt, rebuilt: Rebuilt) -> Rebuilt:
    """Keep the re-initialised layers and the label encoding across passes of the fix loop."""
    rebuilt.reinitialised_layers = [*previous.reinitialised_layers, *rebuilt.reinitialised_layers]
    rebuilt.label_encoding = rebuilt.label_encoding or previous.label_encoding
    rebuilt.data_edits = [*previous.data_edits, *rebuilt.data_edits]
    return rebuilt
