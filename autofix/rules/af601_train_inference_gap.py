"""AF601 train-inference-gap (training probe)."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._probe import PROBE_ORIGIN
from .base import Example, Rule

#: Training-mode accuracy above inference-mode accuracy on the same rows by this much.
GAP = 0.2


class TrainInferenceGap(Rule):
    """The model scores much better in training mode than in inference mode on the same rows.

    ## What it does
    Reads the training probe (``diagnose(model, x, y, probe=True)``): a fresh
    copy of the model trains a few steps, then its accuracy on the probe rows is
    measured in training mode (as ``fit()`` reports it) and in inference mode
    (as ``evaluate()``/``predict()`` see it). A gap above 0.2 is reported.

    ## Why is this bad?
    ``fit()`` accuracy will not carry over to ``evaluate()``: the user sees 0.95
    while training and 0.50 on the very same data. Usual causes are
    BatchNormalization statistics that differ between batches and the whole
    data set (label-sorted batches with ``shuffle=False``, unnormalised inputs
    whose moving mean has not caught up, tiny batches).

    ## Example
    Raw inputs around 100 into ``BatchNormalization``: batch statistics
    normalise them while training, the moving averages still hold values near
    the start, so inference sees shifted inputs and predicts one class.

    ## Fix safety
    No automatic fix: several cures compete (shuffle, input normalisation,
    ``renorm=True``). ``fix(..., verify=True)`` trains each and keeps the one
    that closes the gap.

    ## Keras versions
    All.

    ## References
    Seed report 000; Keras ``BatchNormalization`` docs (training vs inference).
    """

    code = "AF601"
    name = "train-inference-gap"
    severity = Severity.ERROR
    applicability = Applicability.DISPLAY_ONLY
    requires = ("probe",)

    INVALID = [
        Example(
            """
rng = np.random.default_rng(0)
x = (100.0 + rng.normal(size=(256, 4))).astype("float32")
y = (x[:, 0] + x[:, 1] > 200.0).astype("float32")
model = keras.Sequential([keras.Input((4,)), layers.BatchNormalization(), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
model.fit(x, y, batch_size=32)
""",
            graph_only=True,
            message="in inference mode on the same rows",
        ),
    ]
    VALID = [
        Example(
            """
rng = np.random.default_rng(0)
x = rng.normal(size=(256, 4)).astype("float32")
y = (x[:, 0] + x[:, 1] > 0.0).astype("float32")
model = keras.Sequential([keras.Input((4,)), layers.BatchNormalization(), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
model.fit(x, y, batch_size=32)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        facts = spec.probe
        if facts.fit_accuracy is None or facts.fit_accuracy - facts.eval_accuracy <= GAP:
            return
        yield self.finding(
            f"After {len(facts.losses)} probe steps the model scores {facts.fit_accuracy:.2f} in training "
            f"mode but {facts.eval_accuracy:.2f} in inference mode on the same rows: fit() accuracy will "
            "not carry over to evaluate(). Causes to test: BatchNormalization statistics (renorm=True), "
            "shuffle=False on label-sorted data, unnormalised inputs; verify=True trains each cure.",
            at=PROBE_ORIGIN)
