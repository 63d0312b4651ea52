"""AF302 learning-rate-out-of-range."""

from __future__ import annotations

from ..edits import SetOptimizerArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import is_known
from .base import Example, Rule

#: A run this long can train at the low end of the range (a rate within 10x of it is not reported).
LONG_RUN_EPOCHS = 100
#: Usual learning-rate ranges (low, high) by optimizer class (lower-case).
RANGES = {
    "adam": (1e-6, 5e-3), "adamw": (1e-6, 5e-3), "nadam": (1e-6, 5e-3),
    "adamax": (1e-6, 1e-2), "rmsprop": (1e-6, 5e-3), "lion": (1e-7, 1e-3),
    "sgd": (1e-5, 0.5), "adagrad": (1e-5, 0.5),
}
#: Upper bounds for recurrent models (LSTM/GRU/SimpleRNN): RMSprop was made for them and
#: is commonly run at 1e-2 on character models (Keras's own lstm_text_generation example).
RECURRENT_HIGH = {"rmsprop": 1e-2, "adam": 1e-2, "nadam": 1e-2, "adamax": 2e-2}
#: Upper bounds for small dense networks (no convolution or recurrence): Adam at 1e-2 trains an MLP
#: (Keras's imbalanced-classification example), while it collapses a CNN (seed report 003).
DENSE_HIGH = {"adam": 1e-2, "adamw": 1e-2, "nadam": 1e-2, "adamax": 2e-2}
#: Layers that make a model "dense only" (anything else, e.g. Conv or LSTM, keeps the general range).
DENSE_ONLY = frozenset({"Dense", "InputLayer", "Dropout", "BatchNormalization", "LayerNormalization",
                        "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Normalization",
                        "Rescaling", "GaussianNoise", "AlphaDropout", "Flatten", "Concatenate", "Add"})
RECURRENT = frozenset({"LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "CuDNNLSTM",
                       "CuDNNGRU", "RNN", "Bidirectional"})
#: Keras's default learning rate per optimizer (the suggested value).
DEFAULTS = {"adam": 1e-3, "adamw": 1e-3, "nadam": 1e-3, "adamax": 1e-3, "rmsprop": 1e-3,
            "lion": 1e-4, "sgd": 1e-2, "adagrad": 1e-3}


def optimizer_facts(optimizer) -> tuple[str, object] | None:
    """(lower-case class name, learning rate) of a compile-config optimizer."""
    if isinstance(optimizer, str):
        return optimizer.lower(), DEFAULTS.get(optimizer.lower())
    if isinstance(optimizer, dict):
        name = str(optimizer.get("class_name", "")).lower()
        config = optimizer.get("config") or {}
        return name, config.get("learning_rate", DEFAULTS.get(name))
    return None


class LearningRateOutOfRange(Rule):
    """A learning rate far outside the usual range for its optimizer.

    ## What it does
    Compares the compiled optimizer's learning rate with the range where that
    optimizer usually trains: up to 5e-3 for Adam/AdamW/Nadam/RMSprop, up to
    0.5 for SGD, and above 1e-6 (1e-5 for SGD). The range depends on the task too:
    recurrent models (LSTM/GRU/SimpleRNN) commonly train RMSprop/Adam at up to
    1e-2 (a character-level LSTM with ``RMSprop(0.01)`` is fine), and so do small dense
    networks train Adam at up to 1e-2 (only Dense/Dropout/normalisation layers; the same rate
    collapses a CNN). A rate at the low
    end (within 10x of it) is not reported when fit() runs 100 epochs or more: a long
    schedule at a tiny rate is a deliberate choice (Keras's IRNN example trains RMSprop
    at 1e-6 for 200 epochs).

    ## Why is this bad?
    Too high, and adaptive optimizers overshoot: a 3-class CNN trained with
    Adam at 0.01 improves for a few epochs, then collapses to predicting one
    class (33% accuracy). Too low, and the loss stays flat for the whole run.

    ## Example
    ``keras.optimizers.Adam(learning_rate=0.01)``.

    ## Fix safety
    Display only: the right rate depends on the data, so the suggestion (the
    optimizer's Keras default) is shown, not applied. Verification searches
    rates /10 and /100 (x10 and x100 for a rate too low) and, when those do
    not reach it, the suggested rate itself; ``autofix-src --verify`` tries a
    suggested rate above the current one first in its repair search. A rate
    whose run is confirmed is applied.

    ## Keras versions
    All.

    ## References
    Seed report 003; Keras optimizer documentation (default learning rates).
    """

    code = "AF302"
    name = "learning-rate-out-of-range"
    searches_learning_rate = True
    severity = Severity.WARNING
    applicability = Applicability.DISPLAY_ONLY
    requires = ("compile",)

    INVALID = [
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="categorical_crossentropy")
""",
            message="updates overshoot: training improves briefly, then collapses to",
            line=2,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.01), loss="categorical_crossentropy")
""",
            message="rmsprop learning rate 0.01 is far too high",
            line=2,
        ),
        Example(  # seed report 003: Adam at 0.01 collapses a small CNN to one class
            """
model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"), layers.Flatten(),
                          layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy")
""",
            message="adam learning rate 0.01 is far too high",
            line=3,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="categorical_crossentropy")
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="categorical_crossentropy")
"""
        ),
        Example(  # a small dense network trains Adam at 1e-2 (Keras's imbalanced-classification example)
            """
model = keras.Sequential([keras.Input((30,)), layers.Dense(256, activation="relu"), layers.Dropout(0.3),
                          layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy")
"""
        ),
        Example(  # a character-level LSTM: RMSprop at 0.01 is a usual setting
            """
model = keras.Sequential([keras.Input((40, 57)), layers.LSTM(32), layers.Dense(57, activation="softmax")])
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.01), loss="categorical_crossentropy")
"""
        ),
        Example(  # Keras's IRNN example: a rate at the low end, on purpose, for a long schedule
            """
model = keras.Sequential([keras.Input((784, 1)), layers.SimpleRNN(100, activation="relu"),
                          layers.Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-6), loss="categorical_crossentropy")
model.fit(np.zeros((32, 784, 1)), np.zeros((32, 10)), batch_size=32, epochs=200)
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        facts = optimizer_facts(spec.compile.optimizer)
        if facts is None:
            return
        name, rate = facts
        if name not in RANGES or not is_known(rate) or not isinstance(rate, (int, float)):
            return
        low, high = RANGES[name]
        if name in RECURRENT_HIGH and any(layer.class_name in RECURRENT for layer in spec.layers):
            high = max(high, RECURRENT_HIGH[name])
        if name in DENSE_HIGH and spec.layers and all(layer.class_name in DENSE_ONLY for layer in spec.layers):
            high = max(high, DENSE_HIGH[name])
        if low < rate <= high:  # the low end itself is already too low to move a network in a normal run
            return
        epochs = spec.fit.epochs
        if low / 10 < rate <= low and is_known(epochs) and isinstance(epochs, int) and epochs >= LONG_RUN_EPOCHS:
            return  # a rate at the low end with a long schedule (Keras's IRNN example: 1e-6 for 200 epochs)
        suggested = DEFAULTS[name]
        direction = "high" if rate > high else "low"
        effect = (
            "updates overshoot: training improves briefly, then collapses to one class"
            if direction == "high"
            else "the loss barely moves during a normal training run"
        )
        usual = f"above {low:g} and at most {high:g}"
        message = (
            f"{name} learning rate {rate:g} is far too {direction} (usual range: {usual}): {effect}. "
            f"Try {suggested:g}, then tune by factors of 10."
        )
        fix = self.make_fix(f"set learning_rate={suggested:g}", SetOptimizerArg("learning_rate", suggested))
        yield self.finding(message, at=spec.compile.optimizer_origin or spec.compile.origin, fixes=[fix])
