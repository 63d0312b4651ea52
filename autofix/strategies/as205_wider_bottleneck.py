"""AS205 wider-bottleneck."""

from __future__ import annotations

from ..edits import Edit, SetLayerArg
from ..spec import ModelSpec
from ..values import is_known
from .base import Strategy, hidden_layers, width

#: A hidden layer this narrow, and narrower than its neighbours, is a bottleneck.
NARROW = 8
#: Width given to a widened bottleneck (at most its input's width).
WIDE = 32


class WiderBottleneck(Strategy):
    """Widen the narrowest hidden layer.

    ## What it does
    Finds hidden Dense/Conv layers with at most 8 units/filters that are
    narrower than the weighted layer before them, and sets their width to
    ``max(32, 4 x width)`` (at most the previous layer's width).

    ## When it helps
    A model that underfits because everything must pass through 1-8 units
    (an auto-encoder-like squeeze, ``Dense(2)`` before a 10-class head), or a
    narrow ReLU layer whose few units died.

    ## Edits
    ``SetLayerArg(layer, "units" | "filters", n)``; the widened layer and the
    one after it are re-initialised (their shapes change).
    """

    code = "AS205"
    name = "wider-bottleneck"
    title = "widen the narrow hidden layer(s)"

    def edits(self, spec: ModelSpec) -> list[Edit]:
        out: list[Edit] = []
        previous = None
        for layer in [lay for lay in spec.layers if not lay.scope]:
            units = width(layer) if layer in hidden_layers(spec) else None
            if is_known(units) and isinstance(units, int) and units <= NARROW:
                before = width(previous) if previous is not None else None
                if isinstance(before, int) and before > units:
                    key = "units" if "units" in layer.config else "filters"
                    out.append(SetLayerArg(layer.qualname, key, min(before, max(WIDE, 4 * units))))
            if is_known(width(layer)) and isinstance(width(layer), int):
                previous = layer
        return out
