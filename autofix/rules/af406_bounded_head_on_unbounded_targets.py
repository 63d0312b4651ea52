"""AF406 bounded-head-on-unbounded-targets."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import is_known
from ._head import Head
from ._regression import ACTIVATION_RANGES, ZERO_BELOW_ZERO, dead_from_start, fmt, received, regression_loss, target_range
from .base import Example, Rule

#: Targets may overshoot a bound by this fraction of the target span (rounding, noise).
TOLERANCE = 0.01
#: Share of the output units the training probe must see at 0 on every row: all of them.
DEAD_OUTPUT = 1.0


class BoundedHeadOnUnboundedTargets(Rule):
    """A regression output whose activation cannot reach the training targets, or cannot fire at all.

    ## What it does
    Compares the output activation's range with the training targets of a
    model compiled with a regression loss: sigmoid/softmax/hard_sigmoid
    output in [0, 1], tanh/softsign in [-1, 1], relu/softplus in [0, inf),
    relu6 in [0, 6]. Targets outside that range are reported. The target
    range comes from the data facts: the class values of integer targets
    (counts, ratings) and, when the data facts record them, ``y_min`` and
    ``y_max``.

    A ReLU (or ReLU6) output is also reported when it is dead, whatever the
    targets: when the code shows that its pre-activation is <= 0 on every
    training row before the first step (the output layer is fed straight by
    the inputs, every input value has one sign, the kernel initializer draws
    only weights of the other sign or 0, e.g. ``RandomUniform(0, 0.05)`` on
    all-negative inputs, and the bias starts at or below 0), or, on the live
    path with a training probe (``diagnose(..., probe=True)``,
    ``fix(verify=True)``), when every output unit is 0 on every probe row
    after the probe's steps. A ReLU output on non-negative targets that
    does fire is not reported.

    ## Why is this bad?
    A sigmoid output can never exceed 1. Trained with mse on targets up to
    50, every large target pushes the unit into saturation where its gradient
    vanishes: the loss plateaus high and the model predicts about 1.0 for all
    inputs. A ReLU output cannot produce negative targets and dies on them. A
    ReLU unit whose pre-activation is never positive outputs 0 and receives a
    zero gradient: it stays at 0 for the whole run (R^2 at or below 0) with no
    error or warning.

    ## Example
    ``Dense(1, activation='sigmoid')`` + ``loss='mse'`` on house prices or
    counts in 0..50.

    ## Fix safety
    Unsafe: the output activation becomes linear, which changes training
    dynamics (targets in (0, 1), e.g. proportions, keep their sigmoid and
    are not reported).

    ## Keras versions
    All.

    ## References
    Humbatova et al. (ICSE 2020), "wrong activation function in the output layer";
    NeuraLint (TOSEM 2021); DeepCrime (ISSTA 2021) activation mutation.
    """

    code = "AF406"
    name = "bounded-head-on-unbounded-targets"
    severity = Severity.ERROR
    applicability = Applicability.UNSAFE
    requires = ("compile", "data")

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(60, 6), np.arange(60) % 51, epochs=1)
""",
            fixed="""
model = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(1, activation="linear"),
])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(60, 6), np.arange(60) % 51, epochs=1)
""",
            message="The training targets span 0..50",
            line=4,
            graph_only=True,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((6,)))
model.add(layers.Dense(1, activation="tanh"))
model.compile(optimizer="adam", loss="mae")
model.fit(np.random.rand(40, 6), np.arange(40) % 10, epochs=1)
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((6,)))
model.add(layers.Dense(1, activation="linear"))
model.compile(optimizer="adam", loss="mae")
model.fit(np.random.rand(40, 6), np.arange(40) % 10, epochs=1)
""",
            message="whose outputs lie in [-1, 1], trained with mean_absolute_error (Received: loss='mae')",
            line=3,
            graph_only=True,
        ),
        Example(
            """
inputs = keras.Input((6,))
x = layers.Dense(1)(inputs)
outputs = layers.Activation("sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.Huber())
model.fit(np.random.rand(30, 6), np.arange(30) % 7 + 2, epochs=1)
""",
            fixed="""
inputs = keras.Input((6,))
x = layers.Dense(1)(inputs)
outputs = layers.Activation("linear")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.Huber())
model.fit(np.random.rand(30, 6), np.arange(30) % 7 + 2, epochs=1)
""",
            message="The training targets span 2..8",
            line=3,
            graph_only=True,
        ),
        Example(
            """
def build():
    model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="relu6")])
    model.compile(optimizer="adam", loss="mse")
    return model


model = build()
model.fit(np.random.rand(30, 6), np.arange(30) % 20, epochs=1)
""",
            fixed="""
def build():
    model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="linear")])
    model.compile(optimizer="adam", loss="mse")
    return model


model = build()
model.fit(np.random.rand(30, 6), np.arange(30) % 20, epochs=1)
""",
            message="whose outputs lie in [0, 6]",
            line=2,
            graph_only=True,
        ),
        # Continuous targets: their recorded range (y_min/y_max) shows the fault.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(30, 6), np.linspace(-40.5, 80.5, 30), epochs=1)
""",
            fixed="""
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="linear")])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(30, 6), np.linspace(-40.5, 80.5, 30), epochs=1)
""",
            message="y_min/y_max of the training targets",
            line=1,
            graph_only=True,
        ),
        # A ReLU output fed by all-negative inputs through a kernel that starts >= 0: dead from step one.
        Example(
            """
model = keras.Sequential([
    keras.Input((2,)),
    layers.Dense(1, activation="relu", kernel_initializer=keras.initializers.RandomUniform(0.0, 0.05)),
])
model.compile(optimizer="adam", loss="mse")
x = -np.random.rand(200, 2) - 0.1
model.fit(x, np.ones(200), epochs=1)
""",
            fixed="""
model = keras.Sequential([
    keras.Input((2,)),
    layers.Dense(1, activation="linear", kernel_initializer=keras.initializers.RandomUniform(0.0, 0.05)),
])
model.compile(optimizer="adam", loss="mse")
x = -np.random.rand(200, 2) - 0.1
model.fit(x, np.ones(200), epochs=1)
""",
            message="but it cannot fire: its pre-activation is <= 0 on every training row before the first step",
            line=3,
        ),
    ]
    VALID = [
        # A proportion in (0, 1): sigmoid is the right bounded head.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(30, 6), np.linspace(0.05, 0.95, 30), epochs=1)
""",
            graph_only=True,
        ),
        # Non-negative counts with a ReLU output.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="relu")])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(30, 6), np.arange(30) % 20, epochs=1)
""",
            graph_only=True,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(30, 6), np.arange(30) % 20, epochs=1)
""",
            graph_only=True,
        ),
        # All-negative inputs, but Keras's default (signed) kernel initializer: the unit can fire.
        Example(
            """
model = keras.Sequential([keras.Input((2,)), layers.Dense(1, activation="relu")])
model.compile(optimizer="adam", loss="mse")
x = -np.random.rand(200, 2) - 0.1
model.fit(x, np.ones(200), epochs=1)
"""
        ),
        # A kernel that starts >= 0, but a hidden layer between the inputs and the ReLU output.
        Example(
            """
model = keras.Sequential([
    keras.Input((2,)),
    layers.Dense(8, activation="relu"),
    layers.Dense(1, activation="relu", kernel_initializer=keras.initializers.RandomUniform(0.0, 0.05)),
])
model.compile(optimizer="adam", loss="mse")
x = -np.random.rand(200, 2) - 0.1
model.fit(x, np.ones(200), epochs=1)
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        head = Head.of(spec)
        loss = regression_loss(spec.compile.loss)
        if head is None or loss is None or head.activation not in ACTIVATION_RANGES:
            return
        data = spec.data
        if head.activation == "softmax" and data.label_kind != "continuous":
            return  # softmax on class labels is a classifier: AF207's finding
        fix = self.make_fix("use a linear output activation", head.set_activation("linear"))
        received_loss = f"trained with {loss} (Received: loss={received(spec.compile.loss)})"
        found = target_range(data)
        if found is not None:
            low, high, how = found
            act_low, act_high = ACTIVATION_RANGES[head.activation]
            slack = TOLERANCE * max(high - low, 1.0)
            if low < act_low - slack or high > act_high + slack:
                shown = f"; read from {data.origin}" if is_known(data.origin) else ""
                problem = (f"targets above {fmt(act_high)} can never be reached" if high > act_high + slack
                           else f"targets below {fmt(act_low)} can never be reached")
                yield self.finding(
                    f"The training targets span {fmt(low)}..{fmt(high)} ({how} of fit()'s y{shown}) but "
                    f"{head.describe()}, whose outputs lie in [{fmt(act_low)}, {fmt(act_high)}], "
                    f"{received_loss}: {problem}, so the output saturates, its gradient vanishes and the "
                    "loss plateaus. Use a linear output activation for these regression targets.",
                    at=head.act_layer, fixes=[fix])
                return
        dead = self._dead(spec, head)
        if dead is not None:
            yield self.finding(
                f"{head.describe()}, {received_loss}, but it cannot fire: {dead}. {head.activation} then "
                "outputs 0 and passes no gradient, so the output never moves and every prediction is 0. "
                "Use a linear output activation for these regression targets.", at=head.act_layer, fixes=[fix])

    @staticmethod
    def _dead(spec: ModelSpec, head: Head) -> str | None:
        """Why the one-sided output unit is dead: proven from the code, or measured by the probe."""
        if head.activation not in ZERO_BELOW_ZERO:
            return None
        proof = dead_from_start(spec, head.dense)
        if proof is not None:
            return f"its pre-activation is <= 0 on every training row before the first step: {proof}"
        dead = getattr(spec.probe, "dead", None) or {}
        share = dead.get(head.act_layer.name)
        if isinstance(share, (int, float)) and share >= DEAD_OUTPUT:
            return f"after the training probe's steps every output unit is 0 on every probe row ({share:.0%} dead)"
        return None
