"""AF301 batchnorm-unreliable-statistics."""

from __future__ import annotations

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import is_known
from .base import Example, Rule

SMALL_BATCH = 8
#: Layers whose output has no positions besides the batch axis (one value per row and channel).
_FLAT = frozenset({"Dense", "EinsumDense", "Flatten", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
                   "GlobalAveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D"})
#: Layers that pass their input's shape through (look further back for it).
_SAME_SHAPE = frozenset({"Activation", "Dropout", "ReLU", "LeakyReLU", "ELU", "PReLU", "GaussianNoise",
                         "AlphaDropout", "GaussianDropout", "LayerNormalization"})


def values_per_statistic(spec: ModelSpec, layer, batch: int) -> int | None:
    """How many values one BatchNormalization statistic (mean/variance of one channel)
    averages per batch: ``batch`` times the positions of its input (time steps, pixels),
    or None when those positions are not known.

    The layer's shape (live path) gives the positions, unknown axes counted as 1; on a
    script, a flat input (after Dense/Flatten/global pooling) has one position per row.
    """
    shape = layer.output_shape
    if is_known(shape) and isinstance(shape, (list, tuple)) and shape:
        axis = layer.get("axis", -1)
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        keep = {a % len(shape) if isinstance(a, int) and a < 0 else (a - 1 if isinstance(a, int) else a)
                for a in axes}
        positions = 1
        for i, dim in enumerate(shape):
            if i not in keep and isinstance(dim, int) and dim > 0:
                positions *= dim
        return batch * positions
    current = layer
    for _ in range(len(spec.layers)):
        preds = spec.predecessors(current)
        if len(preds) != 1:
            return None
        current = preds[0]
        if current.class_name in _FLAT:
            return batch
        if current.class_name == "InputLayer":
            given = current.get("shape", current.get("batch_shape"))
            if isinstance(given, (list, tuple)) and len(given) == 1:
                return batch
            return None
        if current.class_name not in _SAME_SHAPE:
            return None
    return None


class BatchNormUnreliableStatistics(Rule):
    """BatchNormalization trained on batches whose statistics do not represent the data.

    ## What it does
    Finds BatchNormalization layers when the fit settings make per-batch
    statistics unreliable: ``shuffle=False`` (batches follow the data's
    order, often sorted by label) or so small a batch that each statistic
    averages 8 values or fewer. A statistic (one channel's mean or variance)
    averages over the batch *and* every position of the input: batch size 5
    over 40x40 frames averages 8000 values, which is plenty; batch size 4 after
    a Dense layer averages 4.

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
        Example(
            """
model = keras.Sequential([
    keras.Input((12,)),
    layers.Dense(16, activation="relu"),
    layers.BatchNormalization(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((16, 12)), np.zeros((16, 1)), epochs=1, batch_size=4)
""",
            fixed="""
model = keras.Sequential([
    keras.Input((12,)),
    layers.Dense(16, activation="relu"),
    layers.BatchNormalization(renorm=True),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((16, 12)), np.zeros((16, 1)), epochs=1, batch_size=4)
""",
            message="(4 values per statistic)",
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
        Example(  # batch 5 over 40x40 frames: each statistic averages 5 x 40 x 40 values per time step
            """
model = keras.Sequential([
    keras.Input((None, 40, 40, 1)),
    layers.ConvLSTM2D(4, (3, 3), padding="same", return_sequences=True),
    layers.BatchNormalization(),
    layers.Conv3D(1, (3, 3, 3), activation="sigmoid", padding="same"),
])
model.compile(optimizer="adadelta", loss="binary_crossentropy")
model.fit(np.zeros((10, 3, 40, 40, 1)), np.zeros((10, 3, 40, 40, 1)), batch_size=5, epochs=1)
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
            # A statistic averages batch x positions values (a 40x40 frame gives 1600 per row):
            # only a few values in all make it noisy.
            counts = [values_per_statistic(spec, layer, batch) for layer in norms]
            if any(c is not None and c <= SMALL_BATCH for c in counts):
                reasons.append(f"batch_size={batch} gives noisy per-batch mean and variance "
                               f"({min(c for c in counts if c is not None)} values per statistic)")
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
