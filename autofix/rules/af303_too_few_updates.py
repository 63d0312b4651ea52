"""AF303 too-few-updates."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ..edits import SetFitArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import Opaque, is_known
from ._batchnorm import normalisations, updates_to_converge
from .af302_learning_rate_out_of_range import optimizer_facts
from .base import Example, Rule

#: Fewer optimizer updates than this rarely move a network far from its initialization.
#: A data set this large and smaller than batch_size is trained full-batch (one update per epoch).
MIN_FULL_BATCH_ROWS = 256
MIN_UPDATES = 100
#: How far (in weight units) the fix lets each weight travel: an Adam-family update moves a weight by at
#: most about one learning rate, so the fix aims for ``TRAVEL / learning_rate`` updates (2000 at Adam's 1e-3).
TRAVEL = 2.0
#: The most updates the fix aims for: a rate so low that ``TRAVEL / rate`` is beyond this is AF302's
#: finding (learning rate out of range), not a reason for 100,000 epochs.
MAX_UPDATES = 5000
#: The batch size the fix uses (Keras's default).
DEFAULT_BATCH = 32
#: A script's ``batch_size=len(x)`` / ``batch_size=x.shape[0]``: one batch per epoch.
_FULL_BATCH = re.compile(r"len\(\s*[\w.]+\s*\)|[\w.]+\.shape\[\s*0\s*\]")


def _count(value) -> bool:
    return is_known(value) and isinstance(value, int) and not isinstance(value, bool) and value > 0


def target_updates(spec: ModelSpec) -> tuple[int, str]:
    """Updates the fix aims for, and why: ``TRAVEL / learning_rate``, at least ``MIN_UPDATES``, and
    enough for every BatchNormalization layer's moving averages to converge (299 at momentum 0.99).

    An unknown learning rate (an optimizer the script builds elsewhere) counts as ``MIN_UPDATES``; a tiny one
    is capped at ``MAX_UPDATES`` (raising the rate is AF302's fix).
    """
    facts = optimizer_facts(spec.compile.optimizer) if spec.compile is not None else None
    rate = facts[1] if facts is not None else None
    target, why = MIN_UPDATES, ""
    if is_known(rate) and isinstance(rate, (int, float)) and not isinstance(rate, bool) and rate > 0:
        target = min(MAX_UPDATES, max(MIN_UPDATES, math.ceil(TRAVEL / rate)))
    slowest = max((m for _, m in normalisations(spec)), default=None)
    if slowest is not None and updates_to_converge(slowest) > target:
        target = updates_to_converge(slowest)
        why = (f" ({target} updates let BatchNormalization's moving averages, momentum={slowest:g}, "
               "forget their initial 0/1)")
    return target, why


@dataclass(frozen=True)
class Schedule:
    """The optimizer updates ``fit()`` makes: ``epochs`` x ``per_epoch``, and how ``per_epoch`` was read."""

    epochs: int
    per_epoch: int
    how: str
    full_batch: bool  # ``batch_size=len(x)``: one batch per epoch whatever the data
    n: Any  # training rows, when known

    @property
    def updates(self) -> int:
        return self.epochs * self.per_epoch


def planned_updates(spec: ModelSpec) -> Schedule | None:
    """The updates ``fit()`` will make, or None when the script or data does not show them."""
    fit = spec.fit
    epochs, batch, steps = fit.epochs, fit.batch_size, fit.steps_per_epoch
    if not _count(epochs):
        return None
    n = spec.data.n_samples if spec.data is not None else None
    full_batch = isinstance(batch, Opaque) and _FULL_BATCH.fullmatch(batch.text.strip()) is not None
    if _count(steps):
        return Schedule(epochs, steps, f"steps_per_epoch={steps}", full_batch, n)
    if full_batch:
        return Schedule(epochs, 1, f"batch_size={batch.text} trains on the whole data set at once", True, n)
    if _count(batch) and isinstance(n, int) and (n >= batch or n >= MIN_FULL_BATCH_ROWS):
        # (a few rows smaller than one batch are a sample of the data, or meant for other data: no count)
        per_epoch = math.ceil(n / batch)
        how = (f"{n} samples / batch_size={batch}" if per_epoch > 1
               else f"batch_size={batch} holds all {n} samples")
        return Schedule(epochs, per_epoch, how, False, n)
    return None


class TooFewUpdates(Rule):
    """Training that takes fewer than about 100 optimizer steps in total.

    ## What it does
    Counts the optimizer updates ``fit()`` will make: ``epochs`` times the
    batches per epoch, which is ``steps_per_epoch`` when it is given and
    ``ceil(n_samples / batch_size)`` when the training data is visible. A
    script's ``batch_size=len(x)`` (or ``x.shape[0]``) is one batch per epoch
    even without data. The rule reports totals below 100 updates. Arrays
    smaller than one batch are not counted (they are usually a sample passed
    to ``diagnose``, not the training set). Larger totals are not reported:
    one epoch over a big data set makes thousands of updates.

    ## Why is this bad?
    Each update moves the weights by one learning-rate step. Full-batch
    training for a few epochs (``batch_size=len(x)``, ``epochs=5``) makes five
    steps: the loss barely leaves its initial value and the model predicts
    roughly the same for every input, with no error or warning. This is the
    "wrong number of epochs / batch size" fault of the published taxonomies.

    ## Example
    ``model.fit(x, y, batch_size=len(x), epochs=5)``.

    ## Fix safety
    Unsafe: the batch size becomes 32 (when it is larger), and ``epochs`` is
    raised until training makes the fix's **target** number of updates:
    ``TRAVEL / learning_rate`` with ``TRAVEL = 2``, at least 100 and at
    most 5000 (a lower rate is AF302's finding, not a reason for more
    epochs). An
    Adam-family update moves each weight by at most about one learning rate,
    so the target lets a weight travel about 2 units from its initial value:
    2000 updates at Adam's default 1e-3, 100 for SGD at 0.02 or above. The
    learning rate is read from the compiled optimizer (Keras's default for a
    named one); when it is not visible the target is 100. With
    BatchNormalization layers the target is also at least the updates their
    moving averages need to forget their initial 0/1 (to 5%):
    ``log(0.05) / log(momentum)``, 299 at Keras's default momentum 0.99.
    Otherwise the weights may have trained while ``predict()`` still
    normalises with statistics near 0 and 1. Both edits change
    training dynamics and run time (one epoch of 1 batch per 5 rows over 337
    rows becomes 30 epochs).

    ## Keras versions
    All.

    ## References
    Humbatova et al. (ICSE 2020), "wrong batch size / number of epochs"; Zhang et al.,
    AUTOTRAINER (ICSE 2021); Cao et al., DeepFD (ICSE 2022); DeepCrime (ISSTA 2021)
    epoch and batch-size mutations.
    """

    code = "AF303"
    name = "too-few-updates"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE
    requires = ("fit",)

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
x = np.random.rand(1000, 8)
y = np.arange(1000) % 2
model.fit(x, y, batch_size=len(x), epochs=5)
""",
            fixed="""
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
x = np.random.rand(1000, 8)
y = np.arange(1000) % 2
model.fit(x, y, batch_size=32, epochs=63)
""",
            message="fit() makes only 5 optimizer updates (epochs=5 x 1 batch per epoch",
            line=9,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((4,)))
model.add(layers.Dense(3, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(320, 4), np.arange(320) % 3, epochs=3, steps_per_epoch=10)
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((4,)))
model.add(layers.Dense(3, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(320, 4), np.arange(320) % 3, epochs=200, steps_per_epoch=10)
""",
            message="only 30 optimizer updates (epochs=3 x 10 batches per epoch: steps_per_epoch=10)",
            line=5,
        ),
        Example(
            """
inputs = keras.Input((6,))
outputs = layers.Dense(1)(layers.Dense(16, activation="relu")(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(512, 6), np.random.rand(512), batch_size=256, epochs=2)
""",
            fixed="""
inputs = keras.Input((6,))
outputs = layers.Dense(1)(layers.Dense(16, activation="relu")(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(512, 6), np.random.rand(512), batch_size=32, epochs=125)
""",
            message="2 batches per epoch: 512 samples / batch_size=256",
            line=5,
            graph_only=True,
        ),
        Example(
            """
def train(x_train, y_train):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x_train, y_train, batch_size=x_train.shape[0], epochs=10)
    return model


model = train(np.random.rand(2000, 4), np.arange(2000) % 2)
""",
            fixed="""
def train(x_train, y_train):
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x_train, y_train, batch_size=32, epochs=32)
    return model


model = train(np.random.rand(2000, 4), np.arange(2000) % 2)
""",
            message="only 10 optimizer updates (epochs=10 x 1 batch per epoch",
            line=4,
        ),
        Example(  # a batch larger than the data set: every epoch is one full-batch update
            """
FIT = dict(epochs=5, batch_size=4096)
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(1500, 8), np.arange(1500) % 2, **FIT)
""",
            message="only 5 optimizer updates (epochs=5 x 1 batch per epoch",
            line=1,  # where the dict writes batch_size
            fixed="""
FIT = dict(epochs=43, batch_size=32)
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(1500, 8), np.arange(1500) % 2, **FIT)
""",
        ),
        Example(  # SGD at 0.05: TRAVEL / 0.05 = 40 updates, so the fix only reaches the floor of 100
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(640, 4), np.arange(640) % 3, batch_size=32, epochs=2)
""",
            fixed="""
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(640, 4), np.arange(640) % 3, batch_size=32, epochs=5)
""",
            message="only 40 optimizer updates (epochs=2 x 20 batches per epoch: 640 samples / batch_size=32)",
            line=4,
            graph_only=True,
        ),
        Example(  # BatchNormalization: the target is what its moving averages need (299 at momentum 0.99)
            """
def build_model():
    inputs = keras.Input((16,))
    x = layers.Dense(32)(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    outputs = layers.Dense(3, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    return model


model = build_model()
model.fit(np.random.rand(96, 16), np.arange(96) % 3, batch_size=32, epochs=5)
""",
            fixed="""
def build_model():
    inputs = keras.Input((16,))
    x = layers.Dense(32)(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    outputs = layers.Dense(3, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    return model


model = build_model()
model.fit(np.random.rand(96, 16), np.arange(96) % 3, batch_size=32, epochs=100)
""",
            message="Use epochs=100 (299 updates let BatchNormalization's moving averages, momentum=0.99,",
            line=13,
        ),
    ]
    VALID = [
        # 10 epochs x 300 batches = 3000 updates.
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((9600, 4)), np.zeros(9600), batch_size=32, epochs=10)
""",
            graph_only=True,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((64, 4)), np.zeros(64), epochs=10, steps_per_epoch=300)
"""
        ),
        # One epoch over a large data set: 1875 updates, far fewer than the fix's target but enough.
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((60000, 4)), np.zeros(60000), batch_size=32, epochs=1)
""",
            graph_only=True,
        ),
        # Full-batch training is fine when it runs for enough epochs.
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
x = np.zeros((64, 4))
model.fit(x, np.zeros(64), batch_size=len(x), epochs=500)
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        plan = planned_updates(spec)
        if plan is None or plan.updates >= MIN_UPDATES:
            return
        fit, epochs, per_epoch, n, updates = spec.fit, plan.epochs, plan.per_epoch, plan.n, plan.updates
        edits = []
        shrink = not _count(fit.steps_per_epoch) and (
            plan.full_batch or (fit.batch_size > DEFAULT_BATCH and n > DEFAULT_BATCH))
        new_per_epoch: int | None = per_epoch
        if shrink:
            edits.append(SetFitArg("batch_size", DEFAULT_BATCH))
            new_per_epoch = math.ceil(n / DEFAULT_BATCH) if isinstance(n, int) else None
        target, why = target_updates(spec)
        if new_per_epoch is not None and epochs * new_per_epoch < target:
            edits.append(SetFitArg("epochs", math.ceil(target / new_per_epoch)))
        plural = "batch" if per_epoch == 1 else "batches"
        advice = " and ".join(
            f"{e.arg}={e.value}" for e in edits
        )
        message = (
            f"fit() makes only {updates} optimizer update{'s' if updates != 1 else ''} (epochs={epochs} x "
            f"{per_epoch} {plural} per epoch: {plan.how}): far fewer than the ~{MIN_UPDATES} steps a network "
            f"needs to move away from its initialization, so the loss barely changes and the model "
            f"predicts nearly the same for every input. Use {advice}{why}."
        )
        at = fit.arg_origins.get("batch_size") if shrink else fit.arg_origins.get("epochs")
        fix = self.make_fix(f"train with {advice}", *edits)
        yield self.finding(message, at=at or fit.arg_origins.get("steps_per_epoch") or fit.origin, fixes=[fix])
