"""AF206 binary-metrics-two-unit-softmax."""

from __future__ import annotations

from typing import Any

from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._head import Head, sigmoid_binary_fix
from .base import Example, Rule

_THRESHOLD_METRICS = {
    "precision", "recall", "true_positives", "false_positives", "true_negatives",
    "false_negatives", "auc", "truepositives", "falsepositives", "truenegatives",
    "falsenegatives",
}


def _metric_names(metrics: Any) -> list[str]:
    if not isinstance(metrics, (list, tuple)):
        return []
    names = []
    for metric in metrics:
        if isinstance(metric, str):
            names.append(metric.lower())
        elif isinstance(metric, dict):
            names.append(str(metric.get("class_name", "")).lower())
    return names


class BinaryMetricsTwoUnitSoftmax(Rule):
    """Threshold metrics on a 2-unit softmax: precision = recall = accuracy.

    ## What it does
    Finds a 2-unit softmax head (a binary task encoded as one-hot pairs)
    compiled with threshold metrics: Precision, Recall, AUC or the
    TruePositives/FalsePositives/TrueNegatives/FalseNegatives counters.

    ## Why is this bad?
    Those metrics treat every output column as its own binary problem and sum
    over both. With mirrored columns ``[p, 1 - p]`` against labels
    ``[y, 1 - y]`` every false positive in one column is a false negative in
    the other, so fp = fn, tp = tn and precision = recall = accuracy on every
    epoch: the metrics the user added tell nothing.

    ## Example
    ``Dense(2, activation='softmax')`` with
    ``metrics=[keras.metrics.Precision(), keras.metrics.Recall()]``.

    ## Fix safety
    Unsafe: the head becomes 1 sigmoid unit with binary_crossentropy, which
    changes its shape and needs 0/1 labels. In a script the
    ``to_categorical(...)`` that one-hot encodes fit()'s labels is removed (no
    such call visible: not fixable there); on a live model the report says to
    pass ``y.argmax(-1)``.

    ## Keras versions
    All.

    ## References
    Seed report 004 (binary LeNet, fp = fn on every epoch).
    """

    code = "AF206"
    name = "binary-metrics-two-unit-softmax"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE
    verify_goal = "no_worse"  # corrects reporting/spelling, not learning
    requires = ("compile",)

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=[keras.metrics.Precision(name="precision"), "accuracy"])
y = keras.utils.to_categorical(np.arange(8) % 2)
model.fit(np.zeros((8, 28, 28, 1)), y, epochs=1)
""",
            fixed="""
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.Precision(name="precision"), "accuracy"])
y = np.arange(8) % 2
model.fit(np.zeros((8, 28, 28, 1)), y, epochs=1)
""",
            message="units with softmax for a binary task and",
            line=1,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.Precision(), keras.metrics.Recall()])
"""
        ),
    ]

    @classmethod
    def symptom_gone(cls, report: dict[str, Any] | None) -> tuple[bool, str]:
        """Gone when the reported fp/fn/precision/recall are the positive class's own."""
        if report is None:
            return False, "no binary metric report for this arm"
        rep, pos = report["reported"], report["positive"]
        text = (f"reported fp={rep['fp']} fn={rep['fn']} precision={rep['precision']:.3f} "
                f"recall={rep['recall']:.3f}; positive class fp={pos['fp']} fn={pos['fn']} "
                f"precision={pos['precision']:.3f} recall={pos['recall']:.3f}")
        same = all(rep[k] == pos[k] for k in ("tp", "fp", "fn", "tn"))
        return same, text

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        if head is None or head.units != 2 or head.activation != "softmax":
            return
        found = sorted({m for m in _metric_names(spec.compile.metrics) if m in _THRESHOLD_METRICS})
        if not found:
            return
        message = (
            f"{head.describe()} for a binary task and the metrics {', '.join(found)} are "
            "computed over both mirrored one-hot columns, so fp = fn, tp = tn and "
            "precision = recall = accuracy on every epoch. Use 1 sigmoid unit with "
            "binary_crossentropy and keep the labels as 0/1."
        )
        yield self.finding(message, at=head.act_layer, fixes=[sigmoid_binary_fix(head, self.applicability, spec)])
