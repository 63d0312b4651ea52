"""AF306 batchnorm-moving-averages-unconverged."""

from __future__ import annotations

from ..edits import SetLayerArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._batchnorm import LEFT, converging_momentum, left_after, normalisations, updates_to_converge
from .af303_too_few_updates import MIN_UPDATES, planned_updates
from .base import Example, Rule

#: Report when the initial moving statistics still weigh this much after training.
STILL_LEFT = 0.1


class BatchNormMovingAveragesUnconverged(Rule):
    """BatchNormalization whose moving averages cannot converge in the updates ``fit()`` makes.

    ## What it does
    Counts the optimizer updates ``fit()`` makes (as AF303 does: ``epochs``
    times ``steps_per_epoch``, or ``ceil(n_samples / batch_size)`` when the
    training data is visible) and, for each BatchNormalization layer, the
    weight its initial moving mean (0) and variance (1) still carry after
    them: ``momentum ** updates``. It reports layers where that weight is 10%
    or more, when training makes at least 100 updates (fewer is AF303's
    finding, whose fix then also counts what BatchNormalization needs).

    ## Why is this bad?
    During ``fit()`` a BatchNormalization layer normalises with each batch's
    own statistics; ``predict()`` and ``evaluate()`` use the moving averages,
    which move towards the data by ``1 - momentum`` per update. At Keras's
    default momentum 0.99 they need about 300 updates to forget their start.
    Trained for 150 updates, the averages are still 22% the initial 0/1, so
    inference normalises with the wrong mean and variance: accuracy in
    ``fit()`` is high, ``evaluate()`` on the same data is near chance, and
    nothing reports an error.

    ## Example
    ``BatchNormalization()`` in a model trained for 3 epochs of 50 batches.

    ## Fix safety
    Unsafe: sets ``momentum`` to the largest two-decimal value whose averages
    converge (to 5%) within the updates made: 0.98 for 150 updates. A lower
    momentum averages fewer batches, so the moving statistics are noisier; the
    other cure is longer training (the message says how many updates the
    current momentum needs). Verification compares both models.

    ## Keras versions
    All.

    ## References
    Ioffe & Szegedy (ICML 2015), "Batch Normalization" (moving averages for inference);
    Humbatova et al. (ICSE 2020), "wrong number of epochs"; StackOverflow "ResNet: 100%
    accuracy during training, but 33% prediction accuracy with the same data".
    """

    code = "AF306"
    name = "batchnorm-moving-averages-unconverged"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE
    requires = ("fit",)

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(32),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(1600, 8), np.arange(1600) % 2, batch_size=32, epochs=3)
""",
            fixed="""
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(32),
    layers.BatchNormalization(momentum=0.98),
    layers.Activation("relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(1600, 8), np.arange(1600) % 2, batch_size=32, epochs=3)
""",
            message="after the 150 optimizer updates fit() makes (epochs=3 x 50 batches per epoch",
            line=4,
        ),
        Example(  # a function-built model with a slow momentum, trained for 1000 updates
            """
MOMENTUM = 0.999


def build(n_classes):
    inputs = keras.Input((16,))
    x = layers.Dense(64, activation="relu")(inputs)
    x = layers.BatchNormalization(momentum=MOMENTUM)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


model = build(4)
model.fit(np.random.rand(3200, 16), np.arange(3200) % 4, batch_size=32, epochs=10)
""",
            fixed="""
MOMENTUM = 0.99


def build(n_classes):
    inputs = keras.Input((16,))
    x = layers.Dense(64, activation="relu")(inputs)
    x = layers.BatchNormalization(momentum=MOMENTUM)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


model = build(4)
model.fit(np.random.rand(3200, 16), np.arange(3200) % 4, batch_size=32, epochs=10)
""",
            message="still weigh 37%",
            line=7,
        ),
        Example(  # steps_per_epoch gives the count; two layers, one fix each
            """
model = keras.Sequential()
model.add(keras.Input((28, 28, 1)))
model.add(layers.Conv2D(8, 3, activation="relu"))
model.add(layers.BatchNormalization())
model.add(layers.Flatten())
model.add(layers.Dense(16, activation="relu"))
model.add(layers.BatchNormalization())
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(64, 28, 28, 1), np.arange(64) % 10, epochs=4, steps_per_epoch=30)
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((28, 28, 1)))
model.add(layers.Conv2D(8, 3, activation="relu"))
model.add(layers.BatchNormalization(momentum=0.97))
model.add(layers.Flatten())
model.add(layers.Dense(16, activation="relu"))
model.add(layers.BatchNormalization(momentum=0.97))
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(64, 28, 28, 1), np.arange(64) % 10, epochs=4, steps_per_epoch=30)
""",
            message="epochs=4 x 30 batches per epoch: steps_per_epoch=30",
            line=4,
        ),
    ]
    VALID = [
        Example(  # 10 epochs x 100 batches: 0.99 ** 1000 is 0.004%
            """
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(32),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(3200, 8), np.arange(3200) % 2, batch_size=32, epochs=10)
"""
        ),
        Example(  # a short run with a fast momentum is the documented remedy, not the fault
            """
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(32),
    layers.BatchNormalization(momentum=0.9),
    layers.Activation("relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(1600, 8), np.arange(1600) % 2, batch_size=32, epochs=3)
"""
        ),
        Example(  # fewer than 100 updates: AF303 reports it (and its fix counts BatchNormalization's needs)
            """
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(32),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(320, 8), np.arange(320) % 2, batch_size=32, epochs=3)
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        plan = planned_updates(spec)
        if plan is None or plan.updates < MIN_UPDATES:
            return
        stale = [(layer, m) for layer, m in normalisations(spec) if left_after(m, plan.updates) >= STILL_LEFT]
        if not stale:
            return
        updates = plan.updates
        new = converging_momentum(updates)
        slowest = max(m for _, m in stale)
        names = ", ".join(f"'{layer.name}' (momentum={m:g})" for layer, m in stale)
        plural = "batch" if plan.per_epoch == 1 else "batches"
        message = (
            f"BatchNormalization layer(s) {names}: after the {updates} optimizer updates fit() makes "
            f"(epochs={plan.epochs} x {plan.per_epoch} {plural} per epoch: {plan.how}) their moving mean and "
            f"variance still weigh {left_after(slowest, updates):.0%} of their initial 0 and 1. fit() normalises "
            "with each batch's statistics, predict() and evaluate() with these averages, so accuracy in fit() can "
            f"be high while evaluate() on the same data is near chance. Use BatchNormalization(momentum={new:g}), "
            f"or train for at least {updates_to_converge(slowest)} updates (to {LEFT:.0%} of the initial values)."
        )
        fix = self.make_fix(
            f"set BatchNormalization momentum={new:g}",
            *(SetLayerArg(layer.qualname, "momentum", new) for layer, _ in stale),
        )
        yield self.finding(message, at=stale[0][0], fixes=[fix], layers=[layer.qualname for layer, _ in stale])
