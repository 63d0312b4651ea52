"""AF603 probe-learning-rate (training probe)."""

from __future__ import annotations

import math

from ..edits import SetOptimizerArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._probe import PROBE_ORIGIN
from .base import Example, Rule


def loss_trend(losses: list[float]) -> tuple[str, float, float] | None:
    """(``"diverges"`` or ``"stays flat"``, mean of the first and of the last quarter), or None."""
    if len(losses) < 8:
        return None
    k = max(2, len(losses) // 4)
    head, tail = sum(losses[:k]) / k, sum(losses[-k:]) / k
    if not all(math.isfinite(v) for v in losses) or tail > 1.5 * head:
        return "diverges", head, tail
    if abs(head - tail) < 0.01 * abs(head) and head > 1e-3:
        return "stays flat", head, tail
    return None


class ProbeLearningRate(Rule):
    """The training loss diverges or stays flat over the probe steps.

    ## What it does
    Reads the training probe (``diagnose(model, x, y, probe=True)``): the loss
    of each probe step. When the last quarter averages more than 1.5x the first
    quarter (or is not finite) the learning rate is too high; when it moves by
    less than 1% it is too low.

    ## Why is this bad?
    A diverging loss ends in NaN or a collapsed model; a flat loss means the
    weights barely move and training wastes its epochs.

    ## Example
    ``SGD(learning_rate=1.0)`` on a regression with inputs of scale 10: every
    step overshoots, the loss grows to infinity.

    ## Fix safety
    Display only: the suggested rate (/10 when diverging, x10 when flat) is a
    heuristic. ``fix(..., verify=True)`` searches /10 and /100 (or x10, x100)
    by short retrains and keeps a rate only when it measurably helps.

    ## Keras versions
    All.

    ## References
    Seed report 003 (learning rate 0.01 overshoots).
    """

    code = "AF603"
    name = "probe-learning-rate"
    searches_learning_rate = True
    severity = Severity.WARNING
    applicability = Applicability.DISPLAY_ONLY
    requires = ("probe",)

    INVALID = [
        Example(
            """
rng = np.random.default_rng(0)
x = (10.0 * rng.normal(size=(256, 4))).astype("float32")
y = x.sum(axis=1, keepdims=True)
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss="mse")
model.fit(x, y, batch_size=32)
""",
            graph_only=True,
            message="The training loss diverges over",
        ),
    ]
    VALID = [
        Example(
            """
rng = np.random.default_rng(0)
x = rng.normal(size=(256, 4)).astype("float32")
y = x.sum(axis=1, keepdims=True)
model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
model.fit(x, y, batch_size=32)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        facts = spec.probe
        trend, rate = loss_trend(facts.losses), facts.learning_rate
        if trend is None or not rate:
            return
        trend, head, tail = trend
        suggested = float(f"{rate * (0.1 if trend == 'diverges' else 10.0):.3g}")
        fix = self.make_fix(f"set learning_rate={suggested:g}", SetOptimizerArg("learning_rate", suggested))
        yield self.finding(
            f"The training loss {trend} over {len(facts.losses)} probe steps ({head:.3g} -> {tail:.3g}) at "
            f"learning rate {rate:g}. Try {suggested:g}; verify=True searches /10 and /100 (or x10, x100).",
            at=PROBE_ORIGIN, fixes=[fix])
