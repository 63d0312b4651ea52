"""Keras 1/2 spellings and Keras 3 aliases, normalised to Keras 3 vocabulary."""

from __future__ import annotations

#: Legacy layer classes that no longer exist, by their Keras 3 name.
LEGACY_CLASSES = {
    "Deconvolution2D": "Conv2DTranspose", "Deconvolution3D": "Conv3DTranspose",
    "AtrousConvolution1D": "Conv1D", "AtrousConvolution2D": "Conv2D",
}
#: Aliases Keras 3 still accepts (normalised silently, never reported).
ALIASES = {
    "MaxPool1D": "MaxPooling1D", "MaxPool2D": "MaxPooling2D", "MaxPool3D": "MaxPooling3D",
    "AvgPool1D": "AveragePooling1D", "AvgPool2D": "AveragePooling2D", "AvgPool3D": "AveragePooling3D",
    "GlobalMaxPool1D": "GlobalMaxPooling1D", "GlobalMaxPool2D": "GlobalMaxPooling2D",
    "GlobalAvgPool1D": "GlobalAveragePooling1D", "GlobalAvgPool2D": "GlobalAveragePooling2D",
    "Convolution2DTranspose": "Conv2DTranspose", "Conv2DTranspose": "Conv2DTranspose",
    # keras.layers still exports these (``Conv1D as Convolution1D``); only their Keras 1
    # arguments are legacy (keras1.py maps ``Convolution2D(32, 3, 3)``).
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
}
#: Legacy keyword arguments of layers.
LAYER_KWARGS = {
    "nb_filter": "filters", "filter_length": "kernel_size", "border_mode": "padding",
    "subsample": "strides", "subsample_length": "strides", "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer", "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint", "b_constraint": "bias_constraint",
    "dim_ordering": "data_format", "pool_length": "pool_size",
}
#: Layers whose Keras 1 keywords were renamed differently (``Embedding(init=)`` initialised the embeddings).
LAYER_KWARG_EXCEPTIONS = {
    "Embedding": {"init": "embeddings_initializer", "W_regularizer": "embeddings_regularizer",
                  "W_constraint": "embeddings_constraint"},
    "PReLU": {"init": "alpha_initializer"},
}
#: ``output_dim`` meant ``units`` on these layers (it is still valid on Embedding).
OUTPUT_DIM_LAYERS = frozenset({"Dense", "LSTM", "GRU", "SimpleRNN"})
OPTIMIZER_KWARGS = {"lr": "learning_rate"}
FIT_KWARGS = {"nb_epoch": "epochs"}
#: Model methods removed in Keras 3, with their replacement.
METHODS = {
    "fit_generator": "fit", "evaluate_generator": "evaluate", "predict_generator": "predict",
    "predict_classes": "argmax/threshold on predict()",
}


def layer_class(name: str) -> str:
    """Keras 3 class name for any accepted spelling."""
    return LEGACY_CLASSES.get(name) or ALIASES.get(name) or name


def layer_kwarg(class_name: str, kwarg: str) -> str:
    """Keras 3 keyword for a (possibly legacy) layer keyword argument."""
    if kwarg == "output_dim" and class_name in OUTPUT_DIM_LAYERS:
        return "units"
    if class_name in LAYER_KWARG_EXCEPTIONS:
        return LAYER_KWARG_EXCEPTIONS[class_name].get(kwarg, LAYER_KWARGS.get(kwarg, kwarg))
    return LAYER_KWARGS.get(kwarg, kwarg)


def normal_kwarg(kind: str, class_name: str, kwarg: str) -> str:
    if kind == "layer":
        return layer_kwarg(class_name, kwarg)
    table = OPTIMIZER_KWARGS if kind == "optimizer" else FIT_KWARGS
    return table.get(kwarg, kwarg)
