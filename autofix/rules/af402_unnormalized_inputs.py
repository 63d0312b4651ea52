"""AF402 unnormalized-inputs."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._normalize import INPUT_SCALERS, normalization_inserts, rounded_stats
from .base import Example, Rule

#: Inputs spanning more than this range count as unscaled (raw 0-255 pixels).
MAX_RANGE = 20.0
#: Inputs whose mean sits this many standard deviations from 0 count as offset.
MAX_OFFSET_STDS = 5.0


class UnnormalizedInputs(Rule):
    """Inputs far from unit scale reach the first weighted layer unscaled.

    ## What it does
    Measures the training inputs: a range wider than 20 (raw 0-255 pixels,
    sensor counts) or a mean more than 5 standard deviations away from zero
    (values around -1.06 that vary only in the third decimal), when the model
    has no Normalization/Rescaling layer at its input.

    ## Why is this bad?
    Large inputs saturate activations and blow up the first layer's
    gradients; a large common offset hides the signal in a tiny variation,
    so the model sees near-constant inputs and predicts one class.

    ## Example
    ``x`` with values in 0..255 fed straight into ``Conv2D``.

    ## Fix safety
    Unsafe: inserts a ``keras.layers.Normalization`` layer at the input with
    the data's mean and variance; the model then expects raw data exactly as
    before, but training dynamics change.

    ## Keras versions
    All Keras 3.

    ## References
    Seed reports 000 and 002 (unnormalised signals); LeCun et al. (1998),
    "Efficient BackProp".
    """

    code = "AF402"
    name = "unnormalized-inputs"
    cure_of = "train-inference-gap"  # prior: see AF404
    cure_prior = 1
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE
    requires = ("data",)

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.arange(320.0).reshape(20, 16), np.arange(20) % 2, epochs=1)
""",
            graph_only=True,
            message="and the model has no Normalization or Rescaling",
            line=1,
            fixed="""
model = keras.Sequential([keras.Input((16,)), layers.Normalization(axis=None, mean=159.5, variance=8530.0), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.arange(320.0).reshape(20, 16), np.arange(20) % 2, epochs=1)
""",
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.linspace(-1, 1, 320).reshape(20, 16), np.arange(20) % 2, epochs=1)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        data = spec.data
        body = [layer for layer in spec.layers if layer.class_name != "InputLayer" and not layer.scope]
        if not body or body[0].class_name in INPUT_SCALERS or spec.kind != "sequential" and len(spec.inputs) != 1:
            return
        span = data.x_max - data.x_min
        offset = abs(data.x_mean) / data.x_std if data.x_std > 0 else float("inf")
        if span <= MAX_RANGE and not (offset > MAX_OFFSET_STDS and abs(data.x_mean) > 0.1):
            return
        problem = (
            f"span {data.x_min:g}..{data.x_max:g}" if span > MAX_RANGE
            else f"mean {data.x_mean:.4g} is {offset:.0f} standard deviations ({data.x_std:.3g}) from 0"
        )
        message = (
            f"The training inputs are not normalised ({problem}) and the model has no "
            "Normalization or Rescaling layer: large or offset inputs saturate the first layers "
            "and hide the signal, so the model can settle on one class. Normalise the inputs "
            "(a keras.layers.Normalization layer adapted on the training data)."
        )
        mean, variance = rounded_stats(data.x_mean, data.x_std)
        fix = self.make_fix("insert a Normalization layer with the data's mean and variance",
                            *normalization_inserts(spec, body[0], mean, variance))
        yield self.finding(message, at=body[0], fixes=[fix])
