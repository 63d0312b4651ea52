"""AF410 split-preprocessed-differently."""

from __future__ import annotations

from typing import Any

from ..edits import ChangeData
from ..findings import Applicability, Severity
from ..spec import ModelSpec, Origin, SplitMismatch
from ..values import UNKNOWN, is_known
from .base import Example, Rule


class SplitPreprocessedDifferently(Rule):
    """The training split is rescaled or shifted but its held-out sibling is not (or the reverse).

    ## What it does
    Follows the two parts of a train/held-out split in a script (``x[:n]``/``x[n:]``,
    ``load_data()``'s two tuples, ``train_test_split``, or two calls of one of the
    script's own data-making functions given no arrays: ``load("train")``/``load("test")``,
    ``pictures(rng, 1500)``/``pictures(rng, 500)``) to fit() and to where the held-out
    part is evaluated (``evaluate``, ``predict``, ``validation_data``, or compared with a
    prediction), and compares the elementwise operations applied to each part after the
    split (``/ 255``, ``- mean``, ``np.log1p``; ``* (1/255)`` counts as ``/ 255``), across
    statements and functions. The message names the lines where each part was made,
    preprocessed and evaluated. On arrays (``diagnose``/``fix`` given ``validation_data``,
    or fit_kwargs holding it) it compares the largest magnitudes of the training and
    held-out inputs, and of continuous targets on both sides: 20 times apart or more
    is another scale.

    ## Why is this bad?
    The model learns on inputs (or targets) in one unit and is scored on another:
    ``x_train / 255`` trains on values in [0, 1] and ``x_test`` in 0..255 saturates
    every unit, targets divided by 100 for training make every prediction 100 times
    too small. Training looks fine; the held-out score collapses, with no error.

    ## Example
    ``x_train = x_train / 255`` and no such line for ``x_test``, then
    ``model.evaluate(x_test, y_test)``.

    ## Fix safety
    Unsafe, when only the training part was preprocessed: the held-out expression
    gets the same operations, written with the training code's own operands
    (``y[n:]`` becomes ``y[n:] / 100.0``; the ``x`` passed to ``predict`` becomes
    ``x / 255.0``). The held-out side is edited because the model, its loss and its
    learning rate were fitted on the training units, and the held-out expression is
    one edit that changes nothing else; it is the expression that made the part
    (the slice) unless the operations read names (``- mean``), then the evaluated
    expression, and no fix is written when such a name is not visible there.
    Otherwise (the held-out part preprocessed, or both differently) display only:
    which split holds the intended units is the author's call. For targets
    (``y``) the first alternative instead drops the training part's one
    operation (``y[:n] / 100.0`` becomes ``y[:n]``): scaled targets also make the
    model learn worse and predict in units nobody uses (fault suite
    ``b14_regression_functional__train_targets_rescaled``: the held-out edit scores
    R2 0.709, dropping the division 0.991, the oracle's). Verification judges these
    fixes by non-inferiority: the fault shows only on the held-out rows, which its
    capped runs do not score.

    ## Keras versions
    All.

    ## References
    Fault suite mutant ``b14_regression_functional__train_targets_rescaled``
    (DeepCrime-style data mutation); Humbatova et al. (ICSE 2020), "preprocessing
    of the test data differs from that of the training data".
    """

    code = "AF410"
    name = "split-preprocessed-differently"
    severity = Severity.ERROR
    applicability = Applicability.UNSAFE
    requires = ("data",)
    #: The fault shows only on held-out rows, which a capped verification run does not score (it scores the
    #: training rows, where matching the held-out expression changes nothing): verification checks no harm.
    verify_goal = "no_worse"

    INVALID = [
        Example(
            """
rng = np.random.default_rng(0)
x = rng.integers(0, 256, size=(200, 16)).astype("float32")
y = rng.integers(0, 2, size=200)
x_train, y_train, x_test, y_test = x[:150], y[:150], x[150:], y[150:]
x_train = x_train / 255
model = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train, epochs=1)
model.evaluate(x_test, y_test)
""",
            fixed="""
rng = np.random.default_rng(0)
x = rng.integers(0, 256, size=(200, 16)).astype("float32")
y = rng.integers(0, 2, size=200)
x_train, y_train, x_test, y_test = x[:150], y[:150], x[150:] / 255, y[150:]
x_train = x_train / 255
model = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train, epochs=1)
model.evaluate(x_test, y_test)
""",
            source_only=True,
            message="but the held-out x",
            line=5,
        ),
        Example(
            """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32")
model = keras.Sequential()
model.add(keras.Input((784,)))
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, validation_data=(x_test, y_test))
""",
            fixed="""
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32")
model = keras.Sequential()
model.add(keras.Input((784,)))
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, validation_data=(x_test / 255, y_test))
""",
            source_only=True,
            message="Apply the same operation (/ 255) to the held-out split",
            line=2,
        ),
        Example(
            """
rng = np.random.default_rng(1)
x = rng.normal(size=(400, 4)).astype("float32")
y = x.sum(axis=1) * 50
n = 300
(x_tr, y_tr), (x_te, y_te) = (x[:n], y[:n] / 100), (x[n:], y[n:])
inputs = keras.Input((4,))
outputs = layers.Dense(1)(layers.Dense(16, activation="relu")(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(x_tr, y_tr, epochs=1)
pred = model.predict(x_te)
print(np.mean((pred[:, 0] - y_te) ** 2))
""",
            fixed="""
rng = np.random.default_rng(1)
x = rng.normal(size=(400, 4)).astype("float32")
y = x.sum(axis=1) * 50
n = 300
(x_tr, y_tr), (x_te, y_te) = (x[:n], y[:n]), (x[n:], y[n:])
inputs = keras.Input((4,))
outputs = layers.Dense(1)(layers.Dense(16, activation="relu")(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(x_tr, y_tr, epochs=1)
pred = model.predict(x_te)
print(np.mean((pred[:, 0] - y_te) ** 2))
""",
            source_only=True,
            message="fit()'s y is `y[:n] / 100`",
            line=5,
        ),
        Example(
            """
def build():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


rng = np.random.default_rng(2)
x = rng.uniform(0, 1000, size=(100, 3))
y = x.mean(axis=1)
x_train, x_test = x[:80], x[80:]
mean, std = x_train.mean(axis=0), x_train.std(axis=0)
x_train = (x_train - mean) / std
model = build()
model.fit(x_train, y[:80], epochs=1)
score = model.evaluate(x_test, y[80:])
""",
            fixed="""
def build():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


rng = np.random.default_rng(2)
x = rng.uniform(0, 1000, size=(100, 3))
y = x.mean(axis=1)
x_train, x_test = x[:80], x[80:]
mean, std = x_train.mean(axis=0), x_train.std(axis=0)
x_train = (x_train - mean) / std
model = build()
model.fit(x_train, y[:80], epochs=1)
score = model.evaluate((x_test - mean) / std, y[80:])
""",
            source_only=True,
            message="(- mean, / std)",
            line=12,
        ),
        # Two calls of one data-making function; only the training pictures are scaled, in another function.
        Example(
            """
def pictures(rng, n):
    return rng.integers(0, 256, size=(n, 8, 8)).astype("float32"), rng.integers(0, 4, size=n)


def load_train(rng):
    pics, labels = pictures(rng, 300)
    return pics / 255.0, labels


def load_eval(rng):
    pics, labels = pictures(rng, 100)
    return pics, labels


rng = np.random.default_rng(3)
(x, y), (x_eval, y_eval) = load_train(rng), load_eval(rng)
model = keras.Sequential([keras.Input((8, 8)), layers.Flatten(), layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1)
model.evaluate(x_eval, y_eval)
""",
            fixed="""
def pictures(rng, n):
    return rng.integers(0, 256, size=(n, 8, 8)).astype("float32"), rng.integers(0, 4, size=n)


def load_train(rng):
    pics, labels = pictures(rng, 300)
    return pics / 255.0, labels


def load_eval(rng):
    pics, labels = pictures(rng, 100)
    return pics, labels


rng = np.random.default_rng(3)
(x, y), (x_eval, y_eval) = load_train(rng), load_eval(rng)
model = keras.Sequential([keras.Input((8, 8)), layers.Flatten(), layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1)
model.evaluate(x_eval / 255.0, y_eval)
""",
            source_only=True,
            message="but the held-out x `x_eval` (evaluated at line",
            line=7,
        ),
        # The same loader called for each split; the held-out split is passed raw as validation data.
        Example(
            """
def load(split):
    rng = np.random.default_rng(0 if split == "train" else 1)
    return rng.integers(0, 256, size=(120, 16)).astype("float32")


x_tr = load("train")
x_val = load("val")
x_tr = x_tr / 255.0
y_tr, y_val = np.zeros(120), np.ones(120)
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_tr, y_tr, epochs=1, validation_data=(x_val, y_val))
""",
            fixed="""
def load(split):
    rng = np.random.default_rng(0 if split == "train" else 1)
    return rng.integers(0, 256, size=(120, 16)).astype("float32")


x_tr = load("train")
x_val = load("val")
x_tr = x_tr / 255.0
y_tr, y_val = np.zeros(120), np.ones(120)
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_tr, y_tr, epochs=1, validation_data=(x_val / 255.0, y_val))
""",
            source_only=True,
            message="fit()'s x is `x_tr / 255.0` (/ 255 at line",
            line=8,
        ),
        # load_data()'s tuples, the training pixels scaled in place, the test pixels evaluated raw.
        Example(
            """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train / 255.0
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1)
loss, accuracy = model.evaluate(x_test, y_test)
""",
            fixed="""
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train / 255.0
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1)
loss, accuracy = model.evaluate(x_test / 255.0, y_test)
""",
            source_only=True,
            message="held-out x `x_test` (evaluated at line",
            line=2,
        ),
        # fit()'s validation_data on another scale than x (0..255 against 0..1): the live path measures it.
        Example(
            """
rng = np.random.default_rng(4)
pixels = rng.integers(0, 256, size=(120, 16)).astype("float32")
labels = rng.integers(0, 2, size=120)
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(pixels[:100] / 255.0, labels[:100], epochs=1, validation_data=(pixels[100:], labels[100:]))
""",
            fixed_source="""
rng = np.random.default_rng(4)
pixels = rng.integers(0, 256, size=(120, 16)).astype("float32")
labels = rng.integers(0, 2, size=120)
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(pixels[:100] / 255.0, labels[:100], epochs=1, validation_data=(pixels[100:] / 255.0, labels[100:]))
""",
            message="to the held-out split",
            line=6,
        ),
        # Regression targets divided by 100 for fit() only; validation_data keeps the raw unit (both paths).
        Example(
            """
rng = np.random.default_rng(5)
x = rng.normal(size=(120, 8)).astype("float32")
y = 50.0 + 20.0 * x[:, 0]
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x[:100], y[:100] / 100.0, epochs=1, validation_data=(x[100:], y[100:]))
""",
            fixed_source="""
rng = np.random.default_rng(5)
x = rng.normal(size=(120, 8)).astype("float32")
y = 50.0 + 20.0 * x[:, 0]
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x[:100], y[:100], epochs=1, validation_data=(x[100:], y[100:]))
""",
            message="targets",
            line=6,
        ),
    ]
    VALID = [
        # Both splits' targets divided by 100 (a chosen unit), live and static.
        Example(
            """
rng = np.random.default_rng(5)
x = rng.normal(size=(120, 8)).astype("float32")
y = (50.0 + 20.0 * x[:, 0]) / 100.0
model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x[:100], y[:100], epochs=1, validation_data=(x[100:], y[100:]))
""",
        ),
        # Validation inputs on the training scale (both paths).
        Example(
            """
rng = np.random.default_rng(4)
pixels = rng.integers(0, 256, size=(120, 16)).astype("float32") / 255.0
labels = rng.integers(0, 2, size=120)
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(pixels[:100], labels[:100], epochs=1, validation_data=(pixels[100:], labels[100:]))
""",
        ),
        # Two calls of one loader, each split scaled in its own function.
        Example(
            """
def pictures(rng, n):
    return rng.integers(0, 256, size=(n, 8, 8)).astype("float32"), rng.integers(0, 4, size=n)


def load_train(rng):
    pics, labels = pictures(rng, 300)
    return pics / 255.0, labels


def load_eval(rng):
    pics, labels = pictures(rng, 100)
    return pics / 255, labels


rng = np.random.default_rng(3)
(x, y), (x_eval, y_eval) = load_train(rng), load_eval(rng)
model = keras.Sequential([keras.Input((8, 8)), layers.Flatten(), layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1)
model.evaluate(x_eval, y_eval)
""",
            source_only=True,
        ),
        # The same scaling written two ways: / 255 and * (1 / 255).
        Example(
            """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train / 255
x_test = x_test * (1 / 255)
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, validation_data=(x_test, y_test))
""",
            source_only=True,
        ),
        # The held-out split standardised with the training statistics, in separate statements.
        Example(
            """
def load(split):
    rng = np.random.default_rng(0 if split == "train" else 1)
    return rng.normal(50, 10, size=(120, 6)).astype("float32")


x_tr, x_te = load("train"), load("test")
mean_tr, std_tr = x_tr.mean(axis=0), x_tr.std(axis=0)
x_tr = (x_tr - mean_tr) / std_tr
x_te = (x_te - mean_tr) / std_tr
model = keras.Sequential([keras.Input((6,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x_tr, np.zeros(120), epochs=1)
model.predict(x_te)
""",
            source_only=True,
        ),
        # Raw pictures fed to a model that rescales them itself, for training and for prediction.
        Example(
            """
def load(split):
    rng = np.random.default_rng(0 if split == "train" else 1)
    return rng.integers(0, 256, size=(64, 8, 8)).astype("float32")


model = keras.Sequential([keras.Input((8, 8)), layers.Rescaling(1 / 255), layers.Flatten(), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(load("train"), np.zeros(64), epochs=1)
new_pictures = load("new")
print(model.predict(new_pictures))
""",
            source_only=True,
        ),
        # Both splits rescaled in one line.
        Example(
            """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train / 255, x_test / 255.0
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1)
model.evaluate(x_test, y_test)
""",
            source_only=True,
        ),
        # The scaling lives in the model: both splits stay raw.
        Example(
            """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
norm = layers.Normalization(axis=None)
norm.adapt(x_train)
model = keras.Sequential([keras.Input((28, 28)), norm, layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, validation_data=(x_test, y_test))
""",
            source_only=True,
        ),
        # The test split is rescaled where it is evaluated.
        Example(
            """
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train / 255
model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1)
probabilities = model.predict(x_test / 255)
""",
            source_only=True,
        ),
        # The held-out split is never evaluated.
        Example(
            """
rng = np.random.default_rng(0)
x = rng.integers(0, 256, size=(200, 16)).astype("float32")
y = rng.integers(0, 2, size=200)
x_train, x_test = x[:150] / 255, x[150:]
model = keras.Sequential([keras.Input((16,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y[:150], epochs=1)
""",
            source_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        data = spec.data
        for what, sign, train_range, held_range, why in (
            ("inputs", "x", _ranges(data.x_min, data.x_max), data.validation_x, _INPUTS),
            ("targets", "y", _ranges(data.y_min, data.y_max), data.validation_y, _TARGETS),
        ):
            apart = _apart(train_range, held_range)
            if apart is not None:
                train, held = apart
                yield self.finding(
                    f"fit()'s {what} reach |{sign}| = {train:.3g} but validation_data's {what} reach {held:.3g}, "
                    f"{max(train, held) / min(train, held):.0f} times apart: {why}", at=spec.fit.origin)
        mismatches = spec.data.split_mismatch
        if not is_known(mismatches):
            return
        for found in mismatches:
            yield self.finding(_message(found), at=found.origin, fixes=_fixes(self, found))


#: Ratio of the largest input magnitudes of training and validation data that says "another scale".
SCALE_RATIO = 20.0


#: What a scale gap of the live path means, per side (:meth:`SplitPreprocessedDifferently.check`).
_INPUTS = ("the validation inputs are not preprocessed like the training ones (a division by 255 or a "
           "standardisation missing on one), so the validation scores measure another scale. Apply the training "
           "preprocessing to the held-out split (validation_data's inputs), or move it into the model (a Rescaling "
           "or Normalization layer).")
_TARGETS = ("the targets of one split are rescaled (a division by 100, another unit) and the other's are not, so "
            "the model learns one unit and is scored in another. Scale both splits' targets alike (or neither).")


def _ranges(low: Any, high: Any) -> tuple | Any:
    return (low, high) if is_known(low) and is_known(high) else UNKNOWN


def _apart(train_range: Any, held_range: Any) -> tuple[float, float] | None:
    """(training, held-out) largest magnitudes of two ``(min, max)`` ranges :data:`SCALE_RATIO` or more apart."""
    if not (is_known(train_range) and is_known(held_range)):
        return None
    train, other = max(abs(v) for v in train_range), max(abs(v) for v in held_range)
    if not (train > 0 and other > 0 and max(train, other) / min(train, other) >= SCALE_RATIO):
        return None
    return train, other


def _position(at: Origin) -> tuple:
    return at.line, at.col, at.end_line, at.end_col


def _fixes(rule: Rule, found: SplitMismatch) -> list:
    """Targets: undo the training part's one operation first; then (inputs: only) apply the training part's
    operations to the held-out expression.  None when the held-out part has operations of its own."""
    fixes = []
    if found.role == "y" and found.undo_at is not None:
        where, left = found.undo_at
        fixes.append(rule.make_fix(f"train on the targets in the units they are scored in: drop "
                                   f"{_ops(found.train_ops)} (line {where.line})",
                                   ChangeData("undo_split_op", (_position(where), left))))
    at = found.repair_at
    if found.repair and at is not None and at.line is not None:
        written = found.repair[0].format(found.heldout_text) if len(found.repair) == 1 else \
            f"the held-out {found.role} with {_ops(found.train_ops)}"
        fixes.append(rule.make_fix(f"preprocess the held-out {found.role} like the training one: {written} "
                                   f"(line {at.line})",
                                   ChangeData("match_heldout", (_position(at), found.repair, found.origin.line))))
    return fixes


def _ops(ops: tuple[str, ...]) -> str:
    return ", ".join(ops)


def _made(line: int | None) -> str:
    return f", made at line {line}" if line else ""


def _message(found: SplitMismatch) -> str:
    role = found.role
    train_made, heldout_made = found.made
    where = f" (evaluated at line {found.heldout_line}{_made(heldout_made)})" if found.heldout_line else ""
    if found.train_ops and not found.heldout_ops:
        return (f"fit()'s {role} is `{found.train_text}` ({_ops(found.train_ops)} at line {found.origin.line}"
                f"{_made(train_made)}) but the held-out {role} `{found.heldout_text}`{where} is not: the model "
                "is trained on one scale and "
                f"scored on another, so its held-out predictions are wrong with no error. Apply the same operation "
                f"({_ops(found.train_ops)}) to the held-out split" + (
                    ", or move it into the model (a Rescaling or Normalization layer)." if role == "x" else
                    ", undo it on the predictions, or train on the targets unscaled."))
    if found.heldout_ops and not found.train_ops:
        return (f"The held-out {role} `{found.heldout_text}`{where} is preprocessed "
                f"({_ops(found.heldout_ops)} at line {found.origin.line}) but fit()'s {role} "
                f"`{found.train_text}`" + (f" (made at line {train_made})" if train_made else "") + " is "
                "not: the model is scored on a scale it was "
                f"never trained on. Apply the same operation ({_ops(found.heldout_ops)}) to the training split, "
                "or to neither.")
    return (f"fit()'s {role} is preprocessed with ({_ops(found.train_ops)}{_made(train_made)}) but the held-out "
            f"{role} `{found.heldout_text}`{where} with ({_ops(found.heldout_ops)}): the two splits are on "
            "different scales. Apply the same operations to both splits.")
