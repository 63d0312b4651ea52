"""AF207 classification-with-regression-loss."""

from __future__ import annotations

from ..edits import SetLoss
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._head import Head, labels_may_be_onehot
from ._regression import CLASSIFICATION_METRICS, metric_names, received, regression_loss
from .base import Example, Rule

#: Label kinds (data facts) that show the targets are classes.
_CLASS_LABELS = frozenset({"binary", "integer", "onehot"})


class ClassificationWithRegressionLoss(Rule):
    """A classifier head (softmax, or sigmoid for classes) trained with a regression loss.

    ## What it does
    Finds a softmax output over two or more units, or a sigmoid output, compiled
    with a regression loss (``mse``, ``mae``, ``huber``, ``msle``, ``mape``,
    ``log_cosh``). A softmax head is taken as a classifier unless the training
    data shows continuous targets; a sigmoid head only when the training labels
    are 0/1 (or multi-hot) classes, or, without data, when the model reports a
    classification metric such as ``accuracy``.

    ## Why is this bad?
    Squared or absolute error on probabilities has a vanishing gradient where
    the prediction is confidently wrong: the softmax/sigmoid saturates and the
    error term is multiplied by ``p (1 - p)`` close to 0. The classifier trains
    as a regression, learns slowly, stalls at mediocre accuracy and its outputs
    are not calibrated probabilities. Crossentropy is the loss whose gradient
    stays proportional to the error (Humbatova et al. 2020, "wrong loss
    function"; DeepCrime's loss mutation).

    ## Example
    ``Dense(10, activation='softmax')`` with ``loss='mse'`` and
    ``metrics=['accuracy']``.

    ## Fix safety
    Unsafe: the loss becomes ``categorical_crossentropy`` for a softmax head
    (``sparse_categorical_crossentropy`` when the data shows class-index
    labels) or ``binary_crossentropy`` for a sigmoid head, which changes the
    training dynamics. A sigmoid head with a regression loss and neither data
    nor a classification metric is left alone: it is a legitimate bounded
    regression (a proportion in (0, 1)).

    ## Keras versions
    All.

    ## References
    Humbatova et al., "Taxonomy of Real Faults in Deep Learning Systems" (ICSE 2020);
    Nikanjam et al., NeuraLint (TOSEM 2021); Humbatova et al., DeepCrime (ISSTA 2021).
    """

    code = "AF207"
    name = "classification-with-regression-loss"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE
    requires = ("compile",)

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
""",
            message="has 3 units with softmax (a distribution over classes) but is trained with the "
                    "regression loss mean_squared_error (Received: loss='mse')",
            line=6,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((8,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="sgd", loss="mean_squared_error", metrics=["accuracy"])
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((8,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
""",
            message="the metrics ['accuracy'] show a classifier",
            line=5,
        ),
        Example(
            """
inputs = keras.Input((28, 28))
x = layers.Flatten()(inputs)
x = layers.Dense(10)(x)
outputs = layers.Activation("softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.MeanSquaredError())
""",
            fixed="""
inputs = keras.Input((28, 28))
x = layers.Flatten()(inputs)
x = layers.Dense(10)(x)
outputs = layers.Activation("softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy())
""",
            message="(Received: loss=MeanSquaredError(...))",
            line=6,
        ),
        Example(
            """
def build():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="huber", metrics=["accuracy"])
    return model


model = build()
model.fit(np.random.rand(30, 4), np.arange(30) % 3, epochs=1)
""",
            fixed="""
def build():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


model = build()
model.fit(np.random.rand(30, 4), np.arange(30) % 3, epochs=1)
""",
            message="fit()'s labels are integer class labels (y shape (30,))",
            line=3,
            graph_only=True,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="mae")
model.fit(np.random.rand(40, 6), np.arange(40) % 2, epochs=1)
""",
            fixed="""
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(40, 6), np.arange(40) % 2, epochs=1)
""",
            message="fit()'s labels are binary class labels",
            line=2,
            graph_only=True,
        ),
    ]
    VALID = [
        # A bounded regression: one sigmoid unit predicting a proportion, no classification metric.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
"""
        ),
        # The data shows continuous targets in (0, 1): the metric does not make it a classifier.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
model.fit(np.random.rand(40, 6), np.linspace(0.05, 0.95, 40), epochs=1)
""",
            graph_only=True,
        ),
        # Softmax over compositional targets (rows of fractions that sum to 1) is a regression.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(30, 6), np.tile([0.2, 0.3, 0.5], (30, 1)), epochs=1)
""",
            graph_only=True,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((12,)), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((12,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        loss = regression_loss(spec.compile.loss)
        if head is None or loss is None:
            return
        data = spec.data
        kind = data.label_kind if data is not None else None
        shown = f"fit()'s labels are {kind} class labels (y shape {data.y_shape})" if data is not None else ""
        if head.activation == "softmax" and head.units >= 2:
            if data is not None and kind not in _CLASS_LABELS:
                return  # continuous (compositional) or unknown targets: a regression
            target = "categorical_crossentropy" if labels_may_be_onehot(spec) else "sparse_categorical_crossentropy"
            evidence = shown or "a softmax head outputs class probabilities"
            what = "a distribution over classes"
        elif head.activation == "sigmoid":
            if data is not None:
                classes = kind == "binary" if head.units == 1 else kind in ("multilabel", "onehot")
                if not classes:
                    return  # continuous targets: a bounded regression
                evidence = shown
            else:
                found = [m for m in metric_names(spec) if m in CLASSIFICATION_METRICS]
                if not found:
                    return  # a proportion in (0, 1) is a legitimate regression: never guess
                evidence = f"the metrics {found} show a classifier"
            target = "binary_crossentropy"
            what = "class probabilities"
        else:
            return
        message = (
            f"{head.describe()} ({what}) but is trained with the regression loss {loss} "
            f"(Received: loss={received(spec.compile.loss)}); {evidence}. A squared or absolute error "
            "on saturated probabilities has a vanishing gradient, so the classifier learns slowly and "
            f"stalls. Use loss='{target}'."
        )
        fix = self.make_fix(f"use {target}", SetLoss(target))
        yield self.finding(message, at=spec.compile.loss_origin or head.act_layer, fixes=[fix],
                           layers=[head.act_layer.qualname])
