"""AF301 batchnorm-unreliable-statistics."""

from __future__ import annotations

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import is_known
from .base import Example, Rule

SMALL_BATCH = 8


class BatchNormUnreliableStatistics(Rule):
    """BatchNormalization trained on batches whose statistics do not represent the data.

    ## What it does
    Finds BatchNormalization layers when the fit settings make per-batch
    statistics unreliable: ``shuffle=False`` (batches follow the data's
    order, often sorted by label) or a batch size of 8 or less.

    ## Why is this bad?
    In training, BatchNormalization normalises with the *batch's* mean and
    variance; at inference it uses moving averages. When batches are tiny or
    not shuffled, the two differ wildly, so the model scores 0.95 during
    ``fit()`` and 0.50 in ``evaluate()`` on the very same data.

    ## Example
    ``Conv1D`` + ``BatchNormalization`` stack trained with
    ``fit(..., shuffle=False)``.

    ## Fix safety
    Unsafe: sets ``renorm=True`` (batch renormalization, Ioffe 2017), which
    corrects batch statistics towards the moving averages; it changes training
    dynamics. Shuffling (AF404, when data shows sorted labels) is the other
    candidate; verification picks between them.

    ## Keras versions
    ``renorm`` exists in Keras 2 and again from Keras 3.14 (not in 3.0-3.13).

    ## References
    Seed report 000; Ioffe (2017), "Batch Renormalization".
    """

    code = "AF301"
    name = "batchnorm-unreliable-statistics"
    cure_of = "train-inference-gap"  # prior: see AF404 (renorm alone did not cure seed 000)
    cure_prior = 2
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE
    requires = ("fit",)
    keras_versions = ">=3.14"

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((64, 1)),
    layers.Conv1D(8, 3, padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((16, 64, 1)), np.zeros((16, 1)), epochs=1, shuffle=False)
""",
            fixed="""
model = keras.Sequential([
    keras.Input((64, 1)),
    layers.Conv1D(8, 3, padding="same"),
    layers.BatchNormalization(renorm=True),
    layers.Activation("relu"),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((16, 64, 1)), np.zeros((16, 1)), epochs=1, shuffle=False)
""",
            message="on the same data is at chance. Use",
            line=4,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((64, 1)),
    layers.Conv1D(8, 3, padding="same"),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((16, 64, 1)), np.zeros((16, 1)), epochs=1, batch_size=32)
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        norms = [
            layer for layer in spec.layers
            if layer.class_name == "BatchNormalization" and layer.get("renorm") is not True
        ]
        if not norms:
            return
        reasons = []
        if spec.fit.shuffle is False:
            reasons.append("fit(shuffle=False) makes each batch follow the data's order")
        batch = spec.fit.batch_size
        if is_known(batch) and isinstance(batch, int) and batch <= SMALL_BATCH:
            reasons.append(f"batch_size={batch} gives noisy per-batch mean and variance")
        if not reasons:
            return
        names = ", ".join(f"'{layer.name}'" for layer in norms)
        message = (
            f"BatchNormalization layer(s) {names} normalise with per-batch statistics, but "
            f"{' and '.join(reasons)}: training-mode and inference-mode outputs diverge, so "
            "fit() accuracy can be high while evaluate() on the same data is at chance. Use "
            "BatchNormalization(renorm=True)"
            + (" and shuffle the training data." if spec.fit.shuffle is False else ".")
        )
        fix = self.make_fix(
            "enable batch renormalization (renorm=True)",
            *(SetLayerArg(layer.qualname, "renorm", True) for layer in norms),
        )
        yield self.finding(message, at=norms[0], fixes=[fix], layers=[lay.qualname for lay in norms])
