"""AS206 lower-dropout."""

from __future__ import annotations

from ..edits import Edit, SetLayerArg
from ..spec import ModelSpec
from .base import Strategy

_DROPOUTS = frozenset({"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
                       "GaussianDropout"})
#: Rates above this are lowered to :data:`LOW`.
HIGH = 0.3
LOW = 0.1


class LowerDropout(Strategy):
    """Lower high dropout rates to 0.1.

    ## What it does
    Sets ``rate=0.1`` on every dropout layer whose rate is above 0.3.

    ## When it helps
    A model that does not learn or underfits because most activations are
    dropped on every step (a keep probability passed as the rate, several
    heavy dropout layers in a small network).

    ## Edits
    ``SetLayerArg(layer, "rate", 0.1)`` per dropout layer.
    """

    code = "AS206"
    name = "lower-dropout"
    title = "lower the dropout rates to 0.1"

    def edits(self, spec: ModelSpec) -> list[Edit]:
        out: list[Edit] = []
        for layer in spec.layers:
            rate = layer.config.get("rate")
            if layer.class_name in _DROPOUTS and isinstance(rate, (int, float)) and rate > HIGH:
                out.append(SetLayerArg(layer.qualname, "rate", LOW))
        return out
