"""AF404 sorted-labels-without-shuffle."""

from __future__ import annotations

from ..edits import SetFitArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from .base import Example, Rule


class SortedLabelsWithoutShuffle(Rule):
    """Training data ordered by label and ``fit(shuffle=False)``.

    ## What it does
    Detects training labels that come in long runs of one class (sorted or
    grouped by class) while ``fit()`` is called with ``shuffle=False``.

    ## Why is this bad?
    Every batch then holds a single class: the model chases the most recent
    class, ends each epoch biased towards the last one, and BatchNormalization
    learns per-class batch statistics that do not hold at inference. Training
    accuracy can read 0.95 while ``evaluate()`` on the same data gives 0.50.

    ## Example
    ``x`` sorted with all class-0 samples first, ``fit(x, y, shuffle=False)``.

    ## Fix safety
    Safe: ``shuffle=True`` (Keras's default) changes only the order of the
    batches, not the model.

    ## Keras versions
    All.

    ## References
    Seed report 000.
    """

    code = "AF404"
    name = "sorted-labels-without-shuffle"
    #: Prior (seed 000: label-sorted raw signals, fit(shuffle=False), 64 steps): all three cures
    #: together reached 0.995; shuffling alone 0.50, renorm alone 0.50.
    cure_of = "train-inference-gap"
    cure_prior = 0
    severity = Severity.ERROR
    applicability = Applicability.SAFE
    requires = ("data", "fit")

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(40, 4), (np.arange(40) >= 20).astype("int32"), epochs=1, shuffle=False)
""",
            graph_only=True,
            message="The training labels are grouped by class and",
            line=3,
            fixed="""
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(40, 4), (np.arange(40) >= 20).astype("int32"), epochs=1, shuffle=True)
""",
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(40, 4), (np.arange(40) >= 20).astype("int32"), epochs=1)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        if spec.fit.shuffle is not False or spec.data.label_sorted is not True:
            return
        message = (
            "The training labels are grouped by class and fit() is called with shuffle=False: "
            "each batch holds one class, so the model chases the latest class and "
            "BatchNormalization statistics differ between training and inference. Use "
            "shuffle=True."
        )
        fix = self.make_fix("shuffle the training data (shuffle=True)", SetFitArg("shuffle", True))
        yield self.finding(message, at=spec.fit.arg_origins.get("shuffle", spec.fit.origin), fixes=[fix])
