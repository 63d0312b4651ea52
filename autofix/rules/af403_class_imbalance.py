"""AF403 class-imbalance."""

from __future__ import annotations

from ..edits import SetFitArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import is_known
from .base import Example, Rule

#: Largest-to-smallest class ratio from which the rule speaks up.
MAX_RATIO = 4.0


class ClassImbalance(Rule):
    """Strongly imbalanced classes trained without class weights.

    ## What it does
    Counts the training labels per class; when the largest class outnumbers
    the smallest by 4x or more and ``fit()`` has no ``class_weight``, it
    suggests balanced class weights.

    ## Why is this bad?
    Predicting the majority class for every input already scores well on
    accuracy (80% with a 4:1 split), so the model can settle there: accuracy
    looks fine while the minority class is never predicted.

    ## Example
    900 negatives and 100 positives with plain ``fit(x, y)``.

    ## Fix safety
    Display only: ``class_weight`` changes what the model optimises; the
    suggested weights are ``n_samples / (n_classes * count)``.

    ## Keras versions
    All.

    ## References
    Seed report 003 (advice on class weights); scikit-learn's "balanced"
    class-weight heuristic.
    """

    code = "AF403"
    name = "class-imbalance"
    severity = Severity.INFO
    applicability = Applicability.DISPLAY_ONLY
    requires = ("data",)

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(50, 4), (np.arange(50) < 5).astype("int32"), epochs=1)
""",
            graph_only=True,
            message="predicting the majority class everywhere already reaches",
            line=3,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(50, 4), np.arange(50) % 2, epochs=1)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        counts = spec.data.class_counts
        if not is_known(counts) or not isinstance(counts, dict) or len(counts) < 2:
            return
        if is_known(spec.fit.class_weight) and spec.fit.class_weight:
            return
        largest, smallest = max(counts.values()), min(counts.values())
        if smallest == 0 or largest / smallest < MAX_RATIO:
            return
        total = sum(counts.values())
        weights = {int(k): round(total / (len(counts) * v), 3) for k, v in sorted(counts.items())}
        message = (
            f"The classes are imbalanced ({', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))}; "
            f"{largest / smallest:.1f}:1) and fit() has no class_weight: predicting the majority "
            f"class everywhere already reaches {largest / total:.0%} accuracy. Consider "
            f"class_weight={weights}."
        )
        fix = self.make_fix("pass balanced class_weight to fit()", SetFitArg("class_weight", weights))
        yield self.finding(message, at=spec.fit.origin, fixes=[fix])
