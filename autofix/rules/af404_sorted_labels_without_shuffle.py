"""AF404 sorted-labels-without-shuffle."""

from __future__ import annotations

import math
from collections import Counter

from ..edits import ChangeData, SetFitArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from .base import Example, Rule


class SortedLabelsWithoutShuffle(Rule):
    """Training data ordered by label and ``fit(shuffle=False)``, or ``validation_split`` on it.

    ## What it does
    Detects training labels that come in long runs of one class (sorted or
    grouped by class) while ``fit()`` is called with ``shuffle=False``, or
    with ``validation_split`` (whatever ``shuffle`` says).

    ## Why is this bad?
    With ``shuffle=False`` every batch holds a single class: the model chases
    the most recent class, ends each epoch biased towards the last one, and
    BatchNormalization learns per-class batch statistics that do not hold at
    inference. Training accuracy can read 0.95 while ``evaluate()`` on the
    same data gives 0.50. ``validation_split`` holds out the *last* rows of
    ``x`` and ``y``, taken before Keras shuffles anything, so on class-sorted
    rows the validation set is the last class (or two) and training never
    sees it: ``shuffle=True`` does not help.

    ## Example
    ``x`` sorted with all class-0 samples first, ``fit(x, y, shuffle=False)``;
    or ``fit(x, y, validation_split=0.2)`` on the same rows.

    ## Fix safety
    Safe: ``shuffle=True`` (Keras's default) changes only the order of the
    batches, not the model. The split needs the arrays shuffled once before
    ``fit()`` (it also mixes the batches, so with both faults it is the only
    fix offered): unsafe, since the rows Keras validates on change. On a
    script, ``autofix-src`` inserts ``order = np.random.default_rng(0)
    .permutation(len(x))`` and ``x, y = x[order], y[order]`` right before
    the ``fit()`` statement when ``x`` and ``y`` are plain variables and
    numpy is imported; ``autofix.fix(model, x, y)`` cannot change your arrays
    and leaves the fix as a suggestion.

    ## Keras versions
    All.

    ## References
    Seed report 000; Keras ``Model.fit`` documentation ("The validation data
    is selected from the last samples in the x and y data provided, before
    shuffling").
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
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((6,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(4, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(80, 6), np.repeat([0, 1, 2, 3], [25, 25, 20, 10]), epochs=1, validation_split=0.2)
""",
            graph_only=True,
            message="they are classes 3 (10 rows), 2 (6 rows), so class 3 never reaches training",
            line=6,
        ),
        Example(
            """
inputs = keras.Input((6,))
hidden = layers.Dense(16, activation="relu")(inputs)
outputs = layers.Dense(3, activation="softmax")(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy")
y = np.eye(3)[np.repeat([0, 1, 2], 20)]
model.fit(np.random.rand(60, 6), y, epochs=1, shuffle=False, validation_split=0.5)
""",
            graph_only=True,
            message="BEFORE shuffling, so shuffle=True does not help",
            line=7,
        ),
        Example(
            """
def build():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


model = build()
model.fit(np.random.rand(50, 4), np.repeat([0, 1], 25), validation_split=0.1)
""",
            graph_only=True,
            message="holds out the last 5 of 50 rows",
            line=8,
        ),
        # Seen in the script: the rows are shuffled (seeded) right before fit().
        Example(
            """
x = np.random.rand(60, 6)
y = np.repeat([0, 1, 2], 20)
model = keras.Sequential([keras.Input((6,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1, validation_split=0.2)
""",
            message="and the training labels are grouped by class",
            line=5,
            fixed_source="""
x = np.random.rand(60, 6)
y = np.repeat([0, 1, 2], 20)
model = keras.Sequential([keras.Input((6,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
order = np.random.default_rng(0).permutation(len(x))
x, y = x[order], y[order]
model.fit(x, y, epochs=1, validation_split=0.2)
""",
        ),
        Example(
            """
def make_data():
    labels = np.sort(np.arange(80) % 2)
    x = np.random.rand(80, 4) + labels[:, None]
    return x, labels


def train(model, x, y):
    model.fit(x, y, epochs=1, shuffle=False, validation_split=0.25)


model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
x, y = make_data()
train(model, x, y)
""",
            message="BEFORE shuffling, so shuffle=True does not help",
            line=8,
            fixed_source="""
def make_data():
    labels = np.sort(np.arange(80) % 2)
    x = np.random.rand(80, 4) + labels[:, None]
    return x, labels


def train(model, x, y):
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    model.fit(x, y, epochs=1, shuffle=False, validation_split=0.25)


model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
x, y = make_data()
train(model, x, y)
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
        # Sorted rows with a separate validation set: batches are shuffled, nothing is cut off.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
x_val, y_val = np.random.rand(20, 6), np.arange(20) % 4
model.fit(np.random.rand(80, 6), np.repeat([0, 1, 2, 3], 20), epochs=1, validation_data=(x_val, y_val))
""",
            graph_only=True,
        ),
        # validation_split on rows that are already mixed.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(80, 6), np.arange(80) % 4, epochs=1, validation_split=0.2)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        if spec.data.label_sorted is not True:
            return
        split = spec.fit.validation
        split = float(split) if isinstance(split, (int, float)) and not isinstance(split, bool) and 0 < split < 1 \
            else None
        messages, fixes = [], []
        if spec.fit.shuffle is False:
            messages.append(
                "The training labels are grouped by class and fit() is called with shuffle=False: "
                "each batch holds one class, so the model chases the latest class and "
                "BatchNormalization statistics differ between training and inference."
                + (" Use shuffle=True." if split is None else "")
            )
            if split is None:
                fixes.append(self.make_fix("shuffle the training data (shuffle=True)", SetFitArg("shuffle", True)))
        if split is not None:  # shuffle=True cannot fix the split: only shuffling the arrays fixes both
            messages.append(_split_message(spec, split))
            fixes.append(self.make_fix(f"shuffle the rows once before fit(): {SHUFFLE_ONCE}",
                                       ChangeData("shuffle_rows", SHUFFLE_SEED), applicability=Applicability.UNSAFE))
        if messages:
            at = spec.fit.arg_origins.get("shuffle" if spec.fit.shuffle is False else "validation_split",
                                          spec.fit.origin)
            yield self.finding(" And ".join(messages), at=at, fixes=fixes)


#: The seed of the shuffle written before fit(), and the line that shuffles x and y together.
SHUFFLE_SEED = 0
SHUFFLE_ONCE = f"order = np.random.default_rng({SHUFFLE_SEED}).permutation(len(x)); x, y = x[order], y[order]"


def _classes(labels: list[int]) -> str:
    return f"class {labels[0]}" if len(labels) == 1 else f"classes {', '.join(map(str, labels))}"


def _split_message(spec: ModelSpec, split: float) -> str:
    """What ``validation_split`` holds out of label-sorted rows (the classes, from the label runs)."""
    rows = spec.data.n_samples
    held = f"the last {split:.0%} of the rows"
    detail = ""
    runs = spec.data.label_runs
    if isinstance(rows, int) and isinstance(runs, list) and runs:
        start = int(math.floor(rows * (1.0 - split)))  # Keras's split point
        train: Counter[int] = Counter()
        tail: Counter[int] = Counter()
        position = 0
        for label, count in runs:
            train[label] += max(0, min(count, start - position))
            tail[label] += max(0, position + count - max(start, position))
            position += count
        held = f"the last {rows - start} of {rows} rows"
        held_classes = [label for label, n in tail.most_common() if n]
        shown = ", ".join(f"{label} ({tail[label]} rows)" for label in held_classes)
        missing = sorted(label for label in held_classes if not train[label])
        detail = f": they are {'classes' if len(held_classes) > 1 else 'class'} {shown}"
        if missing:
            detail += f", so {_classes(missing)} never {'reach' if len(missing) > 1 else 'reaches'} training"
        else:
            detail += ", so training keeps only " + ", ".join(
                f"{train[label]} rows of class {label}" for label in held_classes)
    return (
        f"fit(validation_split={split:g}) holds out {held} and the training labels are grouped by class"
        f"{detail}. Keras takes the validation rows from the end of x and y BEFORE shuffling, so "
        "shuffle=True does not help: the model trains on a different class mix than it is validated on, and "
        "val_* metrics (EarlyStopping, checkpoints) judge classes it never saw. Shuffle the arrays once "
        f"before fit() ({SHUFFLE_ONCE}) or pass validation_data=."
    )
