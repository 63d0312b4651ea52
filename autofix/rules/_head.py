"""Shared helpers for rules about the output head and its loss."""

from __future__ import annotations

from typing import Any

from ..edits import SetLabelEncoding, SetLayerArg, SetLoss
from ..findings import Applicability, Fix
from ..keras_vocab import loss_name, output_head, units_of
from ..spec import LayerSpec, ModelSpec
from ..values import is_known


class Head:
    """The output head: the weighted layer, its activation and who applies it."""

    def __init__(self, dense: LayerSpec, activation: Any, act_layer: LayerSpec):
        self.dense = dense
        self.activation = activation
        self.act_layer = act_layer
        self.units = units_of(dense)

    @classmethod
    def of(cls, spec: ModelSpec) -> "Head | None":
        found = output_head(spec)
        if found is None:
            return None
        head = cls(*found)
        if not is_known(head.units) or not is_known(head.activation):
            return None
        return head

    def describe(self) -> str:
        where = f"Dense layer '{self.dense.name}'" if self.dense.class_name == "Dense" else (
            f"{self.dense.class_name} layer '{self.dense.name}'"
        )
        return f"{where} has {self.units} unit{'s' if self.units != 1 else ''} with {self.activation}"

    def set_activation(self, activation: str) -> SetLayerArg:
        return SetLayerArg(self.act_layer.qualname, "activation", activation)


def labels_may_be_onehot(spec: ModelSpec | None) -> bool:
    """Whether a multi-unit head's labels may be one-hot rows.

    False when the loss is sparse (class indices) or the training data shows
    0/1 or integer labels; True otherwise (also when nothing is known).
    """
    if spec is None:
        return True
    if spec.compile is not None and loss_name(spec.compile.loss) == "sparse_categorical_crossentropy":
        return False
    return not (spec.data is not None and spec.data.label_kind in ("binary", "integer"))


def sigmoid_binary_fix(head: Head, applicability: Applicability, spec: ModelSpec | None = None) -> Fix:
    """One sigmoid unit + binary_crossentropy (labels must be 0/1).

    A 2-unit head whose labels may be one-hot also gets
    ``SetLabelEncoding("indices")``: the graph path reports it, the source
    path unwraps the script's ``to_categorical(...)`` (and the fix is not
    applicable to a script where no such call is visible).
    """
    edits: list[Any] = []
    if head.units != 1:
        edits.append(SetLayerArg(head.dense.qualname, "units", 1))
    if head.activation != "sigmoid":
        edits.append(head.set_activation("sigmoid"))
    edits.append(SetLoss("binary_crossentropy"))
    if head.units == 2 and labels_may_be_onehot(spec):
        edits.append(SetLabelEncoding("indices"))
    title = "use 1 sigmoid unit with binary_crossentropy"
    if head.units != 1:
        title += " (labels must be 0/1 class indices, e.g. y.argmax(-1) for one-hot labels)"
    return Fix(title, tuple(edits), applicability)
