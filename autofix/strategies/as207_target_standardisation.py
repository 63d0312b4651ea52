"""AS207 target-standardisation."""

from __future__ import annotations

from ..edits import Edit
from ..rules._targets import linear_output, rescaling_insert, target_stats
from ..spec import ModelSpec
from .base import Strategy

#: Targets count as standardised when their mean is within this many stds of 0 and their std within this range.
MAX_OFFSET = 0.5
STD_RANGE = (0.5, 2.0)


class TargetStandardisation(Strategy):
    """Let the head learn standardised targets: append ``Rescaling(scale=std, offset=mean)`` after it.

    ## What it does
    Appends ``keras.layers.Rescaling(scale=std, offset=mean)`` after the
    linear output of a model trained with mse, mae, Huber or log-cosh, with
    the training targets' mean and standard deviation (the edit rule AF408
    makes, for any one-column targets that are not already standardised: a
    mean further than half a standard deviation from 0, or a standard
    deviation outside 0.5..2). The model still predicts in the user's units.

    ## When it helps
    A regression that does not learn (R^2 near 0) or diverges because its
    targets are in raw units (thousands, or offset far from zero) that a
    unit-scale head reaches only after many steps.

    ## Edits
    ``InsertLayer(output_layer, NewLayer.of("Rescaling", scale=..., offset=...),
    after=True)``.  Needs data facts (``y``).
    """

    code = "AS207"
    name = "target-standardisation"
    title = "standardise the regression targets (Rescaling after the head with their mean and std)"

    def edits(self, spec: ModelSpec) -> list[Edit]:
        output, stats = linear_output(spec), target_stats(spec.data)
        if output is None or stats is None:
            return []
        mean, std = stats
        if abs(mean) <= MAX_OFFSET * std and STD_RANGE[0] <= std <= STD_RANGE[1]:
            return []
        return [rescaling_insert(output, mean, std)]
