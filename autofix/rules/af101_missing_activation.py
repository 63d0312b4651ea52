"""AF101 missing-activation."""

from __future__ import annotations

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..keras_vocab import MERGE_LAYERS, WEIGHTED_WITH_ACTIVATION, is_nonlinear, layer_activation
from ..spec import LayerSpec, ModelSpec
from ..values import is_known
from .base import Example, Rule


def _pointwise(layer: LayerSpec) -> bool:
    """1x1, grouped or depthwise convolutions: linear bottlenecks by design."""
    if layer.class_name.startswith("Depthwise"):
        return True
    groups = layer.get("groups", 1)
    if is_known(groups) and isinstance(groups, int) and groups > 1:
        return True
    kernel = layer.get("kernel_size")
    if isinstance(kernel, int):
        kernel = (kernel,)
    return isinstance(kernel, (list, tuple)) and all(k == 1 for k in kernel)


def _next_weighted(spec: ModelSpec, layer: LayerSpec) -> list[LayerSpec] | None:
    """Weighted layers reached from ``layer`` through pass-through layers only.

    Returns ``None`` when a layer on the way has an unknowable activation.
    """
    found: list[LayerSpec] = []
    frontier = list(spec.successors(layer))
    seen: set[str] = set()
    while frontier:
        current = frontier.pop()
        if current.qualname in seen:
            continue
        seen.add(current.qualname)
        if current.class_name in WEIGHTED_WITH_ACTIVATION:
            found.append(current)
            continue
        if current.class_name in MERGE_LAYERS:
            continue  # a residual/concat merge: not a plain linear stack any more
        nonlinear = is_nonlinear(current)
        if not is_known(nonlinear):
            return None
        if not nonlinear or current.class_name in _POOLING:
            frontier.extend(spec.successors(current))
    return found


def _nonlinear_before(spec: ModelSpec, layer: LayerSpec, seen: set[str] | None = None) -> bool:
    """Whether every path from the input to ``layer`` already passes a nonlinearity.

    Then the model is not one linear map, whatever ``layer`` feeds. An activation
    the code does not show counts as one (Opaque: no claim is made).
    """
    seen = set() if seen is None else seen
    preds = spec.predecessors(layer)
    if not preds or layer.qualname in seen:
        return False
    seen.add(layer.qualname)
    for pred in preds:
        nonlinear = pred.class_name not in _POOLING and pred.class_name != "InputLayer" and is_nonlinear(pred)
        if not (not is_known(nonlinear) or nonlinear is True or _nonlinear_before(spec, pred, seen)):
            return False
    return True


_POOLING = frozenset({"MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "GlobalMaxPooling1D",
                      "GlobalMaxPooling2D", "GlobalMaxPooling3D"})


class MissingActivation(Rule):
    """Weighted layers with no activation feed each other, so the stack is linear.

    ## What it does
    Finds Dense/Conv layers whose activation is linear (Keras's default when
    ``activation`` is not given) and whose output reaches another Dense/Conv
    layer through nothing but BatchNormalization, pooling, Flatten, Dropout
    or similar layers.

    A linear layer that comes after a nonlinearity (a ``Conv2D`` after
    ``LeakyReLU``, feeding the logits ``Dense``) is not reported: the model is
    not one linear map, the two layers only form a factorised linear map.

    ## Why is this bad?
    A composition of linear maps is one linear map: however many layers the
    stack has, it can only separate classes with a hyperplane. A binary CNN
    built this way sits at loss 0.693 / accuracy 0.50. Max pooling is
    piecewise linear and BatchNormalization is affine at inference, so neither
    rescues the stack.

    ## Example
    ``Conv2D(32, (3, 3))`` followed by ``MaxPooling2D`` and ``Conv2D(64, (3, 3))``.

    ## Fix safety
    Safe: sets ``activation='relu'`` on the hidden layers; parameter shapes and
    weights are unchanged. 1x1, grouped and depthwise convolutions are left
    alone (linear bottlenecks as in MobileNetV2/EfficientNet are deliberate),
    and a chain ends at a residual or concatenation merge (as in Xception).

    ## Keras versions
    All.

    ## References
    Seed report 001 (binary CNN stuck at 0.693).
    """

    code = "AF101"
    name = "missing-activation"
    severity = Severity.ERROR
    applicability = Applicability.SAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((25, 25, 4)),
    layers.Conv2D(32, (3, 3)),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3)),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((25, 25, 4)),
    layers.Conv2D(32, (3, 3), activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
""",
            message="and feed another weighted layer with no nonlinearity",
            line=3,
        ),
        Example(
            """
model = keras.Sequential([
    keras.Input((16,)),
    layers.Dense(32),
    layers.Dropout(0.2),
    layers.Dense(3, activation="softmax"),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((16,)),
    layers.Dense(32, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense(3, activation="softmax"),
])
""",
            message="and feed another weighted layer with no nonlinearity",
            line=3,
        ),
    ]
    VALID = [
        Example(  # keras-io knowledge_distillation: a linear conv after LeakyReLU, then the logits
            """
model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.Conv2D(16, (3, 3), strides=(2, 2), padding="same"),
    layers.LeakyReLU(negative_slope=0.2),
    layers.MaxPooling2D(pool_size=(2, 2), strides=(1, 1), padding="same"),
    layers.Conv2D(32, (3, 3), strides=(2, 2), padding="same"),
    layers.Flatten(),
    layers.Dense(10),
])
"""
        ),
        Example(
            """
model = keras.Sequential([
    keras.Input((64, 1)),
    layers.Conv1D(16, 5, padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Conv1D(16, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
"""
        ),
        Example(
            """
inputs = keras.Input((8, 8, 16))
x = layers.Conv2D(8, 1)(inputs)
x = layers.BatchNormalization()(x)
x = layers.Conv2D(48, 1)(x)
x = layers.ReLU(6.0)(x)
outputs = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, outputs)
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        linear: list[LayerSpec] = []
        for layer in spec.layers:
            if layer.class_name not in WEIGHTED_WITH_ACTIVATION:
                continue
            if layer_activation(layer) != "linear" or _pointwise(layer) or _nonlinear_before(spec, layer):
                continue
            nxt = _next_weighted(spec, layer)
            if nxt and any(not _pointwise(n) for n in nxt):
                linear.append(layer)
        if not linear:
            return
        names = ", ".join(f"'{lay.name}'" for lay in linear)
        kinds = sorted({lay.class_name for lay in linear})
        message = (
            f"{'/'.join(kinds)} layer(s) {names} have linear activation (no `activation` "
            "given) and feed another weighted layer with no nonlinearity in between "
            "(pooling, BatchNormalization, Flatten and Dropout do not count), so the stack "
            "collapses to one linear map and cannot learn non-linear decision boundaries. "
            "Set activation='relu' on these hidden layers."
        )
        fix = self.make_fix(
            "set activation='relu' on the hidden layers",
            *(SetLayerArg(lay.qualname, "activation", "relu") for lay in linear),
        )
        yield self.finding(message, at=linear[0], fixes=[fix], layers=[lay.qualname for lay in linear])
