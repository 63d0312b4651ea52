"""AF209 accuracy-metric-on-regression."""

from __future__ import annotations

from ..edits import SetCallbackArg, SetCompileArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import Opaque, UNKNOWN, is_known
from ._head import Head
from ._callbacks import fit_callbacks
from ._regression import ACCURACY_NAMES, UNBOUNDED_HEADS, metric_name, received, regression_loss
from .base import Example, Rule

#: Accuracy metric classes that compare predictions with targets by equality or a 0.5 threshold.
_ACCURACY_CLASSES = frozenset({"accuracy", "binaryaccuracy", "binary_accuracy"})
#: Monitored accuracy names and the loss a callback should watch instead.
_MONITOR_LOSS = {"accuracy": "loss", "acc": "loss", "val_accuracy": "val_loss", "val_acc": "val_loss"}
_REGRESSION_METRICS = frozenset({"mae", "mean_absolute_error", "meanabsoluteerror"})


def _is_accuracy(metric) -> bool:
    if isinstance(metric, str):
        return metric.lower() in ACCURACY_NAMES or metric.lower() == "binary_accuracy"
    name = metric_name(metric)
    return name in _ACCURACY_CLASSES


def _shown(metric) -> str:
    return repr(metric) if isinstance(metric, str) else received(metric)


class AccuracyMetricOnRegression(Rule):
    """An ``accuracy`` metric on a regression model: it measures nothing.

    ## What it does
    Finds ``metrics=['accuracy']`` (or ``'acc'``, ``keras.metrics.Accuracy()``,
    ``BinaryAccuracy``) on a model compiled with a regression loss (``mse``,
    ``mae``, ``huber``, ``msle``, ``mape``, ``log_cosh``) whose output head is
    linear or otherwise unbounded (ReLU, softplus...): a one-unit head, or
    any head when the training data shows continuous targets. With data that
    shows class labels (0/1, indices, one-hot) the model is a least-squares
    classifier and accuracy means something, so the rule stays silent.

    ## Why is this bad?
    For a one-unit output Keras resolves ``'accuracy'`` to binary accuracy:
    the prediction is thresholded at 0.5 and compared with the target, and
    ``Accuracy`` demands exact equality. On continuous targets both stay near
    0 (or at an arbitrary value) whatever the model learns, so the metric the
    user watches, and any callback monitoring it (``EarlyStopping``,
    ``ModelCheckpoint``, ``ReduceLROnPlateau``), is noise.

    ## Example
    ``Dense(1)`` with ``loss='mse'`` and ``metrics=['accuracy']``.

    ## Fix safety
    Safe when only the metric changes: ``'accuracy'`` is replaced by
    ``'mae'``, which changes reporting, not learning. Unsafe when a
    ``fit()`` callback monitors ``accuracy``/``val_accuracy``: it then
    monitors ``loss``/``val_loss`` (``mode='max'`` becomes ``'min'``), which
    changes when training stops or the learning rate drops. Metric objects
    other than strings are reported without a fix.

    ## Keras versions
    All.

    ## References
    Humbatova et al. (ICSE 2020), "wrong metric"; Keras ``compile()`` docs on
    string metric resolution.
    """

    code = "AF209"
    name = "accuracy-metric-on-regression"
    severity = Severity.WARNING
    applicability = Applicability.SAFE
    verify_goal = "no_worse"  # corrects reporting, not learning
    requires = ("compile",)

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((13,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((13,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
""",
            message="the metric 'accuracy' on a model trained with the regression loss mean_squared_error "
                    "(Received: loss='mse', metrics=['accuracy'])",
            line=6,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((5,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(1, activation="relu"))
model.compile(optimizer="adam", loss="mae", metrics=["acc", "mse"])
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((5,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(1, activation="relu"))
model.compile(optimizer="adam", loss="mae", metrics=["mae", "mse"])
""",
            message="the metric 'acc' on a model trained with the regression loss mean_absolute_error",
            line=5,
        ),
        Example(
            """
inputs = keras.Input((8,))
hidden = layers.Dense(32, activation="relu")(inputs)
outputs = layers.Dense(1)(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="max", patience=5)
model.fit(np.random.rand(64, 8), np.random.rand(64), validation_split=0.25, callbacks=[stop])
""",
            fixed="""
inputs = keras.Input((8,))
hidden = layers.Dense(32, activation="relu")(inputs)
outputs = layers.Dense(1)(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
stop = keras.callbacks.EarlyStopping(monitor="val_loss", mode="min", patience=5)
model.fit(np.random.rand(64, 8), np.random.rand(64), validation_split=0.25, callbacks=[stop])
""",
            message="EarlyStopping monitors 'val_accuracy'",
            line=5,
        ),
        Example(
            """
def build_regressor():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss=keras.losses.Huber(), metrics=["accuracy", "mae"])
    return model


model = build_regressor()
""",
            fixed="""
def build_regressor():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss=keras.losses.Huber(), metrics=["mae"])
    return model


model = build_regressor()
""",
            message="(Received: loss=Huber(...), metrics=['accuracy', 'mae'])",
            line=3,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((13,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((13,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
"""
        ),
        # A least-squares classifier on 0/1 labels: thresholded accuracy is meaningful.
        Example(
            """
model = keras.Sequential([keras.Input((13,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
model.fit(np.random.rand(20, 13), np.arange(20) % 2, epochs=1)
""",
            graph_only=True,
        ),
        # Several linear outputs with mse may regress one-hot rows: categorical accuracy can mean something.
        Example(
            """
model = keras.Sequential([keras.Input((13,)), layers.Dense(4)])
model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        loss = regression_loss(spec.compile.loss)
        if head is None or loss is None or head.activation not in UNBOUNDED_HEADS:
            return
        kind = spec.data.label_kind if spec.data is not None else UNKNOWN
        if is_known(kind) and kind != "continuous":
            return  # class labels: a least-squares classifier, accuracy may be meaningful
        if kind != "continuous" and head.units != 1:
            return  # several outputs may regress one-hot rows: categorical accuracy can mean something
        metrics = spec.compile.metrics
        if not isinstance(metrics, list):
            return
        found = [m for m in metrics if _is_accuracy(m)]
        if not found:
            return
        shown = ", ".join(_shown(m) for m in found)
        listed = ", ".join(_shown(m) for m in metrics)
        monitors = []
        edits = []
        for address, entry in fit_callbacks(spec):
            config = entry.get("config") or {}
            monitor = config.get("monitor")
            if monitor in _MONITOR_LOSS:
                monitors.append(f"{entry['class_name']} monitors {monitor!r}")
                edits.append(SetCallbackArg(address, "monitor", _MONITOR_LOSS[monitor]))
                if config.get("mode") == "max":
                    edits.append(SetCallbackArg(address, "mode", "min"))
        message = (
            f"{head.describe()} and the metric {shown} on a model trained with the regression loss "
            f"{loss} (Received: loss={received(spec.compile.loss)}, metrics=[{listed}]): accuracy "
            "thresholds the prediction at 0.5 (or demands exact equality) against continuous targets, "
            "so it stays near an arbitrary value whatever the model learns"
        )
        if monitors:
            message += f"; {' and '.join(monitors)}, so it acts on noise"
        message += ". Report mean absolute error (metrics=['mae'])" + (
            " and monitor the loss." if monitors else ".")
        fixes = []
        callbacks = spec.fit.callbacks  # UNKNOWN: no fit() call seen; Opaque: a fit() call whose callbacks are hidden
        hidden = isinstance(callbacks, Opaque) or (isinstance(callbacks, list)
                                                   and any(not isinstance(e, dict) for e in callbacks))
        if hidden:  # a callback the path cannot see may monitor accuracy: removing it would break that callback
            message += (" fit()'s callbacks are not visible here: change any callback monitoring accuracy "
                        "together with the metric.")
        if all(isinstance(m, str) for m in metrics) and not hidden:
            keep = [m for m in metrics if not _is_accuracy(m)]
            new = keep if any(m.lower() in _REGRESSION_METRICS for m in keep) else ["mae", *keep]
            title = "report 'mae' instead of accuracy" + (" and monitor the loss" if monitors else "")
            fixes.append(self.make_fix(title, SetCompileArg("metrics", new), *edits,
                                       applicability=Applicability.UNSAFE if edits else Applicability.SAFE))
        yield self.finding(message, at=spec.compile.origin, fixes=fixes, layers=[head.act_layer.qualname])
