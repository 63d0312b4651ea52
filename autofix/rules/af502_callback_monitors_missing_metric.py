"""AF502 callback-monitors-missing-metric."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..spec import ModelSpec
from .base import Example, Rule

RENAMED = {"acc": "accuracy", "val_acc": "val_accuracy"}


class CallbackMonitorsMissingMetric(Rule):
    """A callback watching ``'acc'``/``'val_acc'``, metrics that Keras 2.3+ no longer logs.

    ## What it does
    Finds ``EarlyStopping``, ``ReduceLROnPlateau``, ``ModelCheckpoint`` (any
    callback with ``monitor=``) watching ``'acc'`` or ``'val_acc'``.

    ## Why is this bad?
    Since Keras 2.3 the ``'accuracy'`` metric is logged as ``accuracy`` and
    ``val_accuracy``. A callback monitoring the old name only warns that the
    metric is unavailable and then never fires: the learning rate is never
    reduced, training never stops early, the best model is never saved.

    ## Example
    ``ReduceLROnPlateau(monitor='val_acc', factor=0.9, patience=30)``.

    ## Fix safety
    Not fixable automatically yet (no edit addresses a callback's arguments):
    change ``monitor`` to ``'val_accuracy'``/``'accuracy'``.

    ## Keras versions
    Keras >= 2.3.

    ## References
    Seed report 002; Keras 2.3.0 release notes.
    """

    code = "AF502"
    name = "callback-monitors-missing-metric"
    severity = Severity.ERROR
    applicability = Applicability.SAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(monitor="val_acc", patience=3)
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, callbacks=[stop])
""",
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
    ]

    def check(self, spec: ModelSpec):
        facts = getattr(spec, "facts", None)
        seen = set()
        for callback in facts.callbacks if facts else ():
            monitor = callback.config.get("monitor")
            key = (callback.origin.line, callback.origin.col)
            if monitor not in RENAMED or key in seen:
                continue
            seen.add(key)
            yield self.finding(
                f"{callback.class_name} monitors {monitor!r}, which Keras 2.3+ logs as "
                f"{RENAMED[monitor]!r}: the callback only warns that the metric is missing and never "
                f"acts. Use monitor={RENAMED[monitor]!r}.",
                at=callback.origin,
            )
