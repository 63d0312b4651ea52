"""Shared helpers for rules about initializers, regularizers and layer widths.

Both extraction paths describe an initializer or regularizer argument
differently, and rules must read them the same way:

* the live path gives Keras's serialized form,
  ``{"module": "keras.initializers", "class_name": "RandomNormal",
  "config": {"mean": 0.0, "stddev": 1.0, "seed": None}, ...}``;
* the source path gives a string literal (``"zeros"``), a dict literal, or
  ``Opaque(text)`` holding the call as written
  (``keras.initializers.RandomNormal(stddev=1.0)``).

:func:`initializer` and :func:`regularizer` reduce all of these to a canonical
Keras class name plus the arguments that are *known* (given as literals, or
Keras's documented default).  Anything else -- a variable, a custom class, a
non-literal argument -- gives ``None``: the rules stay silent rather than
guess.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any, Iterator

from ..keras_vocab import WEIGHTED_WITH_ACTIVATION, layer_activation
from ..spec import LayerSpec, ModelSpec
from ..values import UNKNOWN, Opaque, is_known

# -- names -------------------------------------------------------------------------
#: Spelling (lower case, no underscores) -> canonical Keras initializer class.
_INIT_NAMES = {
    "zeros": "Zeros", "zero": "Zeros", "ones": "Ones", "one": "Ones", "constant": "Constant",
    "randomnormal": "RandomNormal", "normal": "RandomNormal",
    "randomuniform": "RandomUniform", "uniform": "RandomUniform",
    "truncatednormal": "TruncatedNormal",
}
#: Keras's positional parameters and defaults (identical in Keras 2 and 3).
_INIT_PARAMS: dict[str, tuple[tuple[str, Any], ...]] = {
    "Zeros": (), "Ones": (), "Constant": (("value", 0.0),),
    "RandomNormal": (("mean", 0.0), ("stddev", 0.05), ("seed", None)),
    "TruncatedNormal": (("mean", 0.0), ("stddev", 0.05), ("seed", None)),
    "RandomUniform": (("minval", -0.05), ("maxval", 0.05), ("seed", None)),
}
_REG_NAMES = {"l1": "L1", "l2": "L2", "l1l2": "L1L2"}
#: Keras 3 parameters and defaults; ``l`` is Keras 2's keyword for l1()/l2().
_REG_PARAMS: dict[str, tuple[tuple[str, Any], ...]] = {
    "L1": (("l1", 0.01),), "L2": (("l2", 0.01),), "L1L2": (("l1", 0.0), ("l2", 0.0)),
}
_INIT_MODULES = ("initializers",)
_REG_MODULES = ("regularizers",)
_TF_ROOTS = ("tf", "tensorflow")


def _canonical(spelling: str, names: dict[str, str]) -> str | None:
    return names.get(spelling.replace("_", "").lower())


def _callee(func: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    parts.append(func.id)
    return parts[::-1]


def _number(node: ast.expr) -> Any:
    """A literal int/float/None argument, else UNKNOWN."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return UNKNOWN
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    return UNKNOWN


@dataclass(frozen=True)
class _Call:
    """A parsed ``Name(args)`` call from source text."""

    name: str  # canonical class name
    args: dict[str, Any]  # parameter -> literal value or UNKNOWN
    nodes: dict[str, ast.expr]  # parameter -> the argument's node (for rewriting)
    tf_style: bool  # tf.random_normal_initializer(...) & co: TF's own defaults


def _parse_call(text: str, names: dict[str, str], params: dict[str, tuple[tuple[str, Any], ...]],
                modules: tuple[str, ...]) -> tuple[_Call, ast.Expression] | None:
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return None
    call = tree.body
    if not isinstance(call, ast.Call) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    parts = _callee(call.func)
    if not parts:
        return None
    *prefix, last = parts
    tf_style = False
    if last.endswith("_initializer") and prefix and prefix[0] in _TF_ROOTS and modules == _INIT_MODULES:
        last, tf_style = last[: -len("_initializer")], True
    elif prefix and prefix[-1] not in modules:
        return None  # some other module's function with a familiar name
    name = _canonical(last, names)
    if name is None:
        return None
    signature = [p for p, _ in params[name]]
    args: dict[str, Any] = {}
    nodes: dict[str, ast.expr] = {}
    for index, arg in enumerate(call.args):
        if index >= len(signature):
            return None
        args[signature[index]], nodes[signature[index]] = _number(arg), arg
    for keyword in call.keywords:
        if keyword.arg is None:
            return None
        key = keyword.arg
        if key == "l" and name in ("L1", "L2"):
            key = name.lower()
        args[key], nodes[key] = _number(keyword.value), keyword.value
    return _Call(name, args, nodes, tf_style), tree


def _from_config(value: dict[str, Any], names: dict[str, str]) -> tuple[str, dict[str, Any]] | None:
    """(class name, config) of a serialized Keras object, if it is a built-in."""
    module = value.get("module")
    if value.get("registered_name") not in (None, value.get("class_name")):
        return None
    if module is not None and not str(module).startswith("keras"):
        return None
    class_name = value.get("class_name")
    name = _canonical(str(class_name), names) if isinstance(class_name, str) else None
    config = value.get("config") or {}
    if name is None or not isinstance(config, dict):
        return None
    return name, config


# -- initializers -------------------------------------------------------------------
@dataclass(frozen=True)
class Init:
    """A recognised built-in initializer and its known arguments."""

    name: str
    args: dict[str, Any]

    @property
    def constant(self) -> Any:
        """The single value every weight starts at, None when random, UNKNOWN when unknowable."""
        if self.name == "Zeros":
            return 0.0
        if self.name == "Ones":
            return 1.0
        if self.name == "Constant":
            value = self.args.get("value", UNKNOWN)
            return value if _is_number(value) else UNKNOWN
        if self.name in ("RandomNormal", "TruncatedNormal"):
            std, mean = self.args.get("stddev", UNKNOWN), self.args.get("mean", UNKNOWN)
            if std == 0 and _is_number(mean):
                return mean
        if self.name == "RandomUniform":
            low, high = self.args.get("minval", UNKNOWN), self.args.get("maxval", UNKNOWN)
            if _is_number(low) and low == high:
                return low
        return None

    @property
    def std(self) -> Any:
        """The standard deviation of the initial weights (UNKNOWN when not known)."""
        if self.name in ("RandomNormal", "TruncatedNormal"):
            std = self.args.get("stddev", UNKNOWN)
            return abs(std) if _is_number(std) else UNKNOWN
        if self.name == "RandomUniform":
            low, high = self.args.get("minval", UNKNOWN), self.args.get("maxval", UNKNOWN)
            if _is_number(low) and _is_number(high):
                return abs(high - low) / math.sqrt(12.0)
        return UNKNOWN

    def render(self) -> str:
        shown = {k: v for k, v in self.args.items() if k != "seed" and is_known(v)}
        return f"{self.name}(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def initializer(value: Any) -> Init | None:
    """The built-in initializer ``value`` names (any path's form), or None."""
    if isinstance(value, str):
        name = _canonical(value, _INIT_NAMES)
        return Init(name, dict(_INIT_PARAMS[name])) if name else None
    if isinstance(value, dict):
        found = _from_config(value, _INIT_NAMES)
        if found is None:
            return None
        name, config = found
        return Init(name, {**dict(_INIT_PARAMS[name]), **config})
    if isinstance(value, Opaque):
        parsed = _parse_call(value.text, _INIT_NAMES, _INIT_PARAMS, _INIT_MODULES)
        if parsed is None:
            return None
        call = parsed[0]
        defaults = {} if call.tf_style else dict(_INIT_PARAMS[call.name])  # TF1/TF2 defaults differ
        return Init(call.name, {**defaults, **call.args})
    return None


# -- regularizers -------------------------------------------------------------------
@dataclass(frozen=True)
class Reg:
    """A recognised built-in L1/L2/L1L2 regularizer and its known factors."""

    name: str
    factors: dict[str, Any]
    original: Any

    def render(self) -> str:
        shown = {k: v for k, v in self.factors.items() if _is_number(v) and v}
        return f"{self.name}(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"

    def large(self, threshold: float) -> dict[str, float]:
        """The factors at or above ``threshold``."""
        return {k: v for k, v in self.factors.items() if _is_number(v) and v >= threshold}

    def with_factors(self, new: dict[str, float]) -> Any:
        """The argument value with ``new`` factors, in the form the path gave it.

        A serialized dict gets a changed copy; source text gets the same call
        with only those arguments' literals replaced.
        """
        if isinstance(self.original, dict):
            config = dict(self.original.get("config") or {})
            config.update(new)
            return {**self.original, "config": config}
        if isinstance(self.original, Opaque):
            parsed = _parse_call(self.original.text, _REG_NAMES, _REG_PARAMS, _REG_MODULES)
            if parsed is None:
                return UNKNOWN
            call, _ = parsed
            text = self.original.text.strip()
            edits = sorted(((call.nodes[k], v) for k, v in new.items() if k in call.nodes),
                           key=lambda item: (item[0].lineno, item[0].col_offset), reverse=True)
            if len(edits) != len(new):
                return UNKNOWN
            for node, factor in edits:
                start, end = _offset(text, node.lineno, node.col_offset), _offset(
                    text, node.end_lineno, node.end_col_offset)
                text = text[:start] + repr(float(factor)) + text[end:]
            return Opaque(text)
        return UNKNOWN


def _offset(text: str, line: int, col: int) -> int:
    """Character offset of an ``ast`` (1-based line, UTF-8 byte column) position."""
    lines = text.splitlines(keepends=True)
    before = sum(len(part) for part in lines[: line - 1])
    return before + len(lines[line - 1].encode("utf-8")[:col].decode("utf-8", "replace"))


def regularizer(value: Any) -> Reg | None:
    """The built-in L1/L2/L1L2 regularizer ``value`` names (any path's form), or None."""
    if isinstance(value, str):
        name = _canonical(value, _REG_NAMES)
        return Reg(name, dict(_REG_PARAMS[name]), value) if name else None
    if isinstance(value, dict):
        found = _from_config(value, _REG_NAMES)
        if found is None:
            return None
        name, config = found
        return Reg(name, {**dict(_REG_PARAMS[name]), **config}, value)
    if isinstance(value, Opaque):
        parsed = _parse_call(value.text, _REG_NAMES, _REG_PARAMS, _REG_MODULES)
        if parsed is None:
            return None
        call = parsed[0]
        # Defaults are never large (0.01 or 0.0 in Keras 2 and 3), so only given factors matter.
        return Reg(call.name, dict(call.args), value)
    return None


# -- activations and graph positions ---------------------------------------------------
RELU_FAMILY = frozenset({"relu", "relu6", "leaky_relu", "elu", "gelu", "silu", "swish", "mish", "prelu"})
#: Activations whose gradient is exactly zero for every negative (and zero) input.
HARD_ZERO = frozenset({"relu", "relu6"})
#: Layers applied elementwise (or per feature) that keep the width of their input.
ELEMENTWISE = frozenset(
    {
        "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Dropout", "AlphaDropout",
        "GaussianDropout", "GaussianNoise", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
        "BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
        "Identity", "ActivityRegularization",
    }
)
#: Layers that keep the channel (last) axis, for reading a layer's fan-in.
_CHANNEL_KEEPING = ELEMENTWISE | frozenset(
    {
        "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
        "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
        "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
        "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
        "UpSampling1D", "UpSampling2D", "UpSampling3D",
    }
)
#: Layers with trainable weights downstream of which a layer counts as hidden.
_WEIGHTED = WEIGHTED_WITH_ACTIVATION | frozenset(
    {"LSTM", "GRU", "SimpleRNN", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
     "MultiHeadAttention", "TimeDistributed"}
)
_KERNELED_CONVS = frozenset({"Conv1D", "Conv2D", "Conv3D"})


def effective_activation(spec: ModelSpec, layer: LayerSpec) -> Any:
    """The activation applied to a weighted layer's output: its own, or that of an
    activation layer right after it (through normalization/dropout) when its own is linear."""
    act = layer_activation(layer)
    if act != "linear":
        return act
    current = layer
    for _ in range(4):
        nxt = spec.successors(current)
        if len(nxt) != 1 or nxt[0].class_name not in ELEMENTWISE:
            return act
        current = nxt[0]
        found = layer_activation(current)
        if found is not None:
            return found
    return act


def is_hidden(spec: ModelSpec, layer: LayerSpec, weighted: frozenset[str] = _WEIGHTED) -> bool:
    """Whether ``layer``'s output reaches another layer of ``weighted`` (it is not an output layer)."""
    frontier, seen = list(spec.successors(layer)), set()
    while frontier:
        current = frontier.pop()
        if current.qualname in seen:
            continue
        seen.add(current.qualname)
        if current.class_name in weighted:
            return True
        frontier.extend(spec.successors(current))
    return False


def random_init_for(activation: Any) -> str:
    """The Keras initializer that suits ``activation`` (He for the ReLU family)."""
    if activation in RELU_FAMILY:
        return "he_normal"
    if activation == "selu":
        return "lecun_normal"  # self-normalizing networks need LeCun initialization
    return "glorot_uniform"


def _last_dim(shape: Any) -> Any:
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[-1], int) and shape[-1] > 0:
        return shape[-1]
    return UNKNOWN


def _output_width(layer: LayerSpec) -> Any:
    """Channel width a layer outputs, read from its own config."""
    if layer.class_name == "InputLayer":
        for key in ("shape", "batch_shape", "batch_input_shape"):
            if key in layer.config:
                return _last_dim(layer.config[key])
        return UNKNOWN
    if layer.class_name == "Dense" or layer.class_name in _KERNELED_CONVS:
        width = layer.config.get("units", layer.config.get("filters", UNKNOWN))
        return width if isinstance(width, int) and not isinstance(width, bool) else UNKNOWN
    return UNKNOWN


def _channels_first(layer: LayerSpec) -> bool:
    return layer.config.get("data_format") == "channels_first"


def input_width(spec: ModelSpec, layer: LayerSpec) -> Any:
    """The last-axis width of ``layer``'s input (UNKNOWN when not visible)."""
    if _channels_first(layer):
        return UNKNOWN
    for key in ("input_shape", "batch_input_shape"):
        if key in layer.config:
            return _last_dim(layer.config[key])
    if "input_dim" in layer.config:
        dim = layer.config["input_dim"]
        return dim if isinstance(dim, int) and not isinstance(dim, bool) else UNKNOWN
    preds = spec.predecessors(layer)
    if len(preds) != 1:
        return UNKNOWN
    previous = preds[0]
    for _ in range(16):
        if _channels_first(previous):
            return UNKNOWN
        shape = previous.output_shape
        if is_known(shape):
            return _last_dim(shape)
        width = _output_width(previous)
        if is_known(width) or previous.class_name not in _CHANNEL_KEEPING:
            return width
        preds = spec.predecessors(previous)
        if len(preds) != 1:
            return UNKNOWN
        previous = preds[0]
    return UNKNOWN


def fan_in(spec: ModelSpec, layer: LayerSpec) -> Any:
    """Inputs per output unit of a Dense/Conv kernel (as Keras's ``compute_fans``)."""
    width = input_width(spec, layer)
    if not is_known(width):
        return UNKNOWN
    if layer.class_name == "Dense":
        return width
    if layer.class_name in _KERNELED_CONVS:
        kernel = layer.config.get("kernel_size", UNKNOWN)
        rank = int(layer.class_name[-2])
        if isinstance(kernel, int) and not isinstance(kernel, bool):
            kernel = (kernel,) * rank
        groups = layer.config.get("groups", 1)
        if (not isinstance(kernel, (list, tuple)) or not all(isinstance(k, int) for k in kernel)
                or not isinstance(groups, int) or groups < 1 or width % groups):
            return UNKNOWN
        return math.prod(kernel) * (width // groups)
    return UNKNOWN


def kernel_layers(spec: ModelSpec) -> Iterator[tuple[LayerSpec, str]]:
    """(layer, argument) for every Dense/Conv kernel initializer argument in ``spec``."""
    for layer in spec.layers:
        if layer.class_name in WEIGHTED_WITH_ACTIVATION:
            for key in ("kernel_initializer", "depthwise_initializer", "pointwise_initializer"):
                if key in layer.config:
                    yield layer, key


def describe_layer(layer: LayerSpec) -> str:
    return f"{layer.class_name} layer '{layer.name}'"


__all__ = [
    "Init", "Reg", "initializer", "regularizer", "effective_activation", "is_hidden", "random_init_for",
    "input_width", "fan_in", "kernel_layers", "describe_layer", "ELEMENTWISE",
    "RELU_FAMILY", "HARD_ZERO",
]
