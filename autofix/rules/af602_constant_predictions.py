"""AF602 constant-predictions (training probe)."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._probe import DATA, PROBE_ORIGIN
from .base import Example, Rule

#: Share of predictions in one class that counts as constant.
CONSTANT = 0.95


class ConstantPredictions(Rule):
    """After a few training steps the model predicts one class for (nearly) every input.

    ## What it does
    Reads the training probe (``diagnose(model, x, y, probe=True)``): after a
    few steps on a fresh copy, 95% or more of the probe rows are predicted as
    one class while no class makes up 95% of the labels.

    ## Why is this bad?
    The model has collapsed: its accuracy is the share of the majority class
    and it cannot improve, whatever the number of epochs. Typical causes: a
    softmax over one unit (always 1.0), a loss that does not match the output
    head or the label encoding, a learning rate that overshoots, unnormalised
    inputs.

    ## Example
    ``Dense(1, activation="softmax")``: softmax over one unit outputs 1.0 for
    every input, so every row is predicted as class 1.

    ## Fix safety
    No fix of its own: the static findings on the same model (AF2xx head and
    loss, AF3xx learning rate, AF4xx data) name the cause and carry the fixes;
    ``fix(..., verify=True)`` confirms that the repair un-collapses the model.

    ## Keras versions
    All.

    ## References
    Seed reports 002 and 003 ("always predicts 1", "one class predicted").
    """

    code = "AF602"
    name = "constant-predictions"
    severity = Severity.ERROR
    applicability = Applicability.DISPLAY_ONLY
    requires = ("probe",)

    INVALID = [
        Example(
            DATA + """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, batch_size=32)
""",
            graph_only=True,
            message="probe steps the model predicts one class for",
        ),
    ]
    VALID = [
        Example(
            DATA + """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
model.fit(x, y, batch_size=32)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        facts = spec.probe
        share, base = facts.majority_share, facts.true_majority_share
        if share is None or share < CONSTANT or base >= CONSTANT:
            return
        yield self.finding(
            f"After {len(facts.losses)} probe steps the model predicts one class for {share:.0%} of the "
            f"rows, while the largest class is {base:.0%} of the labels: it has collapsed to one class. "
            "The other findings on this model (output head, loss, labels, learning rate, inputs) name "
            "the likely cause; fix(..., verify=True) confirms which repair un-collapses it.",
            at=PROBE_ORIGIN)
