"""AS301 more-updates."""

from __future__ import annotations

from ..edits import Edit, SetFitArg
from ..spec import ModelSpec
from ..values import is_known
from .base import Strategy

#: Smallest batch this strategy goes down to.
MIN_BATCH = 8
FACTOR = 4


class MoreUpdates(Strategy):
    """Make more, smaller updates: batch size / 4 and epochs x 4.

    ## What it does
    Sets ``batch_size`` to a quarter (at least 8) and, when ``epochs`` is
    known, multiplies it by 4: four times as many optimizer steps per epoch
    and in all.

    ## When it helps
    A loss still falling steeply when training ends, a model that stays at
    chance because it made a few dozen updates in all.  Verification's arms
    train every candidate for the same number of steps, so an arm measures
    only the smaller batch (noisier steps over the same rows); the extra
    updates show in the user's full run, not in the arm.

    ## Edits
    ``SetFitArg("batch_size", b // 4)`` and ``SetFitArg("epochs", e * 4)``.
    """

    code = "AS301"
    name = "more-updates"
    title = "make more, smaller updates (batch_size / 4, epochs x 4)"

    def edits(self, spec: ModelSpec) -> list[Edit]:
        batch = spec.fit.batch_size if is_known(spec.fit.batch_size) and spec.fit.batch_size else 32
        if not isinstance(batch, int) or batch < 2 * MIN_BATCH:
            return []
        out: list[Edit] = [SetFitArg("batch_size", max(MIN_BATCH, batch // FACTOR))]
        epochs = spec.fit.epochs
        if is_known(epochs) and isinstance(epochs, int) and epochs > 0:
            out.append(SetFitArg("epochs", epochs * FACTOR))
        return out
