"""AF408 unscaled-regression-targets."""

from __future__ import annotations

from ..findings import Applicability, Severity
from ..keras_vocab import loss_name
from ..spec import ModelSpec
from ._regression import fmt
from ._targets import linear_output, rescaling_insert, rounded_scale, target_stats
from .base import Example, Rule

#: Targets whose standard deviation or mean exceeds this are far from the unit scale a fresh head outputs.
MAX_SCALE = 100.0
#: Targets whose standard deviation is below this vary less than the noise of one update.
MIN_STD = 1e-2


class UnscaledRegressionTargets(Rule):
    """Regression targets far from unit scale, fitted by a linear head in raw units.

    ## What it does
    Reads the training targets' mean and standard deviation when a model
    with a linear output is trained with mse, mae, Huber or log-cosh: a
    standard deviation or mean above 100 (prices, counts in the thousands,
    temperatures in kelvin), or a standard deviation below 0.01, is reported
    unless a ``Rescaling``/``Normalization`` layer already follows the head.

    ## Why is this bad?
    A freshly initialised head outputs values of order 1. To predict targets
    of order 1e4 its weights must grow ten thousand times, one
    learning-rate-sized step at a time, so the run ends with predictions
    near the mean (R^2 near 0); the raw-unit loss is also ~1e8, and SGD's
    gradients of that size diverge. Targets with a spread of 0.001 sit below
    the resolution of a single update. Keras raises nothing.

    ## Example
    ``Dense(1)`` + ``loss='mse'`` with ``y`` in dollars (mean 2e5, std 1e5).

    ## Fix safety
    Unsafe: appends ``keras.layers.Rescaling(scale=std, offset=mean)`` after
    the head, with the targets' mean and standard deviation. The head then
    learns standardised targets while the model still predicts (and is
    evaluated) in the user's units; the loss is unchanged, so with SGD the
    learning rate may still need to fall. Needs the data facts (on the
    source path, ``autofix-src --verify``'s run).

    ## Keras versions
    All Keras 3 (``Rescaling`` with ``offset``).

    ## References
    LeCun et al. (1998), "Efficient BackProp" (scale the targets like the
    inputs); DeepCrime (ISSTA 2021) and the fault suite's ``targets_x1e4``
    mutant.
    """

    code = "AF408"
    name = "unscaled-regression-targets"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE
    requires = ("compile", "data")

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(40, 6), np.linspace(10000.0, 50000.0, 40), epochs=1)
""",
            graph_only=True,
            message="mean 30000.0, standard deviation 11800.0",
            line=4,
            fixed="""
model = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(1),
    layers.Rescaling(offset=30000.0, scale=11800.0),
])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(40, 6), np.linspace(10000.0, 50000.0, 40), epochs=1)
""",
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((4,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(1, activation="linear"))
model.compile(optimizer="sgd", loss="mae")
model.fit(np.random.rand(40, 4), 290.0 + np.sin(np.arange(40.0)), epochs=1)
""",
            graph_only=True,
            message="Expected targets of order 1",
            line=4,
            fixed="""
model = keras.Sequential()
model.add(keras.Input((4,)))
model.add(layers.Dense(16, activation="relu"))
model.add(layers.Dense(1, activation="linear"))
model.add(layers.Rescaling(offset=290.029, scale=0.704))
model.compile(optimizer="sgd", loss="mae")
model.fit(np.random.rand(40, 4), 290.0 + np.sin(np.arange(40.0)), epochs=1)
""",
        ),
        Example(
            """
inputs = keras.Input((5,))
hidden = layers.Dense(16, activation="relu")(inputs)
outputs = layers.Dense(1)(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="huber")
model.fit(np.random.rand(40, 5), np.linspace(0.0, 0.002, 40), epochs=1)
""",
            graph_only=True,
            message="standard deviation 0.000592",
            line=3,
            fixed="""
inputs = keras.Input((5,))
hidden = layers.Dense(16, activation="relu")(inputs)
outputs = layers.Dense(1)(hidden)
outputs = layers.Rescaling(offset=0.001, scale=0.000592)(outputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="huber")
model.fit(np.random.rand(40, 5), np.linspace(0.0, 0.002, 40), epochs=1)
""",
        ),
        Example(
            """
def build():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mean_squared_error")
    return model


model = build()
model.fit(np.random.rand(40, 3), np.arange(40.0) * 500.0, epochs=1)
""",
            graph_only=True,
            message="end the model with keras.layers.Rescaling(scale=",
            line=2,
            fixed="""
def build():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(8, activation="relu"), layers.Dense(1), layers.Rescaling(offset=9750.0, scale=5770.0)])
    model.compile(optimizer="adam", loss="mean_squared_error")
    return model


model = build()
model.fit(np.random.rand(40, 3), np.arange(40.0) * 500.0, epochs=1)
""",
        ),
    ]
    VALID = [
        # Targets already standardised.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(40, 6), np.linspace(-1.7, 1.7, 40), epochs=1)
""",
            graph_only=True,
        ),
        # The model already maps its head back to the targets' units.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"), layers.Dense(1),
                          layers.Rescaling(scale=11800.0, offset=30000.0)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(40, 6), np.linspace(10000.0, 50000.0, 40), epochs=1)
""",
            graph_only=True,
        ),
        # Ratings 1..50 (std ~14) are within reach of a unit-scale head.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mae")
model.fit(np.random.rand(50, 6), np.arange(1.0, 51.0), epochs=1)
""",
            graph_only=True,
        ),
        # A relative loss does not scale with the targets.
        Example(
            """
model = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mean_absolute_percentage_error")
model.fit(np.random.rand(40, 6), np.linspace(10000.0, 50000.0, 40), epochs=1)
""",
            graph_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        output, stats = linear_output(spec), target_stats(spec.data)
        if output is None or stats is None:
            return
        mean, std = stats
        if std <= MAX_SCALE and abs(mean) <= MAX_SCALE and std >= MIN_STD:
            return
        shown_mean, shown_std = rounded_scale(mean, std)
        data = spec.data
        message = (
            f"The regression targets have mean {shown_mean!r}, standard deviation {shown_std!r} (y_min "
            f"{fmt(data.y_min)}, y_max {fmt(data.y_max)}) and the linear output '{output.name}' is trained "
            f"with {loss_name(spec.compile.loss)} in those raw units: a fresh head outputs values of order 1, "
            f"so its weights must change by a factor of ~{max(std, abs(mean), 1 / std):.0g} one learning-rate step "
            f"at a time and the run ends near the mean (with SGD, raw-unit gradients diverge). Expected targets "
            f"of order 1. Standardise them and keep the units: end the model with "
            f"keras.layers.Rescaling(scale={shown_std!r}, offset={shown_mean!r}) after '{output.name}'."
        )
        fix = self.make_fix(f"append Rescaling(scale={shown_std!r}, offset={shown_mean!r}) after the head",
                            rescaling_insert(output, mean, std))
        yield self.finding(message, at=output, fixes=[fix])
