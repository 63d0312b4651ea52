"""Positional parameters of common Keras 3 constructors (source maps them to names)."""

from __future__ import annotations

_CONV = ("filters", "kernel_size", "strides", "padding")
_POOL = ("pool_size", "strides", "padding")
_RNN = ("units", "activation")

POSITIONAL: dict[str, tuple[str, ...]] = {
    "Dense": ("units", "activation", "use_bias"),
    "Conv1D": _CONV, "Conv2D": _CONV, "Conv3D": _CONV,
    "SeparableConv1D": _CONV, "SeparableConv2D": _CONV,
    "Conv1DTranspose": _CONV, "Conv2DTranspose": _CONV, "Conv3DTranspose": _CONV,
    "ConvLSTM1D": _CONV, "ConvLSTM2D": _CONV, "ConvLSTM3D": _CONV,
    "DepthwiseConv1D": ("kernel_size", "strides", "padding"),
    "DepthwiseConv2D": ("kernel_size", "strides", "padding"),
    "Dropout": ("rate",), "SpatialDropout1D": ("rate",), "SpatialDropout2D": ("rate",),
    "SpatialDropout3D": ("rate",), "AlphaDropout": ("rate",), "GaussianDropout": ("rate",),
    "GaussianNoise": ("stddev",),
    "Activation": ("activation",),
    "BatchNormalization": ("axis", "momentum", "epsilon"),
    "MaxPooling1D": _POOL, "MaxPooling2D": _POOL, "MaxPooling3D": _POOL,
    "AveragePooling1D": _POOL, "AveragePooling2D": _POOL, "AveragePooling3D": _POOL,
    "Reshape": ("target_shape",), "Flatten": ("data_format",),
    "LeakyReLU": ("negative_slope",), "ReLU": ("max_value", "negative_slope", "threshold"),
    "ELU": ("alpha",), "Softmax": ("axis",), "Rescaling": ("scale", "offset"),
    "Normalization": ("axis", "mean", "variance"), "Embedding": ("input_dim", "output_dim"),
    "LSTM": _RNN, "GRU": _RNN, "SimpleRNN": _RNN,
    "Input": ("shape", "batch_size"), "InputLayer": ("shape", "batch_size"),
    "Concatenate": ("axis",), "ZeroPadding1D": ("padding",), "ZeroPadding2D": ("padding",),
}
OPTIMIZER_POSITIONAL = ("learning_rate",)
LOSS_POSITIONAL = {
    "BinaryCrossentropy": ("from_logits", "label_smoothing"),
    "CategoricalCrossentropy": ("from_logits", "label_smoothing"),
    "SparseCategoricalCrossentropy": ("from_logits",),
    "BinaryFocalCrossentropy": ("apply_class_balancing", "alpha", "gamma", "from_logits"),
}
CALLBACK_POSITIONAL = {
    "EarlyStopping": ("monitor", "min_delta", "patience", "verbose", "mode", "baseline", "restore_best_weights",
                      "start_from_epoch"),
    "ReduceLROnPlateau": ("monitor", "factor", "patience"),
    "ModelCheckpoint": ("filepath", "monitor"),
}

CALL_POSITIONAL = {
    "compile": ("optimizer", "loss", "loss_weights", "metrics"),
    "fit": ("x", "y", "batch_size", "epochs"),
}


def positional(kind: str, class_name: str) -> tuple[str, ...]:
    """Names of the positional parameters of ``class_name`` (empty when unknown)."""
    if kind == "layer":
        return POSITIONAL.get(class_name, ())
    if kind == "optimizer":
        return OPTIMIZER_POSITIONAL
    if kind == "loss":
        return LOSS_POSITIONAL.get(class_name, ())
    if kind == "callback":
        return CALLBACK_POSITIONAL.get(class_name, ())
    return CALL_POSITIONAL.get(kind, ())
