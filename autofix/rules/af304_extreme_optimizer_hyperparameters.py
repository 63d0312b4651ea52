"""AF304 extreme-optimizer-hyperparameters."""

from __future__ import annotations

from ..edits import SetOptimizerArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ..values import is_known
from .base import Example, Rule

_ADAM = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}
#: Keras 3 defaults of the decay-rate and epsilon arguments, by optimizer class (lower-case).
DEFAULTS = {
    "sgd": {"momentum": 0.0},
    "rmsprop": {"rho": 0.9, "momentum": 0.0, "epsilon": 1e-7},
    "adam": _ADAM, "adamw": _ADAM, "nadam": _ADAM, "adamax": _ADAM,
    "adagrad": {"epsilon": 1e-7},
    "adadelta": {"rho": 0.95, "epsilon": 1e-7},
    "lion": {"beta_1": 0.9, "beta_2": 0.99},
}
#: What an out-of-range value of each argument does.
_EFFECTS = {
    "momentum": "the velocity never decays, so every past gradient keeps pushing and updates grow without bound",
    "rho": "the squared-gradient average stops tracking the gradients, so steps are divided by a stale "
           "(initially zero) scale and explode",
    "beta_1": "the first-moment average never forgets (and Adam's bias correction divides by 1 - beta_1^t = 0), "
              "giving NaN or frozen updates",
    "beta_2": "the second-moment average never updates (bias correction divides by 1 - beta_2^t = 0), "
              "giving NaN or exploding updates",
    "epsilon": "the denominator is dominated by epsilon, so the adaptive optimizer degenerates into SGD with "
               "a tiny learning rate (negative: steps flip sign)",
}


def _bad(arg: str, value: float) -> bool:
    if arg == "epsilon":
        return value < 0 or value > 1.0  # 1.0 and 0.1 are documented choices (Inception)
    return value < 0 or value >= 1.0


class ExtremeOptimizerHyperparameters(Rule):
    """Optimizer decay rates or epsilon outside the range where the optimizer works.

    ## What it does
    Reads the compiled optimizer's ``momentum`` (SGD, RMSprop), ``rho``
    (RMSprop, Adadelta), ``beta_1``/``beta_2`` (Adam, AdamW, Nadam, Adamax,
    Lion) and ``epsilon``, and reports a decay rate outside ``[0, 1)`` or an
    epsilon below 0 or above 1.

    ## Why is this bad?
    These are exponential-averaging rates: at 1.0 or above the average never
    forgets (``momentum=1`` accumulates every gradient forever and diverges;
    ``beta_1=1`` makes Adam's bias correction divide by zero), and a negative
    rate flips the sign of past gradients. An epsilon far above 1 swamps the
    adaptive denominator, silently turning Adam into SGD with a tiny step.
    Keras accepts all of these values without an error.

    ## Example
    ``keras.optimizers.SGD(learning_rate=0.01, momentum=1.0)``.

    ## Fix safety
    Unsafe: each out-of-range argument is reset to its Keras default
    (``momentum=0.0``, ``rho=0.9``, ``beta_1=0.9``, ``beta_2=0.999``,
    ``epsilon=1e-07``), which changes training dynamics. ``epsilon=1.0`` (the
    value TensorFlow's Adam docs suggest for Inception) is not reported.

    ## Keras versions
    All (defaults are Keras 3's).

    ## References
    Humbatova et al. (ICSE 2020), "suboptimal hyperparameters"; Zhang et al., AUTOTRAINER
    (ICSE 2021); Keras optimizer documentation (argument defaults).
    """

    code = "AF304"
    name = "extreme-optimizer-hyperparameters"
    severity = Severity.ERROR
    applicability = Applicability.UNSAFE
    requires = ("compile",)

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((10,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=1.0), loss="categorical_crossentropy")
""",
            fixed="""
model = keras.Sequential([
    keras.Input((10,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.0), loss="categorical_crossentropy")
""",
            message="SGD momentum=1.0 is outside [0, 1)",
            line=6,
        ),
        Example(
            """
model = keras.Sequential()
model.add(keras.Input((10,)))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer=keras.optimizers.Adam(beta_1=1.0), loss="binary_crossentropy")
""",
            fixed="""
model = keras.Sequential()
model.add(keras.Input((10,)))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer=keras.optimizers.Adam(beta_1=0.9), loss="binary_crossentropy")
""",
            message="Adam beta_1=1.0 is outside [0, 1)",
            line=4,
        ),
        Example(
            """
inputs = keras.Input((10,))
outputs = layers.Dense(1)(inputs)
model = keras.Model(inputs, outputs)
opt = keras.optimizers.RMSprop(learning_rate=1e-3, rho=1.0, epsilon=10.0)
model.compile(optimizer=opt, loss="mse")
""",
            fixed="""
inputs = keras.Input((10,))
outputs = layers.Dense(1)(inputs)
model = keras.Model(inputs, outputs)
opt = keras.optimizers.RMSprop(learning_rate=1e-3, rho=0.9, epsilon=1e-07)
model.compile(optimizer=opt, loss="mse")
""",
            message="RMSprop rho=1.0 is outside [0, 1) and epsilon=10.0 is outside [0, 1]",
            line=4,
        ),
        Example(
            """
def build():
    model = keras.Sequential([keras.Input((10,)), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Nadam(beta_2=-0.5), loss="mae")
    return model


model = build()
""",
            fixed="""
def build():
    model = keras.Sequential([keras.Input((10,)), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Nadam(beta_2=0.999), loss="mae")
    return model


model = build()
""",
            message="Nadam beta_2=-0.5 is outside [0, 1)",
            line=3,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((10,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.99, nesterov=True), loss="categorical_crossentropy")
"""
        ),
        # epsilon=1.0 is the value TensorFlow's Adam docs recommend for Inception on ImageNet.
        Example(
            """
model = keras.Sequential([keras.Input((10,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3, epsilon=1.0), loss="categorical_crossentropy")
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((10,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.RMSprop(rho=0.9, momentum=0.9), loss="categorical_crossentropy")
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((10,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(beta_1=0.0), loss="categorical_crossentropy")
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        optimizer = spec.compile.optimizer
        if not isinstance(optimizer, dict):
            return  # a string optimizer uses Keras's defaults
        class_name = str(optimizer.get("class_name", ""))
        defaults = DEFAULTS.get(class_name.lower())
        config = optimizer.get("config") or {}
        if defaults is None or not isinstance(config, dict):
            return
        bad = []
        for arg, default in defaults.items():
            value = config.get(arg)
            if (is_known(value) and isinstance(value, (int, float)) and not isinstance(value, bool)
                    and _bad(arg, float(value))):
                bad.append((arg, value, default))
        if not bad:
            return
        shown = " and ".join(
            f"{arg}={value!r} is outside {'[0, 1]' if arg == 'epsilon' else '[0, 1)'}" for arg, value, _ in bad
        )
        effects = "; ".join(f"{arg}: {_EFFECTS[arg]}" for arg, _, _ in bad)
        resets = ", ".join(f"{arg}={default!r}" for arg, _, default in bad)
        message = (
            f"{class_name} {shown} (Received: {class_name}({', '.join(f'{a}={v!r}' for a, v, _ in bad)})): "
            f"{effects}. Keras accepts the value silently. Use the Keras default {resets}."
        )
        severity = Severity.WARNING if all(arg == "epsilon" for arg, _, _ in bad) else None
        fix = self.make_fix(f"reset {resets}", *(SetOptimizerArg(arg, default) for arg, _, default in bad))
        yield self.finding(message, at=spec.compile.optimizer_origin or spec.compile.origin, fixes=[fix],
                           severity=severity)
