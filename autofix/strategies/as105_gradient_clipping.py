"""AS105 gradient-clipping."""

from __future__ import annotations

from ..edits import Edit, SetOptimizerArg
from ..spec import ModelSpec
from .base import Strategy, optimizer_config, optimizer_name


class GradientClipping(Strategy):
    """Clip each gradient to norm 1.

    ## What it does
    Sets ``clipnorm=1.0`` on the optimizer.

    ## When it helps
    Exploding gradients or a diverging loss from occasional huge steps
    (unscaled targets, deep stacks, large initial weights), when a smaller
    learning rate would slow every other step down.

    ## Edits
    ``SetOptimizerArg("clipnorm", 1.0)``.
    """

    code = "AS105"
    name = "gradient-clipping"
    title = "clip gradients to norm 1 (clipnorm=1.0)"

    def edits(self, spec: ModelSpec) -> list[Edit]:
        config = optimizer_config(spec)
        if optimizer_name(spec) is None or config.get("clipnorm") or config.get("global_clipnorm"):
            return []
        return [SetOptimizerArg("clipnorm", 1.0)]
