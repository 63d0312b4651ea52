"""AF407 targets-outside-loss-range."""

from __future__ import annotations

from typing import Any

from ..edits import ChangeData
from ..findings import Applicability, Severity
from ..keras_vocab import BINARY_LOSSES, CATEGORICAL_LOSSES, loss_name
from ..spec import DataSpec, ModelSpec
from ..values import is_known
from ._head import Head
from ._regression import fmt, received
from .base import Example, Rule

#: One-hot rows may miss a sum of 1 by this much (float rounding, label smoothing written by hand).
ROW_SUM_TOLERANCE = 1e-3


def _number(value: Any) -> bool:
    return is_known(value) and isinstance(value, (int, float)) and not isinstance(value, bool)


def _rescale(data: DataSpec) -> str:
    """The line that maps the targets' observed range onto [0, 1]."""
    low, high = data.y_min, data.y_max
    if data.label_kind == "integer" and isinstance(data.class_counts, dict) and len(data.class_counts) == 2:
        return f"y = (y == {fmt(max(data.class_counts))}).astype('float32')"
    if low == 0:
        return f"y = y / {fmt(high)}"
    shifted = f"y - {fmt(low)}" if low > 0 else f"y + {fmt(-low)}"
    return f"y = ({shifted}) / {fmt(high - low)}"


class TargetsOutsideLossRange(Rule):
    """Training targets outside the range the compiled cross-entropy reads.

    ## What it does
    Reads the training targets' data facts against the loss:
    ``binary_crossentropy`` (and its focal variant) needs targets in [0, 1];
    ``categorical_crossentropy`` needs rows in [0, 1] that sum to 1;
    ``sparse_categorical_crossentropy`` needs non-negative integer class ids.
    Reports targets outside [0, 1] (masks stored as 0/255, labels as -1/1),
    categorical rows that do not sum to 1 (multi-hot or empty rows), and
    fractional or negative sparse labels.

    ## Why is this bad?
    Cross-entropy reads each target as a probability. A target of 255 has no
    optimum inside (0, 1): the loss pushes the output to the clipping bound
    with 255 times the gradient of a 0 target and turns negative, so the
    positive rows drown the rest and accuracy stalls. A multi-hot row weighs
    as many times as it has labels and an all-zero row adds no loss at all;
    sparse cross-entropy casts 0.7 to class 0. Keras raises none of these.
    Class indices 0..K with one sigmoid unit are AF405's; class indices with
    categorical cross-entropy are AF401's.

    ## Example
    ``Dense(5, activation='sigmoid')`` + ``binary_crossentropy`` with
    ``y = (logits > 0) * 255.0``.

    ## Fix safety
    Unsafe: the fix changes the targets the model trains on. Targets
    outside [0, 1] are mapped onto it from their observed range: on a
    script, ``autofix-src`` writes the rescaling at fit()'s targets
    (``model.fit(x, y / 255)``, and the labels of ``validation_data=(x, y)``
    alike), keeping the variables and the code that made them;
    ``autofix.fix(model, x, y)`` cannot change your arrays and leaves it as
    a suggestion. Rows that do not sum to 1 and fractional sparse labels
    stay display-only (normalising the rows, or rounding, is a choice the
    data does not show).

    ## Keras versions
    All.

    ## References
    Humbatova et al. (ICSE 2020), "Taxonomy of Real Faults in Deep Learning
    Systems": *wrong preprocessing of labels*; Keras losses documentation
    (``BinaryCrossentropy``: "y_true values are expected to be 0 or 1").
    """

    code = "AF407"
    name = "targets-outside-loss-range"
    severity = Severity.ERROR
    applicability = Applicability.UNSAFE
    requires = ("compile", "data")

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((10,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(5, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(40, 10), (np.random.rand(40, 5) > 0.5) * 255.0, epochs=1)
""",
            graph_only=True,
            fixed_source="""
model = keras.Sequential([
    keras.Input((10,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(5, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(40, 10), ((np.random.rand(40, 5) > 0.5) * 255.0) / 255, epochs=1)
""",
            message="binary_crossentropy reads each target as a probability",
            line=6,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((4,)))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="sgd", loss=keras.losses.BinaryCrossentropy())
model.fit(np.random.rand(40, 4), np.where(np.arange(40) % 2, 1.0, -1.0), epochs=1)
""",
            graph_only=True,
            fixed_source="""
model = keras.Sequential()
model.add(keras.Input((4,)))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="sgd", loss=keras.losses.BinaryCrossentropy())
model.fit(np.random.rand(40, 4), (np.where(np.arange(40) % 2, 1.0, -1.0) + 1) / 2, epochs=1)
""",
            message="(y_min -1, y_max 1)",
            line=4,
        ),
        Example(
            """
inputs = keras.Input((6,))
hidden = layers.Dense(16, activation="relu")(inputs)
outputs = layers.Dense(3, activation="softmax")(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.random.rand(30, 6), np.tile([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 0.0]], (10, 1)), epochs=1)
""",
            graph_only=True,
            message="rows of the targets sum to 0..2",
            line=5,
        ),
        Example(
            """
def build():
    model = keras.Sequential([keras.Input((8,)), layers.Dense(8, activation="relu"),
                              layers.Dense(4, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


model = build()
model.fit(np.random.rand(40, 8), np.linspace(0.0, 3.5, 40), epochs=1)
""",
            graph_only=True,
            message="are not integer class ids",
            line=4,
        ),
        # Seen in the script: the rescaling is written at fit()'s targets, validation targets alike.
        Example(
            """
x = np.random.rand(64, 10)
y = (np.random.rand(64, 5) > 0.5) * 255.0
model = keras.Sequential([keras.Input((10,)), layers.Dense(16, activation="relu"),
                          layers.Dense(5, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1, validation_data=(x, y))
""",
            message="(y_min 0, y_max 255)",
            line=5,
            fixed_source="""
x = np.random.rand(64, 10)
y = (np.random.rand(64, 5) > 0.5) * 255.0
model = keras.Sequential([keras.Input((10,)), layers.Dense(16, activation="relu"),
                          layers.Dense(5, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y / 255, epochs=1, validation_data=(x, y / 255))
""",
        ),
        Example(
            """
def make_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4))
    y = (x[:, 0] > 0) * 2.0 - 1.0
    return x, y


def build():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    return model


x, y = make_data()
model = build()
model.fit(x, y, epochs=1)
""",
            message="(y_min -1, y_max 1)",
            line=10,
            fixed_source="""
def make_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4))
    y = (x[:, 0] > 0) * 2.0 - 1.0
    return x, y


def build():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    return model


x, y = make_data()
model = build()
model.fit(x, (y + 1) / 2, epochs=1)
""",
        ),
    ]
    VALID = [
        # Random class ids 0..9 on one sigmoid unit: the head is the fault (AF405's finding, whose fix gives
        # 10 softmax units); rescaling the ids to [0, 1] would destroy the classes (seen on real fault r29).
        Example(
            """
model = keras.Sequential([keras.Input((64,)), layers.Dense(32, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
rng = np.random.default_rng(0)
model.fit(rng.random((500, 64)), rng.integers(0, 10, size=500), epochs=3)
"""
        ),
        # Soft labels (label smoothing, distillation) in [0, 1] are what binary cross-entropy reads.
        Example(
            """
model = keras.Sequential([keras.Input((10,)), layers.Dense(5, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(40, 10), np.random.uniform(0.05, 0.95, (40, 5)), epochs=1)
""",
            graph_only=True,
        ),
        # Mixup targets: fractional rows that still sum to 1.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.random.rand(30, 6), np.tile([[0.7, 0.3, 0.0], [0.0, 0.4, 0.6], [1.0, 0.0, 0.0]], (10, 1)), epochs=1)
""",
            graph_only=True,
        ),
        # Class ids stored as floats (0.0, 1.0, 2.0) are integers for the sparse loss.
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(30, 8), (np.arange(30) % 3).astype("float32"), epochs=1)
""",
            graph_only=True,
        ),
        # Regression targets of any range with a regression loss are not this rule's.
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(30, 8), np.linspace(-3, 3, 30), epochs=1)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        data, loss = spec.data, loss_name(spec.compile.loss)
        if not (_number(data.y_min) and _number(data.y_max)):
            return
        head = Head.of(spec)
        if loss in BINARY_LOSSES:
            problem = self._binary(data, head)
        elif loss in CATEGORICAL_LOSSES:
            problem = self._categorical(data)
        elif loss == "sparse_categorical_crossentropy":
            problem = self._sparse(data)
        else:
            return
        if problem is None:
            return
        what, why, line = problem
        message = (
            f"{what}, but {loss} {why} (Received: loss={received(spec.compile.loss)}). Keras raises no "
            f"error and the model learns the wrong thing. Fix the targets before fit(): {line}."
        )
        at = spec.compile.loss_origin or (head.dense if head is not None else spec.compile.origin)
        rescale = loss != "sparse_categorical_crossentropy" and not (0 <= data.y_min and data.y_max <= 1)
        fix = (self.make_fix(f"rescale the targets to [0, 1] where fit() receives them ({line})",
                             ChangeData("rescale_targets", (float(data.y_min), float(data.y_max))))
               if rescale and data.y_max > data.y_min else
               self.make_fix(f"write {line} before fit()", applicability=Applicability.DISPLAY_ONLY))
        yield self.finding(message, at=at, fixes=[fix], layers=[head.dense.qualname] if head is not None else ())

    @staticmethod
    def _binary(data: DataSpec, head: Head | None) -> tuple[str, str, str] | None:
        if 0 <= data.y_min and data.y_max <= 1:
            return None
        # the distinct labels when counted; a random replay's count is unknown, its class range is not
        classes = len(data.class_counts) if isinstance(data.class_counts, dict) else data.n_classes
        if head is not None and head.units == 1 and data.label_kind == "integer" and \
                isinstance(classes, int) and classes > 2:
            return None  # class indices 0..K on one unit: AF405 reports (and fixes) the head
        return (f"The training targets lie outside [0, 1] (y_min {fmt(data.y_min)}, y_max {fmt(data.y_max)})",
                "reads each target as a probability: a target above 1 or below 0 has no optimum inside (0, 1), so "
                "the output is pushed to the clipping bound with a gradient that grows with the target", _rescale(data))

    @staticmethod
    def _categorical(data: DataSpec) -> tuple[str, str, str] | None:
        if data.label_kind in ("binary", "integer"):
            return None  # class indices with a one-hot loss: AF401
        if data.y_min < 0 or data.y_max > 1:
            return (f"The training targets lie outside [0, 1] (y_min {fmt(data.y_min)}, y_max {fmt(data.y_max)})",
                    "reads each row as a probability distribution over the classes", _rescale(data))
        low, high = data.y_row_sum_min, data.y_row_sum_max
        if not (_number(low) and _number(high)) or (abs(low - 1) <= ROW_SUM_TOLERANCE
                                                    and abs(high - 1) <= ROW_SUM_TOLERANCE):
            return None
        return (f"The rows of the targets sum to {fmt(low)}..{fmt(high)}, not 1",
                "reads each row as a probability distribution: a row with k classes weighs k times and a row "
                "with none adds no loss at all",
                "y = y / np.maximum(y.sum(axis=1, keepdims=True), 1e-7) (or, for independent labels, sigmoid "
                "outputs with binary_crossentropy)")

    @staticmethod
    def _sparse(data: DataSpec) -> tuple[str, str, str] | None:
        if data.label_kind != "continuous" or not isinstance(data.y_shape, tuple) or len(data.y_shape) != 1:
            return None
        return (f"The training labels are not integer class ids (y_min {fmt(data.y_min)}, y_max {fmt(data.y_max)}; "
                "fractional or negative values)",
                "casts each label to an integer class id, so 0.7 becomes class 0 and a negative id is out of range",
                "y = np.rint(y).astype('int64') for rounded ids, or a regression loss for continuous targets")
