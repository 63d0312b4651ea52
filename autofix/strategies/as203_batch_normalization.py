"""AS203 batch-normalization."""

from __future__ import annotations

from ..edits import Edit, InsertLayer, NewLayer
from ..spec import ModelSpec
from .base import SCALERS, Strategy, hidden_layers, next_activation


class BatchNormalizationAfterHidden(Strategy):
    """Insert BatchNormalization after each hidden Dense/Conv layer.

    ## What it does
    Inserts a ``BatchNormalization()`` layer after every hidden weighted layer
    (after its ``Activation`` layer when it has one) that is not already
    followed by a normalisation layer.

    ## When it helps
    Vanishing or exploding activations through a deep stack, badly scaled
    initial weights: each layer's outputs are re-centred and re-scaled per
    batch.  It can *cause* a train/inference gap with label-sorted batches or
    tiny batches (AF301's subject), which the arms measure in inference mode.

    ## Edits
    ``InsertLayer(layer, NewLayer.of("BatchNormalization"))`` per hidden layer.
    """

    code = "AS203"
    name = "batch-normalization"
    title = "insert BatchNormalization after the hidden layers"

    def edits(self, spec: ModelSpec) -> list[Edit]:
        out: list[Edit] = []
        for layer in hidden_layers(spec):
            _, holder = next_activation(spec, layer)
            anchor = holder or layer
            following = spec.successors(anchor)
            if len(following) != 1 or following[0].class_name in SCALERS:
                continue
            out.append(InsertLayer(anchor.qualname, NewLayer.of("BatchNormalization")))
        return out
