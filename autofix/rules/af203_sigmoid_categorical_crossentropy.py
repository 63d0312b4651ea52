"""AF203 sigmoid-categorical-crossentropy."""

from __future__ import annotations

from ..edits import SetLoss
from ..findings import Applicability, Severity
from ..keras_vocab import CATEGORICAL_LOSSES, loss_name
from ..spec import ModelSpec
from ._head import Head
from ._targets import read_from
from .base import Example, Rule


class SigmoidCategoricalCrossentropy(Rule):
    """A multi-unit sigmoid head trained with a categorical crossentropy.

    ## What it does
    Finds a sigmoid output with two or more units compiled with
    ``categorical_crossentropy`` or ``sparse_categorical_crossentropy``.

    ## Why is this bad?
    Categorical crossentropy expects a probability distribution over classes.
    Independent sigmoids do not sum to 1. Keras normalises them before taking
    the log, so the loss trains ratios of sigmoids and rewards pushing *every*
    unit towards 1; on Keras 3's TensorFlow backend the loss instead reads the
    sigmoid's inputs as softmax logits, so training matches a softmax head but
    ``predict()`` still returns scores that are not class probabilities (they
    do not sum to 1, and a threshold or a confidence read from them is wrong).
    Either way the head does not match the loss; which one the user meant
    follows from the labels.

    ## Example
    ``Dense(3, activation='sigmoid')`` with ``loss='categorical_crossentropy'``.

    ## Fix safety
    Safe: the head activation becomes softmax, parameter shapes unchanged. When
    the targets are multi-label (rows of 0/1 that do not sum to 1, measured or read
    from the script), the sigmoid head is right and the loss becomes
    binary_crossentropy instead. Verification judges the fix by non-inferiority:
    where the backend trains the sigmoid's logits as a softmax's, the capped runs
    of both heads score alike.

    ## Keras versions
    All.

    ## References
    Keras losses documentation.
    """

    code = "AF203"
    name = "sigmoid-categorical-crossentropy"
    severity = Severity.ERROR
    applicability = Applicability.SAFE
    requires = ("compile",)
    verify_goal = "no_worse"  # on Keras 3's TensorFlow backend both heads train alike (see Why)

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((12,)), layers.Dense(3, activation="sigmoid")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
""",
            fixed="""
model = keras.Sequential([keras.Input((12,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
""",
            message="independent sigmoids do not form a distribution over",
            line=1,
        ),
        # Built in a function, functional, ten classes with a sparse loss.
        Example(
            """
def build(classes=10):
    inputs = keras.Input((20,))
    hidden = layers.Dense(32, activation="relu")(inputs)
    outputs = layers.Dense(classes, activation="sigmoid")(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model

model = build()
""",
            fixed="""
def build(classes=10):
    inputs = keras.Input((20,))
    hidden = layers.Dense(32, activation="relu")(inputs)
    outputs = layers.Dense(classes, activation="softmax")(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model

model = build()
""",
            message="sparse_categorical_crossentropy",
            line=4,
        ),
        # Multi-hot targets: the sigmoid head is right, the loss is not.
        Example(
            """
x = np.random.rand(256, 8).astype("float32")
y = (np.random.rand(256, 4) > 0.5).astype("float32")
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(4, activation="sigmoid")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, y, epochs=1)
""",
            fixed="""
x = np.random.rand(256, 8).astype("float32")
y = (np.random.rand(256, 4) > 0.5).astype("float32")
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(4, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1)
""",
            message="multi-label",
            line=4,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((12,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
        ),
        # Multi-label done right: sigmoid units with binary_crossentropy.
        Example(
            """
x = np.random.rand(256, 8).astype("float32")
y = (np.random.rand(256, 4) > 0.5).astype("float32")
model = keras.Sequential([keras.Input((8,)), layers.Dense(4, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1)
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        loss = loss_name(spec.compile.loss)
        sparse = loss == "sparse_categorical_crossentropy"
        if head is None or head.activation != "sigmoid" or head.units < 2:
            return
        if loss not in CATEGORICAL_LOSSES and not sparse:
            return
        kind = spec.data.label_kind if spec.data is not None else None
        if kind == "multilabel" and not sparse:
            shown = read_from(spec.data)
            message = (f"{head.describe()} but is trained with {loss}, and the targets are multi-label (rows of "
                       f"0/1 that do not sum to 1{shown}): a categorical loss makes the labels compete for one "
                       "unit of probability. Keep the sigmoid head and use binary_crossentropy, one independent "
                       "probability per label.")
            fix = self.make_fix("use binary_crossentropy (multi-label targets)", SetLoss("binary_crossentropy"))
            yield self.finding(message, at=spec.compile.loss_origin or head.act_layer, fixes=[fix],
                               layers=[head.act_layer.qualname])
            return
        message = (
            f"{head.describe()} but is trained with {loss}: independent sigmoids do not form a "
            "distribution over classes, so the loss pushes every unit towards 1 (on Keras 3's TensorFlow "
            "backend it trains the sigmoid's inputs as softmax logits, and predict() still returns scores that "
            "do not sum to 1). Use softmax for single-label classes (or binary_crossentropy for multi-label "
            "outputs)."
        )
        fix = self.make_fix("use softmax on the output", head.set_activation("softmax"))
        yield self.finding(message, at=head.act_layer, fixes=[fix])
