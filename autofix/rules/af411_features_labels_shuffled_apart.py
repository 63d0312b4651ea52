"""AF411 features-labels-shuffled-apart."""

from __future__ import annotations

from ..edits import ChangeData
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import is_known
from .base import Example, Rule

#: Callee names (last part) of Keras file iterators, which shuffle unless ``shuffle=False``.
_FLOWS = ("flow_from_directory", "flow_from_dataframe")


class FeaturesLabelsShuffledApart(Rule):
    """The rows of ``x`` are put in a random order that ``y`` does not get (or the reverse).

    ## What it does
    Follows the row order of fit()'s ``x`` and ``y`` through a script: random
    reorderings (``np.random.shuffle(x)``, ``x[rng.permutation(n)]``,
    ``sklearn.utils.shuffle(x)``, ``predict()`` over a ``flow_from_directory``
    iterator that shuffles) and the steps that keep rows in place (arithmetic,
    casts, column slices, indexing both by the same permutation). It reports
    when one array went through a reordering the other did not.

    ## Why is this bad?
    Row ``i`` of ``x`` no longer belongs with label ``i`` of ``y``: the labels
    are noise to the model, training loss stalls near chance and held-out
    accuracy sits at the majority-class rate, with no error. Bottleneck
    features predicted from a shuffling directory iterator while the labels
    come from ``iterator.classes`` (the files' listed order) are the classic
    case (Keras PR #7520).

    ## Example
    ``np.random.shuffle(x_train)`` and no matching shuffle of ``y_train``,
    then ``model.fit(x_train, y_train)``; or
    ``feats = model.predict(datagen.flow_from_directory(path))`` with
    ``to_categorical(gen.classes)`` as labels.

    ## Fix safety
    Safe for features predicted from a file iterator: ``autofix-src`` sets
    ``shuffle=False`` on that ``flow_from_directory``/``flow_from_dataframe``
    call (only that call changes; its files then come in the order of
    ``.classes``). Unsafe when the reordering sits in one of the script's
    functions and a flag parameter of it that defaults to True switches it
    (``order = rng.permutation(n) if shuffle else np.arange(n)``): the one call
    that leaves the flag on gets ``shuffle=False`` (r25: 0.366 -> 0.804, the
    oracle); with several such calls, or the flag passed positionally, the fix
    is not written and says why. Display only otherwise: the finding names the
    line of the reordering; shuffle both arrays with one permutation
    (``x, y = x[perm], y[perm]``, ``sklearn.utils.shuffle(x, y)``) or drop
    the shuffle, which order the author meant is theirs to say. An unknown step in either array's order (a function the
    interpreter does not know, a boolean mask) gives no finding; seeded
    generators drawn twice may repeat a permutation, so two different seeded
    shuffles are not reported either.

    ## Keras versions
    All.

    ## References
    keras-team/keras PR #7520 (``predict_generator`` with ``shuffle=True`` and
    labels from ``generator.classes``); fault reproduction
    ``benchmarks/faults/real/r25_features_shuffled_labels_not.py``.
    """

    code = "AF411"
    name = "features-labels-shuffled-apart"
    severity = Severity.ERROR
    applicability = Applicability.DISPLAY_ONLY
    requires = ("data", "script")

    INVALID = [
        # In-place shuffle of the features alone.
        Example(
            """
rng = np.random.default_rng(0)
x = rng.normal(size=(120, 4))
y = (x[:, 0] > 0).astype("int32")
np.random.shuffle(x)
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1)
""",
            source_only=True,
            message="(np.random.shuffle) and y is not",
            line=7,
        ),
        # A helper permutes the features it returns (r25's shape); the labels stay in order.
        Example(
            """
def features(x, rng):
    order = rng.permutation(len(x))
    return np.tanh(x[order] * 2.0).astype("float32")


rng = np.random.default_rng()
raw = rng.normal(size=(200, 6))
labels = keras.utils.to_categorical(np.argmax(raw[:, :3], axis=1), 3)
model = keras.Sequential([keras.Input((6,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(features(raw, rng), labels, epochs=1)
""",
            source_only=True,
            message="(rng.permutation) and y is not",
            line=11,
        ),
        # Bottleneck features predicted from a shuffling directory iterator, labels from .classes.
        Example(
            """
datagen = keras.preprocessing.image.ImageDataGenerator(rescale=1.0 / 255)
gen = datagen.flow_from_directory("data/train", target_size=(32, 32), batch_size=16, class_mode=None)
base = keras.applications.MobileNetV2(include_top=False, pooling="avg", input_shape=(32, 32, 3))
feats = base.predict(gen)
labels = keras.utils.to_categorical(gen.classes)
model = keras.Sequential([keras.Input((1280,)), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(feats, labels, epochs=1)
""",
            source_only=True,
            message="pass shuffle=False to datagen.flow_from_directory() on line",
            line=8,
            fixed_source="""
datagen = keras.preprocessing.image.ImageDataGenerator(rescale=1.0 / 255)
gen = datagen.flow_from_directory("data/train", target_size=(32, 32), batch_size=16, class_mode=None, shuffle=False)
base = keras.applications.MobileNetV2(include_top=False, pooling="avg", input_shape=(32, 32, 3))
feats = base.predict(gen)
labels = keras.utils.to_categorical(gen.classes)
model = keras.Sequential([keras.Input((1280,)), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(feats, labels, epochs=1)
""",
        ),
        # A feature helper with a shuffle flag that defaults to on (r25's shape): the training call leaves it on.
        Example(
            """
def features(x, rng, shuffle=True):
    order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
    return np.tanh(x[order]).astype("float32")


rng = np.random.default_rng(3)
raw = rng.normal(size=(200, 6))
labels = (raw[:, 0] > 0).astype("int32")
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(features(raw, rng), labels, epochs=1)
""",
            source_only=True,
            message="(rng.permutation) and y is not",
            line=11,
            fixed_source="""
def features(x, rng, shuffle=True):
    order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
    return np.tanh(x[order]).astype("float32")


rng = np.random.default_rng(3)
raw = rng.normal(size=(200, 6))
labels = (raw[:, 0] > 0).astype("int32")
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(features(raw, rng, shuffle=False), labels, epochs=1)
""",
        ),
        # sklearn's shuffle given one array only.
        Example(
            """
from sklearn.utils import shuffle
x = np.random.rand(90, 5)
y = np.arange(90) % 3
y = shuffle(y)
model = keras.Sequential([keras.Input((5,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1)
""",
            source_only=True,
            message="(shuffle) and x is not",
            line=7,
        ),
    ]
    VALID = [
        # One call shuffles both arrays together.
        Example(
            """
from sklearn.utils import shuffle
x = np.random.rand(90, 5)
y = np.arange(90) % 3
x, y = shuffle(x, y, random_state=0)
model = keras.Sequential([keras.Input((5,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1)
""",
            source_only=True,
        ),
        # A shuffled index applied to both arrays.
        Example(
            """
x = np.random.rand(100, 4)
y = (x[:, 0] > 0.5).astype("int32")
idx = np.arange(len(x))
np.random.shuffle(idx)
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x[idx], y[idx], epochs=1)
""",
            source_only=True,
        ),
        # The labels are computed from the features after the shuffle.
        Example(
            """
x = np.random.rand(100, 4)
np.random.shuffle(x)
y = (x.sum(axis=1) > 2).astype("int32")
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1)
""",
            source_only=True,
        ),
        # One array holding features and label column, shuffled before it is split.
        Example(
            """
data = np.random.rand(100, 5)
np.random.shuffle(data)
x, y = data[:, :4], (data[:, 4] > 0.5).astype("int32")
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1)
""",
            source_only=True,
        ),
        # The same helper called with its shuffle flag off.
        Example(
            """
def features(x, rng, shuffle=True):
    order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
    return np.tanh(x[order]).astype("float32")


rng = np.random.default_rng(3)
raw = rng.normal(size=(200, 6))
labels = (raw[:, 0] > 0).astype("int32")
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(features(raw, rng, shuffle=False), labels, epochs=1)
""",
            source_only=True,
        ),
        # An iterator that keeps the files' order.
        Example(
            """
datagen = keras.preprocessing.image.ImageDataGenerator(rescale=1.0 / 255)
gen = datagen.flow_from_directory("data/train", target_size=(32, 32), class_mode=None, shuffle=False)
base = keras.applications.MobileNetV2(include_top=False, pooling="avg", input_shape=(32, 32, 3))
feats = base.predict(gen)
model = keras.Sequential([keras.Input((1280,)), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(feats, keras.utils.to_categorical(gen.classes), epochs=1)
""",
            source_only=True,
        ),
        # A permutation from a function the interpreter does not know: opaque, no finding.
        Example(
            """
from mylib import make_order
x = np.random.rand(100, 4)
y = (x[:, 0] > 0.5).astype("int32")
x = x[make_order(len(x))]
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1)
""",
            source_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        apart = spec.data.shuffled_apart
        if not is_known(apart):
            return
        line, role, call = apart
        fixes = []
        if role == "x" and call.rsplit(".", 1)[-1] in _FLOWS:
            fixes.append(self.make_fix(f"pass shuffle=False to {call}() on line {line}",
                                       ChangeData("iterator_no_shuffle", line), applicability=Applicability.SAFE))
        elif role != "both":
            fixes.append(self.make_fix(f"turn off the shuffle flag of the function that reorders on line {line}, "
                                       "at its call", ChangeData("helper_no_shuffle", line),
                                       applicability=Applicability.UNSAFE))
        yield self.finding(_message(line, role, call), at=spec.fit.origin, fixes=fixes)


def _message(line: int, role: str, call: str) -> str:
    """The finding's text for a reordering by ``call`` on ``line`` that ``role`` alone got."""
    if role == "both":
        what = (f"fit()'s x and y rows are reordered by two different random permutations (the first on line "
                f"{line}, {call})")
    else:
        other = "y" if role == "x" else "x"
        what = f"fit()'s {role} rows are reordered at random on line {line} ({call}) and {other} is not"
    if call.rsplit(".", 1)[-1] in _FLOWS:
        cure = (f"The iterator shuffles by default while its .classes keep the files' order: pass shuffle=False "
                f"to {call}() on line {line} when predicting features from it.")
    else:
        cure = ("Reorder both with one permutation (perm = rng.permutation(len(x)); x, y = x[perm], y[perm], or "
                "sklearn.utils.shuffle(x, y)), or drop the shuffle (fit() shuffles batches itself).")
    return (f"{what}: row i of x no longer belongs with label i, so the model learns noise and scores at chance. "
            + cure)
