"""AS201 initializer-by-activation."""

from __future__ import annotations

from typing import Any

from ..edits import Edit, SetLayerArg
from ..spec import LayerSpec, ModelSpec
from .base import RELU_FAMILY, Strategy, next_activation, weighted_layers

#: How Keras spells the initializers this strategy sets (class name in a live config).
_CLASS = {"he_normal": "HeNormal", "glorot_uniform": "GlorotUniform", "zeros": "Zeros"}


def _same(value: Any, name: str) -> bool:
    if isinstance(value, str):
        return value.lower().replace("_", "") == name.replace("_", "")
    if isinstance(value, dict):
        return value.get("class_name") == _CLASS[name] and not (value.get("config") or {}).get("seed")
    return False


def initializer_for(spec: ModelSpec, layer: LayerSpec) -> str:
    act, _ = next_activation(spec, layer)
    return "he_normal" if isinstance(act, str) and act in RELU_FAMILY else "glorot_uniform"


class InitializerByActivation(Strategy):
    """Re-initialise every Dense/Conv kernel for its activation, with zero biases.

    ## What it does
    Sets ``kernel_initializer="he_normal"`` on layers followed by a ReLU-family
    activation and ``"glorot_uniform"`` on the others (the output layer too),
    and ``bias_initializer="zeros"``, where they differ.

    ## When it helps
    A model that does not learn, vanishing or exploding gradients, dead ReLU
    units: kernels drawn too large (``RandomNormal(stddev=5)``) saturate
    tanh/sigmoid units, kernels drawn too small (``stddev=0.001``) or constant
    ones let the signal fade, large biases kill ReLUs.

    ## Edits
    ``SetLayerArg(layer, "kernel_initializer", ...)`` and
    ``SetLayerArg(layer, "bias_initializer", "zeros")`` per layer.
    """

    code = "AS201"
    name = "initializer-by-activation"
    title = "initialise kernels for their activation (He / Glorot) with zero biases"

    def edits(self, spec: ModelSpec) -> list[Edit]:
        out: list[Edit] = []
        for layer in weighted_layers(spec):
            if not layer.class_name.startswith(("Depthwise", "Separable")):
                wanted = initializer_for(spec, layer)
                if not _same(layer.config.get("kernel_initializer", "glorot_uniform"), wanted):
                    out.append(SetLayerArg(layer.qualname, "kernel_initializer", wanted))
            if layer.config.get("use_bias", True) and not _same(layer.config.get("bias_initializer", "zeros"),
                                                                "zeros"):
                out.append(SetLayerArg(layer.qualname, "bias_initializer", "zeros"))
        return out
