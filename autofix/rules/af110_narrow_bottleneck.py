"""AF110 narrow-bottleneck."""

from __future__ import annotations

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..keras_vocab import CATEGORICAL_LOSSES, loss_from_logits, loss_name, units_of
from ..spec import ModelSpec
from ._head import Head
from ._init import ELEMENTWISE
from .base import Example, Rule, walk_back

#: Waists narrower than this (and than the class count) are reported.
NARROW = 8

#: Convolutions whose filters are the channels a global pooling reduces to one number each.
CONVOLUTIONS = frozenset({"Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D"})
GLOBAL_POOLING = frozenset({"GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
                            "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D"})
LOCAL_POOLING = frozenset({"MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
                           "AveragePooling1D", "AveragePooling2D", "AveragePooling3D"})
_LOGIT_LOSSES = CATEGORICAL_LOSSES | {"sparse_categorical_crossentropy"}


def restored_width(classes: int | None) -> int:
    """The width a waist is widened to: twice the class count, at least 16 (``NARROW`` without classes)."""
    return max(2 * classes, 2 * NARROW) if classes else NARROW


def _classes(spec: ModelSpec, head: Head) -> int | None:
    """The class count of a single-label classifier with >= 3 classes, else None."""
    if head.dense.class_name != "Dense" or not isinstance(head.units, int) or head.units < 3:
        return None
    if head.activation == "softmax":
        return head.units
    if head.activation == "linear" and spec.compile is not None:
        loss = spec.compile.loss
        if loss_name(loss) in _LOGIT_LOSSES and loss_from_logits(loss) is True:
            return head.units
    return None


class NarrowBottleneck(Rule):
    """A hidden Dense layer, or the convolution before a global pooling, too narrow for the output.

    ## What it does
    Finds a hidden Dense layer on the single path to the output (only
    Dense and elementwise layers -- activation, normalization, dropout --
    between them) that has one unit, or, in a single-label classifier with
    three or more classes (softmax, or logits with a categorical
    cross-entropy), fewer units than both the class count and 8. Past a
    global pooling layer on that path, the same holds for the filters of
    the convolutions before it (each filter becomes one number): a hidden
    convolution with 1 filter, or a last convolution with fewer filters
    than both the class count and 8.

    ## Why is this bad?
    Everything the output sees passes through the waist: with ``w`` units the
    class logits span at most a ``w``-dimensional affine space. A ``Dense(2)``
    waist before 10 classes forces all classes onto a plane and a ``Dense(1)``
    onto a line, so most classes can only win in thin slivers and accuracy
    plateaus far below what the rest of the network could reach; a relu
    ``Dense(1)`` that dies makes the output constant. A ``Conv1D(1)`` before
    ``GlobalMaxPooling1D`` hands the head a single number per sample.

    ## Example
    ``Dense(128, 'relu')``, ``Dense(2, 'relu')``, ``Dense(10, 'softmax')``.

    ## Fix safety
    Unsafe: the waist widens to twice the class count, at least 16 units
    (8 for a one-unit waist in a binary or regression model). The class
    count is the smallest width that no longer caps the rank of the logits,
    but a waist of exactly that width, with saturating units, leaves them
    little room: two sigmoid waists of 3 and 4 units before 10 classes
    (the fault suite's r16) reach 0.90 and 0.86 accuracy on two seeds when
    widened to 10, 0.998 and 0.98 when widened to 16. This changes the
    shapes of the waist's kernel and of the next layer's kernel, which are
    re-initialized. Wider
    heads than waists are left alone when the waist has 8 or more units
    (language models put a 256-unit layer before a 10,000-word softmax on
    purpose), and so are sigmoid/regression heads (an autoencoder's code
    layer is narrow by design). A convolution with 1 filter that is the
    output (segmentation masks, per-step regression), feeds a ``Flatten``
    (every position still reaches the head) or sits in a residual or
    attention branch (the path to the output forks) is not reported.

    ## Keras versions
    All.

    ## References
    Humbatova et al. (ICSE 2020), "Taxonomy of Real Faults in Deep Learning
    Systems": *wrong number of neurons in a layer*; DeepCrime (ISSTA 2021)
    mutation *change number of neurons*; Yang et al. (ICLR 2018),
    "Breaking the Softmax Bottleneck".
    """

    code = "AF110"
    name = "narrow-bottleneck"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(128, activation="relu"),
    layers.Dense(2, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(128, activation="relu"),
    layers.Dense(20, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
""",
            message="Dense layer 'dense_1' has 2 units but the output has 10 classes",
            line=4,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((20,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(1, activation="relu"))
model.add(layers.Dense(1, activation="sigmoid"))
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((20,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(8, activation="relu"))
model.add(layers.Dense(1, activation="sigmoid"))
""",
            message="hidden Dense layer 'dense_1' has 1 unit",
            line=4,
        ),
        Example(
            """
inputs = keras.Input((50,))
x = layers.Dense(64, activation="relu")(inputs)
x = layers.Dense(4, activation="relu")(x)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(5)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
""",
            fixed="""
inputs = keras.Input((50,))
x = layers.Dense(64, activation="relu")(inputs)
x = layers.Dense(16, activation="relu")(x)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(5)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
""",
            message="set units=16",
            line=3,
        ),
        Example(
            """
def build():
    model = keras.Sequential()
    model.add(keras.Input((64,)))
    model.add(layers.Dense(3, activation="tanh"))
    model.add(layers.Dense(20, activation="softmax"))
    return model


model = build()
""",
            fixed="""
def build():
    model = keras.Sequential()
    model.add(keras.Input((64,)))
    model.add(layers.Dense(40, activation="tanh"))
    model.add(layers.Dense(20, activation="softmax"))
    return model


model = build()
""",
            message="at most a 3-dimensional",
            line=4,
        ),
        Example(
            """
class Tagger:
    def __init__(self):
        self.model = keras.Sequential([
            keras.Input((40, 1)),
            layers.Conv1D(1, 3, activation="relu", padding="same"),
            layers.GlobalMaxPooling1D(),
            layers.Dense(16, activation="relu"),
            layers.Dense(3, activation="sigmoid"),
        ])


model = Tagger().model
""",
            fixed="""
class Tagger:
    def __init__(self):
        self.model = keras.Sequential([
            keras.Input((40, 1)),
            layers.Conv1D(8, 3, activation="relu", padding="same"),
            layers.GlobalMaxPooling1D(),
            layers.Dense(16, activation="relu"),
            layers.Dense(3, activation="sigmoid"),
        ])


model = Tagger().model
""",
            message="has 1 filter, and everything the output sees passes through it",
            line=5,
        ),
        Example(
            """
inputs = keras.Input((28, 28, 1))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(2, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""",
            fixed="""
inputs = keras.Input((28, 28, 1))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(20, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""",
            message="has 2 filters but the output has 10 classes",
            line=4,
        ),
    ]
    VALID = [
        # A segmentation head: Conv2D(1) is the output, not a waist.
        Example(
            """
inputs = keras.Input((32, 32, 3))
x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
"""
        ),
        # A 1x1 convolution in a residual branch, then global pooling: the path to the output forks.
        Example(
            """
inputs = keras.Input((32, 32, 16))
branch = layers.Conv2D(1, 1, activation="sigmoid")(inputs)
gated = layers.Multiply()([inputs, branch])
x = layers.Add()([inputs, gated])
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
"""
        ),
        # One filter, then Flatten: every position still reaches the head.
        Example(
            """
model = keras.Sequential([
    keras.Input((40, 1)),
    layers.Conv1D(1, 3, activation="relu", padding="same"),
    layers.Flatten(),
    layers.Dense(3, activation="softmax"),
])
"""
        ),
        # An autoencoder's code layer is narrow by design (sigmoid reconstruction head).
        Example(
            """
model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(128, activation="relu"),
    layers.Dense(2, activation="relu"),
    layers.Dense(128, activation="relu"),
    layers.Dense(784, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
        ),
        # A binary classifier with a small hidden layer.
        Example(
            """
model = keras.Sequential([
    keras.Input((10,)),
    layers.Dense(4, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
"""
        ),
        # 10 classes after 64 units; 100 classes after a 16-unit embedding.
        Example(
            """
model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(16, activation="relu"),
    layers.Dense(100, activation="softmax"),
])
"""
        ),
        # A per-timestep 1-unit projection, then Flatten: not a waist.
        Example(
            """
model = keras.Sequential([
    keras.Input((30, 8)),
    layers.Conv1D(16, 3, activation="relu"),
    layers.Dense(1, activation="relu"),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        if head is None:
            return
        classes = _classes(spec, head)
        chain = walk_back(spec, head.dense)
        for layer in chain:
            if layer.class_name in ELEMENTWISE:
                continue
            if layer.class_name in GLOBAL_POOLING:
                yield from self._conv_waists(chain, classes)
                return
            if layer.class_name != "Dense":
                return
            units = units_of(layer)
            if not isinstance(units, int) or isinstance(units, bool) or units < 1:
                continue
            if units == 1:
                wide = restored_width(classes)
                what = f"hidden Dense layer '{layer.name}' has 1 unit"
            elif classes is not None and units < min(classes, NARROW):
                wide = restored_width(classes)
                what = f"Dense layer '{layer.name}' has {units} units but the output has {classes} classes"
            else:
                continue
            if units == 1:
                why = ("the output is a function of one number, so the model cannot use more than one "
                       "feature of what the layers before it learned (and when that unit dies, the "
                       "output is constant)")
            else:
                why = (f"the {classes} class logits span at most a {units}-dimensional affine space, so "
                       "most classes can only win in thin slivers of it")
            yield self._finding(layer, "units", wide, what, why)

    def _conv_waists(self, chain, classes: int | None):
        """Convolutions before a global pooling: the head sees one number per filter of the last one."""
        nearest = True
        for layer in chain:
            if layer.class_name in ELEMENTWISE or layer.class_name in LOCAL_POOLING:
                continue
            if layer.class_name not in CONVOLUTIONS:
                return
            filters = layer.get("filters")
            if not isinstance(filters, int) or isinstance(filters, bool) or filters < 1:
                return
            if filters == 1:
                wide = restored_width(classes)
                what = f"hidden {layer.class_name} layer '{layer.name}' has 1 filter"
                why = ("after the global pooling the head sees one number per sample" if nearest else
                       "every later layer sees a single feature map, so the features the output needs "
                       "(a motif and its opposite, several patterns at once) cannot all pass")
                yield self._finding(layer, "filters", wide, what, why)
            elif nearest and classes is not None and filters < min(classes, NARROW):
                wide = restored_width(classes)
                what = (f"{layer.class_name} layer '{layer.name}' has {filters} filters but the output has "
                        f"{classes} classes")
                why = (f"after the global pooling the {classes} class logits span at most a "
                       f"{filters}-dimensional affine space")
                yield self._finding(layer, "filters", wide, what, why)
            nearest = False

    def _finding(self, layer, arg: str, wide: int, what: str, why: str):
        message = (
            f"{what}, and everything the output sees passes through it: {why}. Expected a hidden "
            f"width of at least {wide}; set {arg}={wide} on '{layer.name}' (or remove the layer)."
        )
        fix = self.make_fix(f"widen '{layer.name}' to {wide} {arg}", SetLayerArg(layer.qualname, arg, wide))
        return self.finding(message, at=layer, fixes=[fix])
