"""AF402 unnormalized-inputs."""

from __future__ import annotations

from ..edits import InsertLayer, NewLayer
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import is_known
from ._normalize import INPUT_SCALERS, normalization_inserts, rounded_stats
from .base import Example, Rule

#: Inputs spanning more than this range count as unscaled (raw 0-255 pixels).
MAX_RANGE = 20.0
#: Inputs whose mean sits this many standard deviations from 0 count as offset.
MAX_OFFSET_STDS = 5.0


#: First layers that read their inputs as indices (token ids, categories), not as magnitudes.
INDEX_LAYERS = frozenset({"Embedding", "CategoryEncoding", "IntegerLookup", "StringLookup", "Hashing",
                          "TextVectorization"})


class UnnormalizedInputs(Rule):
    """Inputs far from unit scale reach the first weighted layer unscaled.

    ## What it does
    Measures the training inputs: a range wider than 20 (raw 0-255 pixels,
    sensor counts) or a mean more than 5 standard deviations away from zero
    (values around -1.06 that vary only in the third decimal), when the model
    has no Normalization/Rescaling layer at its input. A functional model is
    checked only when the first layer it shows is fed by the model input:
    a sub-model or helper call in between (a preprocessing ``Sequential``
    with ``Normalization``) is not seen, so the rule stays silent. Inputs read
    as indices (a first ``Embedding`` or lookup layer) are not checked.

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
        # Read from the script (no run): documented 0..255 pixels get Rescaling(1/255).
        Example(
            """
(x_train, y_train), _ = keras.datasets.mnist.load_data()
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1)
""",
            source_only=True,
            message="(span 0..255; read from script line",
            line=2,
            fixed="""
(x_train, y_train), _ = keras.datasets.mnist.load_data()
model = keras.Sequential([keras.Input((28, 28)), layers.Rescaling(scale=0.00392156862745098), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1)
""",
        ),
        # Read from the script: an offset the replayed recipe shows is reported, its statistics left to --verify.
        Example(
            """
def build():
    inputs = keras.Input((6,))
    outputs = layers.Dense(1, activation="sigmoid")(inputs)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


rng = np.random.default_rng(0)
x = rng.normal(size=(500, 6)) + 500.0
model = build()
model.fit(x, (x[:, 0] > 500).astype("float32"), epochs=1)
""",
            source_only=True,
            message="standard deviations",
            line=3,
        ),
    ]
    VALID = [
        Example(  # token ids into an Embedding: indices, not magnitudes
            """
model = keras.Sequential([keras.Input((20,), dtype="int32"), layers.Embedding(5000, 16),
                          layers.GlobalAveragePooling1D(), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.randint(0, 5000, (64, 20)), np.arange(64) % 2, epochs=1)
"""
        ),
        Example(
            """
(x_train, y_train), _ = keras.datasets.mnist.load_data()
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train / 255.0, y_train, epochs=1)
""",
            source_only=True,
        ),
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
        if body and body[0].class_name in INDEX_LAYERS:
            return  # the inputs are token/category indices (an Embedding's lookup): their range is no scale
        if not body or body[0].class_name in INPUT_SCALERS or spec.kind != "sequential" and len(spec.inputs) != 1:
            return
        if spec.kind != "sequential" and not (body[0].inbound and set(body[0].inbound) <= set(spec.inputs)):
            return  # what feeds the first layer seen is unknown (a sub-model or helper call): Opaque
        span = data.x_max - data.x_min if is_known(data.x_min) and is_known(data.x_max) else None
        stats = is_known(data.x_mean) and is_known(data.x_std)
        offset = (abs(data.x_mean) / data.x_std if data.x_std > 0 else float("inf")) if stats else 0.0
        if not (span is not None and span > MAX_RANGE) and not (offset > MAX_OFFSET_STDS and abs(data.x_mean) > 0.1):
            return
        problem = (
            f"span {data.x_min:g}..{data.x_max:g}" if span is not None and span > MAX_RANGE
            else f"mean {data.x_mean:.4g} is {offset:.0f} standard deviations ({data.x_std:.3g}) from 0"
        )
        shown = f"; read from {data.origin}" if is_known(data.origin) else ""
        message = (
            f"The training inputs are not normalised ({problem}{shown}) and the model has no "
            "Normalization or Rescaling layer: large or offset inputs saturate the first layers "
            "and hide the signal, so the model can settle on one class. Normalise the inputs "
            "(a keras.layers.Normalization layer adapted on the training data)."
        )
        yield self.finding(message, at=body[0], fixes=self._fixes(spec, body[0]))

    def _fixes(self, spec: ModelSpec, first) -> list:
        """Measured data: a Normalization layer with its statistics. Read from a script: ``Rescaling(1/255)``
        for 0..255 pixels, else no fix (the statistics would be estimates; ``--verify`` measures them)."""
        data = spec.data
        if is_known(data.origin):
            if data.x_min == 0 and data.x_max == 255:
                return [self.make_fix("rescale the 0..255 pixels to [0, 1]",
                                      InsertLayer(first.qualname, NewLayer.of("Rescaling", scale=1 / 255),
                                                  after=False))]
            return []
        mean, variance = rounded_stats(data.x_mean, data.x_std)
        return [self.make_fix("insert a Normalization layer with the data's mean and variance",
                              *normalization_inserts(spec, first, mean, variance))]
