"""AF502 callback-monitors-missing-metric."""

from __future__ import annotations

from ..edits import SetCallbackArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._callbacks import fit_callbacks, take_use
from .base import Example, Rule

RENAMED = {"acc": "accuracy", "val_acc": "val_accuracy"}


class CallbackMonitorsMissingMetric(Rule):
    """A callback watching ``'acc'``/``'val_acc'``, metrics that Keras 2.3+ no longer logs.

    ## What it does
    Finds ``EarlyStopping``, ``ReduceLROnPlateau``, ``ModelCheckpoint`` (any
    callback with ``monitor=``) watching ``'acc'`` or ``'val_acc'`` when
    ``compile()`` asks for ``metrics=['accuracy']``. With ``metrics=['acc']``
    Keras logs ``acc``/``val_acc`` and the callback is right; when the
    metrics are not shown (a model from a library builder, a variable the
    code does not show) the rule says nothing.

    ## Why is this bad?
    Since Keras 2.3 the ``'accuracy'`` metric is logged as ``accuracy`` and
    ``val_accuracy``. A callback monitoring the old name only warns that the
    metric is unavailable and then never fires: the learning rate is never
    reduced, training never stops early, the best model is never saved.

    ## Example
    ``ReduceLROnPlateau(monitor='val_acc', factor=0.9, patience=30)``.

    ## Fix safety
    Safe: ``monitor`` becomes ``'val_accuracy'``/``'accuracy'`` on the
    callbacks passed to ``fit()`` (in a script, in the callback's constructor
    call; on a live model, on a copy of the callback in the returned
    ``fit_kwargs``; the caller's callback is not changed). A callback the
    script builds but does not visibly pass to ``fit()`` is reported only.

    ## Keras versions
    Keras >= 2.3.

    ## References
    Seed report 002; Keras 2.3.0 release notes.
    """

    code = "AF502"
    name = "callback-monitors-missing-metric"
    severity = Severity.ERROR
    applicability = Applicability.SAFE
    verify_goal = "no_worse"  # corrects reporting/spelling, not learning

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(monitor="val_acc", patience=3)
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, callbacks=[stop])
""",
            fixed="""
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3)
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, callbacks=[stop])
""",
            message="the callback only warns that the metric is",
            line=3,
        ),
        Example(
            """
def build():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model, x, y):
    shrink = keras.callbacks.ReduceLROnPlateau(monitor="val_acc", factor=0.5, patience=2)
    model.fit(x, y, validation_split=0.25, epochs=4, callbacks=[shrink])


train(build(), np.zeros((8, 4)), np.zeros(8))
""",
            fixed="""
def build():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(model, x, y):
    shrink = keras.callbacks.ReduceLROnPlateau(monitor="val_accuracy", factor=0.5, patience=2)
    model.fit(x, y, validation_split=0.25, epochs=4, callbacks=[shrink])


train(build(), np.zeros((8, 4)), np.zeros(8))
""",
            message="ReduceLROnPlateau monitors 'val_acc'",
            line=8,
            source_only=True,
        ),
        Example(
            """
inputs = keras.Input((4,))
outputs = layers.Dense(1, activation="sigmoid")(layers.Dense(8, activation="relu")(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(np.zeros((8, 4)), np.zeros(8), epochs=3,
          callbacks=[keras.callbacks.ModelCheckpoint("best.keras", monitor="acc", save_best_only=True)])
""",
            fixed="""
inputs = keras.Input((4,))
outputs = layers.Dense(1, activation="sigmoid")(layers.Dense(8, activation="relu")(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(np.zeros((8, 4)), np.zeros(8), epochs=3,
          callbacks=[keras.callbacks.ModelCheckpoint("best.keras", monitor="accuracy", save_best_only=True)])
""",
            message="ModelCheckpoint monitors 'acc'",
            line=6,
        ),
        Example(  # a library's model: the script's own compile() shows what it logs
            """
from model_zoo import ResNet18

model = ResNet18((32, 32, 3), 10)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
save = keras.callbacks.ModelCheckpoint("best.h5", monitor="val_acc", save_best_only=True)
model.fit(np.zeros((8, 32, 32, 3)), np.zeros((8, 10)), validation_split=0.25, callbacks=[save])
""",
            message="ModelCheckpoint monitors 'val_acc'",
            line=5,
            source_only=True,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3)
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, callbacks=[stop])
""",
            source_only=True,
        ),
        Example(  # a library's model: the metrics it logs are the script's "acc", not known missing
            """
from model_zoo import DenseNet

model = DenseNet(depth=10, input_shape=(8, 8, 3), weights=None)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["acc"])
stop = keras.callbacks.EarlyStopping(monitor="val_acc", patience=3)
model.fit(np.zeros((8, 8, 8, 3)), np.zeros((8, 10)), validation_split=0.25, callbacks=[stop])
""",
            source_only=True,
        ),
        Example(  # metrics=["acc"] is logged as acc/val_acc: the callback watches a logged metric
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
stop = keras.callbacks.EarlyStopping(monitor="val_acc", patience=3)
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, callbacks=[stop])
""",
        ),
    ]

    def check(self, spec: ModelSpec):
        facts = spec.uses
        unmatched = list(facts.callbacks) if facts else []
        if not _logs_accuracy(spec):  # metrics=["acc"] logs "acc"/"val_acc"; unknown metrics: not known missing
            return
        for address, entry in fit_callbacks(spec):
            monitor = entry.get("config", {}).get("monitor")
            use = take_use(unmatched, entry)
            if monitor in RENAMED:
                fix = self.make_fix(f"monitor {RENAMED[monitor]!r}",
                                    SetCallbackArg(address, "monitor", RENAMED[monitor]))
                at = use.origin if use else spec.fit.arg_origins.get("callbacks") or spec.fit.origin
                yield self.finding(self._message(entry["class_name"], monitor), at=at, fixes=[fix])
        seen = set()
        for use in unmatched:  # built in the script, not visibly passed to fit()
            monitor = use.config.get("monitor")
            key = (use.origin.line, use.origin.col)
            if monitor in RENAMED and key not in seen:
                seen.add(key)
                yield self.finding(self._message(use.class_name, monitor), at=use.origin)

    @staticmethod
    def _message(class_name: str, monitor: str) -> str:
        return (f"{class_name} monitors {monitor!r}, which Keras 2.3+ logs as {RENAMED[monitor]!r}: the "
                f"callback only warns that the metric is missing and never acts. Use "
                f"monitor={RENAMED[monitor]!r}.")


def _logs_accuracy(spec: ModelSpec) -> bool:
    """Whether compile() visibly asks for ``"accuracy"`` (logged as ``accuracy``/``val_accuracy``) and not
    ``"acc"`` (logged under the name it was given): the model's compile(), or for a model the script does not
    build, every compile() the script calls. False when the script does not show the metrics."""
    if spec.compile is not None:
        compiles = [spec.compile]
    else:  # on the source path: compile() calls on models the script does not build
        compiles = spec.uses.compiles if spec.uses is not None else []
    return bool(compiles) and all(_asks_accuracy(compiled.metrics) for compiled in compiles)


def _asks_accuracy(metrics) -> bool:
    if isinstance(metrics, dict):
        metrics = [m for value in metrics.values() for m in (value if isinstance(value, (list, tuple)) else [value])]
    return isinstance(metrics, (list, tuple)) and "accuracy" in metrics and "acc" not in metrics
