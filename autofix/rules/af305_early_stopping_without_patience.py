"""AF305 early-stopping-without-patience."""

from __future__ import annotations

from typing import Any

from ..edits import SetCallbackArg
from ..findings import Applicability, Severity, Skip
from ..spec import ModelSpec
from ..values import describe, is_known
from ._callbacks import fit_callbacks, take_use
from .base import Example, Rule

#: Keras's defaults for ``EarlyStopping`` (Keras 2 and 3).
DEFAULTS = {"monitor": "val_loss", "patience": 0, "min_delta": 0}
#: A run shorter than this is left alone: patience=0 there may well be meant.
MIN_EPOCHS = 10
#: The fix: patience = epochs // EPOCHS_PER_PATIENCE, at most PATIENCE_CAP.
EPOCHS_PER_PATIENCE = 5
PATIENCE_CAP = 10


class EarlyStoppingWithoutPatience(Rule):
    """``EarlyStopping`` with ``patience=0`` (given or Keras's default) on a long run of a noisy quantity.

    ## What it does
    Finds an ``EarlyStopping`` callback passed to ``fit()`` whose ``patience``
    is 0, written or left at Keras's default, when ``fit()`` runs at least 10
    epochs and the callback watches a noisy quantity: a validation metric
    (``val_*``, the default ``val_loss``, with validation data given), or any
    monitor with ``min_delta > 0``.

    ## Why is this bad?
    ``patience`` is the number of epochs without improvement to wait before
    stopping, and Keras's default is 0: training stops at the first epoch whose
    monitored value does not improve (by ``min_delta``). Validation metrics
    fluctuate from epoch to epoch, so a run planned for 80 epochs ends after a
    handful, far from converged. Users often read ``patience=0`` as "no
    waiting limit" or expect a sensible default.

    ## Example
    ``EarlyStopping(monitor="val_loss", patience=0, min_delta=0.02)`` with
    ``fit(..., epochs=80)`` (keras-team/tf-keras#341).

    ## Fix safety
    Safe: sets ``patience`` on that callback's constructor call only (on a
    live model, on a copy of the callback in the returned ``fit_kwargs``) to
    ``epochs // 5``, at most 10 (80 epochs: 10; 20 epochs: 4). ``min_delta``,
    ``monitor`` and ``restore_best_weights`` are kept: they state what the user
    counts as an improvement. The run may now train longer, up to the epochs
    the script asked for. Runs under 10 epochs, a training-loss monitor with
    ``min_delta=0``, and a ``val_*`` monitor without validation data (the
    callback never acts) are left alone. A patience, monitor, ``min_delta``,
    epoch count or validation setting the code does not show is skipped with
    its reason; so is a callback not visibly passed to ``fit()``.

    ## Keras versions
    All (the default ``patience=0`` is the same in Keras 2 and 3).

    ## References
    keras-team/tf-keras#341; fault reproduction r22; the EarlyStopping
    documentation (``patience``: epochs with no improvement after which
    training is stopped).
    """

    code = "AF305"
    verify_goal = "no_worse"  # a capped run stops before patience matters: it can only guard against harm
    name = "early-stopping-without-patience"
    severity = Severity.WARNING
    applicability = Applicability.SAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=0, min_delta=0.02)
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, epochs=80, callbacks=[stop])
""",
            fixed="""
model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, min_delta=0.02)
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, epochs=80, callbacks=[stop])
""",
            message="stops training at the first epoch",
            line=3,
        ),
        Example(  # built inline in fit's list, default patience: 20 epochs give patience=4
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, epochs=20,
          callbacks=[keras.callbacks.EarlyStopping(restore_best_weights=True)])
""",
            fixed="""
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, epochs=20,
          callbacks=[keras.callbacks.EarlyStopping(restore_best_weights=True, patience=4)])
""",
            message="patience is the number of epochs to wait; use patience=4",
            line=4,
        ),
        Example(  # a class keeps the callback as an attribute (as in the report); min_delta on the training loss
            """
class Trainer:
    def __init__(self):
        self.model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
        self.model.compile(optimizer="adam", loss="mse")
        self.stopper = keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=0.01)

    def fit(self, x, y):
        self.model.fit(x, y, epochs=50, callbacks=[self.stopper])


trainer = Trainer()
trainer.fit(np.zeros((8, 4)), np.zeros(8))
model = trainer.model
""",
            fixed="""
class Trainer:
    def __init__(self):
        self.model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
        self.model.compile(optimizer="adam", loss="mse")
        self.stopper = keras.callbacks.EarlyStopping(monitor="loss", patience=10, min_delta=0.01)

    def fit(self, x, y):
        self.model.fit(x, y, epochs=50, callbacks=[self.stopper])


trainer = Trainer()
trainer.fit(np.zeros((8, 4)), np.zeros(8))
model = trainer.model
""",
            message="by min_delta=0.01",
            line=5,
        ),
    ]
    VALID = [
        Example(  # a patience, as Keras's own examples give
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5)
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, epochs=80, callbacks=[stop])
""",
        ),
        Example(  # a short run: patience=0 may be meant
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=0)
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, epochs=3, callbacks=[stop])
""",
        ),
        Example(  # ReduceLROnPlateau is not EarlyStopping
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
plateau = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=0)
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, epochs=80, callbacks=[plateau])
""",
        ),
        Example(  # the training loss without min_delta: not the noisy case
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.zeros((8, 4)), np.zeros(8), epochs=80, callbacks=[keras.callbacks.EarlyStopping(monitor="loss")])
""",
        ),
        Example(  # val_loss without validation data: the callback never acts (not this fault)
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.zeros((8, 4)), np.zeros(8), epochs=80, callbacks=[keras.callbacks.EarlyStopping()])
""",
        ),
        Example(  # patience from a command-line argument: Opaque, skipped with its reason
            """
import sys
wait = int(sys.argv[1]) if len(sys.argv) > 1 else 0
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=wait)
model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, epochs=80, callbacks=[stop])
""",
            source_only=True,  # a live callback holds the evaluated number
        ),
    ]

    def check(self, spec: ModelSpec):
        unmatched = list(spec.uses.callbacks) if spec.uses else []
        for address, entry in fit_callbacks(spec):
            use = take_use(unmatched, entry)
            if entry["class_name"] != "EarlyStopping":
                continue
            config = {**DEFAULTS, **entry.get("config", {})}
            hidden = [key for key in DEFAULTS if not is_known(config[key])]
            if hidden:
                yield Skip(self.code, f"EarlyStopping's {hidden[0]} is {describe(config[hidden[0]])}: "
                                      "not visible in the code")
                continue
            if config["patience"] != 0:
                continue
            noise = self._noise(config, spec.fit.validation)
            epochs = spec.fit.epochs
            if noise is not None and not is_known(noise):
                yield Skip(self.code, f"fit()'s validation setting is {describe(noise)}")
            elif noise is not None and not is_known(epochs):
                yield Skip(self.code, f"fit()'s epochs is {describe(epochs)}: EarlyStopping(patience=0) not judged")
            elif noise is not None and isinstance(epochs, int) and epochs >= MIN_EPOCHS:
                patience = min(PATIENCE_CAP, epochs // EPOCHS_PER_PATIENCE)
                fix = self.make_fix(f"patience={patience}", SetCallbackArg(address, "patience", patience))
                at = use.origin if use else spec.fit.arg_origins.get("callbacks") or spec.fit.origin
                yield self.finding(self._message(entry, config, noise, epochs, patience), at=at, fixes=[fix])
        for use in unmatched:  # built in the script, not visibly passed to fit()
            if use.class_name == "EarlyStopping" and use.config.get("patience", 0) == 0:
                yield Skip(self.code, f"the EarlyStopping at line {use.origin.line} is not visibly passed to fit()")

    @staticmethod
    def _noise(config: dict[str, Any], validation: Any) -> Any:
        """Why the monitored value is noisy (a phrase), None when it is not, or an unknown ``validation``."""
        monitor, min_delta = config["monitor"], config["min_delta"]
        if isinstance(min_delta, (int, float)) and abs(min_delta) > 0:
            return f"by min_delta={abs(min_delta):g}"
        if isinstance(monitor, str) and monitor.startswith("val_"):
            if not is_known(validation):
                return validation
            return "(validation metrics fluctuate from epoch to epoch)" if validation else None
        return None

    @staticmethod
    def _message(entry: dict[str, Any], config: dict[str, Any], noise: str, epochs: int, patience: int) -> str:
        given = "patience" in entry.get("config", {})
        which = "patience=0" if given else "Keras's default patience=0"
        return (f"EarlyStopping(monitor={config['monitor']!r}) with {which} stops training at the first epoch "
                f"whose {config['monitor']} does not improve {noise}: one noisy epoch ends a run of {epochs} "
                f"epochs. patience is the number of epochs to wait; use patience={patience}.")
