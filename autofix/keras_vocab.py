"""Keras semantics as plain data: layer categories, defaults, loss names.

Pure Python (no Keras import), shared by rules and both extraction paths.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .spec import LayerSpec, ModelSpec
from .values import UNKNOWN, Opaque, is_known

#: Layers with a kernel and an ``activation`` argument that defaults to linear.
WEIGHTED_WITH_ACTIVATION = frozenset(
    {
        "Dense", "Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D",
        "DepthwiseConv1D", "DepthwiseConv2D", "Conv1DTranspose", "Conv2DTranspose",
        "Conv3DTranspose", "EinsumDense",
    }
)

#: Standalone activation layers and the activation they apply.
ACTIVATION_LAYERS = {
    "ReLU": "relu", "LeakyReLU": "leaky_relu", "PReLU": "prelu", "ELU": "elu",
    "Softmax": "softmax",
}

#: Layers that pass values through without adding a nonlinearity between two
#: linear layers (they do not break a purely linear stack).
LINEAR_PASSTHROUGH = frozenset(
    {
        "BatchNormalization", "LayerNormalization", "GroupNormalization",
        "UnitNormalization", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
        "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
        "Flatten", "Reshape", "Permute", "RepeatVector", "ZeroPadding1D",
        "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
        "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
        "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
        "Rescaling", "Normalization", "Identity", "ActivityRegularization",
        "Add", "Subtract", "Average", "Concatenate",
    }
)

#: Layers that join several tensors into one.
MERGE_LAYERS = frozenset({"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"})

SATURATING = frozenset({"sigmoid", "tanh", "hard_sigmoid", "softsign"})
PROBABILITY_HEADS = frozenset({"softmax", "sigmoid"})

#: Canonical names of losses by every spelling Keras accepts.
_LOSS_ALIASES = {
    "binary_crossentropy": "binary_crossentropy",
    "binarycrossentropy": "binary_crossentropy",
    "bce": "binary_crossentropy",
    "binary_focal_crossentropy": "binary_focal_crossentropy",
    "binaryfocalcrossentropy": "binary_focal_crossentropy",
    "categorical_crossentropy": "categorical_crossentropy",
    "categoricalcrossentropy": "categorical_crossentropy",
    "cce": "categorical_crossentropy",
    "categorical_focal_crossentropy": "categorical_focal_crossentropy",
    "categoricalfocalcrossentropy": "categorical_focal_crossentropy",
    "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
    "sparsecategoricalcrossentropy": "sparse_categorical_crossentropy",
    "mse": "mean_squared_error", "mean_squared_error": "mean_squared_error",
    "meansquarederror": "mean_squared_error",
    "mae": "mean_absolute_error", "mean_absolute_error": "mean_absolute_error",
    "meanabsoluteerror": "mean_absolute_error",
    "hinge": "hinge", "squared_hinge": "squared_hinge",
}
CROSSENTROPY_LOSSES = frozenset(
    {
        "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
        "categorical_focal_crossentropy", "sparse_categorical_crossentropy",
    }
)
BINARY_LOSSES = frozenset({"binary_crossentropy", "binary_focal_crossentropy"})
CATEGORICAL_LOSSES = frozenset(
    {"categorical_crossentropy", "categorical_focal_crossentropy"}
)


@functools.lru_cache(maxsize=512)
def snake_case(name: str) -> str:
    """Keras's own name base for a class (``MaxPooling2D`` -> ``max_pooling2d``,
    ``SpatialDropout1D`` -> ``spatial_dropout1d``), as ``keras.src.utils.naming`` makes it."""
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def activation_name(value: Any) -> Any:
    """Normalise an ``activation`` config value to a lower-case name.

    ``None`` and a missing argument mean Keras's default, ``"linear"``.
    Serialized activation objects (``{"class_name": ...}``) are reduced to
    their class name; Opaque/UNKNOWN pass through.
    """
    if value is None:
        return "linear"
    if not is_known(value):
        return value
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, dict):
        inner = value.get("config")
        if isinstance(inner, str):
            return inner.lower()
        return snake_case(str(value.get("class_name", "unknown")))
    return Opaque(repr(value))


def layer_activation(layer: LayerSpec) -> Any:
    """The activation a layer applies, or ``None`` when it applies none.

    Weighted layers return their ``activation`` (default linear); activation
    layers return theirs; every other layer returns ``None``.
    """
    if layer.class_name in WEIGHTED_WITH_ACTIVATION:
        return activation_name(layer.config.get("activation"))
    if layer.class_name == "Activation":
        return activation_name(layer.config.get("activation", UNKNOWN))
    if layer.class_name in ACTIVATION_LAYERS:
        return ACTIVATION_LAYERS[layer.class_name]
    return None


def is_nonlinear(layer: LayerSpec) -> Any:
    """True/False whether a layer adds a nonlinearity; Opaque when unknowable."""
    act = layer_activation(layer)
    if act is None:
        if layer.class_name in LINEAR_PASSTHROUGH:
            return False
        return True  # pooling (max), attention, recurrent... treat as nonlinear
    if not is_known(act):
        return act
    return act != "linear"


def units_of(layer: LayerSpec) -> Any:
    """Output width of a weighted layer (``units`` or ``filters``)."""
    for key in ("units", "filters"):
        if key in layer.config:
            return layer.config[key]
    return UNKNOWN


def loss_name(loss: Any) -> Any:
    """Canonical loss name (``"binary_crossentropy"`` ...) or Opaque/UNKNOWN."""
    if not is_known(loss) or loss is None:
        return loss if loss is not None else UNKNOWN
    if isinstance(loss, str):
        key = loss.lower()
        return _LOSS_ALIASES.get(key, key)
    if isinstance(loss, dict):
        class_name = str(loss.get("class_name", ""))
        if class_name == "function":
            return loss_name(loss.get("config"))
        return _LOSS_ALIASES.get(class_name.lower(), snake_case(class_name))
    if isinstance(loss, (list, tuple)) and len(loss) == 1:
        return loss_name(loss[0])
    return Opaque(repr(loss))


def loss_from_logits(loss: Any) -> Any:
    """``from_logits`` of a loss (False for string losses)."""
    if isinstance(loss, str):
        return False
    if isinstance(loss, dict):
        config = loss.get("config")
        if loss.get("class_name") == "function" or isinstance(config, str):
            return False  # a plain loss function such as keras.losses.categorical_crossentropy
        return (config or {}).get("from_logits", False)
    if isinstance(loss, (list, tuple)) and len(loss) == 1:
        return loss_from_logits(loss[0])
    return UNKNOWN


def output_head(spec: ModelSpec) -> tuple[LayerSpec, Any, LayerSpec] | None:
    """The single output's last weighted layer, its final activation, and the
    layer that applies that activation.

    Walks back from the model output over activation layers and pass-through
    layers (Dropout, Flatten...) to the Dense/Conv that produces the logits.
    Returns ``None`` for multi-output models or when no weighted layer is found.
    """
    outputs = spec.output_layers()
    if len(outputs) != 1:
        return None
    layer = outputs[0]
    activation_layer = None
    activation: Any = None
    seen = 0
    while layer is not None and seen < 16:
        seen += 1
        act = layer_activation(layer)
        if layer.class_name in WEIGHTED_WITH_ACTIVATION:
            if activation_layer is None or activation in (None, "linear"):
                return layer, act, layer
            return layer, activation, activation_layer
        if act is not None and activation_layer is None:
            activation_layer, activation = layer, act
        elif act is not None and act != "linear":
            return None  # two stacked activations: too unusual to reason about
        preds = spec.predecessors(layer)
        if len(preds) != 1:
            return None
        layer = preds[0]
    return None
