"""AS204 input-normalization."""

from __future__ import annotations

import math

from ..edits import Edit
from ..rules._normalize import normalization_inserts, rounded_stats
from ..spec import ModelSpec
from ..values import is_known
from .base import SCALERS, Strategy, body_layers

#: Inputs count as standardised when their mean is within this many stds of 0 and their std within this range.
MAX_OFFSET = 0.5
STD_RANGE = (0.5, 2.0)


class InputNormalization(Strategy):
    """Standardise the inputs with a Normalization layer adapted from the data facts.

    ## What it does
    Inserts ``Normalization(axis=None, mean=..., variance=...)`` before the
    first layer, with the training inputs' mean and variance (measured on
    ``x``; the same statistics rule AF402 uses, but for any input that is not
    already standardised: a mean further than half a standard deviation from
    0, or a standard deviation outside 0.5..2).

    ## When it helps
    Inputs in 0..10 or 0..255, or offset far from zero: the first layer's
    units saturate or its gradients dominate, the model predicts one class;
    also a train/inference gap from BatchNormalization statistics that lag
    behind unscaled inputs.

    ## Edits
    ``InsertLayer(first_layer, NewLayer.of("Normalization", axis=None,
    mean=..., variance=...), after=False)``.  Needs data facts (``x``).
    """

    code = "AS204"
    name = "input-normalization"
    title = "standardise the inputs (Normalization layer with the data's mean and variance)"

    def edits(self, spec: ModelSpec) -> list[Edit]:
        data, body = spec.data, body_layers(spec)
        if data is None or not body or body[0].class_name in SCALERS:
            return []
        if spec.kind != "sequential" and len(spec.inputs) != 1:
            return []
        if not (is_known(data.x_std) and is_known(data.x_mean)):
            return []  # static facts from the script may not show the statistics
        std = float(data.x_std)
        if not (math.isfinite(std) and std > 0 and math.isfinite(float(data.x_mean))):
            return []
        if abs(data.x_mean) <= MAX_OFFSET * std and STD_RANGE[0] <= std <= STD_RANGE[1]:
            return []
        return normalization_inserts(spec, body[0], *rounded_stats(data.x_mean, std))
