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


#: Momentum-like rates (the weight of past gradients in each step) and the largest constant value the
#: optimizers' docs and papers use: 0.9 (Keras examples, Kingma & Ba), 0.95 and 0.99 (Sutskever et al. 2013,
#: where 0.995/0.999 appear only with a schedule that ramps up from 0.5).
MOMENTUM_ARGS = {"sgd": "momentum", "rmsprop": "momentum", "adam": "beta_1", "adamw": "beta_1",
                 "nadam": "beta_1", "adamax": "beta_1"}
MAX_MOMENTUM = 0.99
#: What a too-high momentum is reset to (the documented value; 0.0 would drop the momentum the user asked for).
MOMENTUM_RESET = 0.9


def _bad(arg: str, value: float) -> bool:
    if arg == "epsilon":
        return value < 0 or value > 1.0  # 1.0 and 0.1 are documented choices (Inception)
    return value < 0 or value >= 1.0


def _too_high(optimizer: str, arg: str, value: float) -> bool:
    """A momentum-like rate in (0.99, 1): valid, but far beyond what is used as a constant."""
    return MOMENTUM_ARGS.get(optimizer) == arg and MAX_MOMENTUM < value < 1.0


def _extreme_effect(arg: str, value: float, config: dict) -> str:
    memory = round(1 / (1 - value))
    rate = config.get("learning_rate")
    step = (f" (learning_rate {rate:g} / (1 - {value:g}) = {rate / (1 - value):.3g})"
            if isinstance(rate, (int, float)) and not isinstance(rate, bool) else "")
    return (f"{arg}: the average spans the last ~{memory} gradients, so each step is about {memory} x the "
            f"learning rate{step} and the updates overshoot and oscillate; the optimizers' docs and papers use "
            f"0.9 to {MAX_MOMENTUM} as a constant (0.999 only with a warm-up schedule)")


class ExtremeOptimizerHyperparameters(Rule):
    """Optimizer decay rates or epsilon outside the range where the optimizer works.

    ## What it does
    Reads the compiled optimizer's ``momentum`` (SGD, RMSprop), ``rho``
    (RMSprop, Adadelta), ``beta_1``/``beta_2`` (Adam, AdamW, Nadam, Adamax,
    Lion) and ``epsilon``, and reports a decay rate outside ``[0, 1)``, an
    epsilon below 0 or above 1, and a momentum-like rate (SGD/RMSprop
    ``momentum``, Adam-family ``beta_1``) above 0.99.

    ## Why is this bad?
    These are exponential-averaging rates: at 1.0 or above the average never
    forgets (``momentum=1`` accumulates every gradient forever and diverges;
    ``beta_1=1`` makes Adam's bias correction divide by zero), and a negative
    rate flips the sign of past gradients. Below 1 but above 0.99 a momentum
    averages the last ~1/(1 - momentum) gradients: ``momentum=0.999`` makes
    each step about 1000 times the learning rate, so the weights overshoot
    and oscillate. The optimizers' docs and papers use 0.9 to 0.99 as a
    constant (Sutskever et al. 2013 reach 0.995/0.999 only with a schedule
    that ramps up from 0.5, which a float argument cannot express). An
    epsilon far above 1 swamps the adaptive denominator, silently turning
    Adam into SGD with a tiny step. Keras accepts all of these values without
    an error. Second-moment rates (``beta_2``, ``rho``) of 0.999 or 0.9999
    are normal and only reported at 1 or above.

    ## Example
    ``keras.optimizers.SGD(learning_rate=0.05, momentum=0.999)``.

    ## Fix safety
    Unsafe: a momentum-like rate is reset to 0.9 (the documented value,
    keeping the momentum the user asked for); any other out-of-range
    argument to its Keras default (``rho=0.9``, ``beta_2=0.999``,
    ``epsilon=1e-07``), which changes training dynamics.  When an SGD or
    RMSprop ``momentum`` is reset and the learning rate is known, a second fix
    (for verification to compare) also scales the rate by ``1 - 0.9`` so each
    step, ``learning_rate / (1 - momentum)``, is the rate written: the reset
    alone leaves steps 10x the rate (``SGD(0.05, momentum=0.999)`` becomes
    ``SGD(0.005, momentum=0.9)``).  ``epsilon=1.0``
    (the value TensorFlow's Adam docs suggest for Inception) is not reported.

    ## Keras versions
    All (defaults are Keras 3's).

    ## References
    Humbatova et al. (ICSE 2020), "suboptimal hyperparameters"; Zhang et al., AUTOTRAINER
    (ICSE 2021); Keras optimizer documentation (argument defaults); Sutskever et al. (ICML 2013),
    "On the importance of initialization and momentum in deep learning"; Kingma & Ba (ICLR 2015).
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
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="categorical_crossentropy")
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
        Example(
            """
class Regressor:
    def __init__(self):
        self.model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
        self.model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.999), loss="mse")


model = Regressor().model
""",
            fixed="""
class Regressor:
    def __init__(self):
        self.model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
        self.model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse")


model = Regressor().model
""",
            message="the average spans the last ~1000 gradients",
            line=4,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((10,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.99, nesterov=True), loss="categorical_crossentropy")
"""
        ),
        # The usual momentum SGD of image models (each step 10x the rate: 0.1 and 1.0) is not reported.
        Example(
            """
model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"), layers.Flatten(),
                          layers.Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="categorical_crossentropy")
"""
        ),
        Example(
            """
model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"), layers.Flatten(),
                          layers.Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
              loss="categorical_crossentropy")
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
        # A slow second-moment average (beta_2=0.9999) and a GAN-style beta_1=0.5 are documented choices.
        Example(
            """
model = keras.Sequential([keras.Input((10,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(beta_1=0.5, beta_2=0.9999), loss="categorical_crossentropy")
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
        bad, high = [], []
        for arg, default in defaults.items():
            value = config.get(arg)
            if not (is_known(value) and isinstance(value, (int, float)) and not isinstance(value, bool)):
                continue
            reset = MOMENTUM_RESET if MOMENTUM_ARGS.get(class_name.lower()) == arg else default
            if _bad(arg, float(value)):
                bad.append((arg, value, reset))
            elif _too_high(class_name.lower(), arg, float(value)):
                high.append((arg, value, reset))
        if not bad and not high:
            return
        shown = " and ".join(
            [f"{arg}={value!r} is outside {'[0, 1]' if arg == 'epsilon' else '[0, 1)'}" for arg, value, _ in bad]
            + [f"{arg}={value!r} is above {MAX_MOMENTUM}" for arg, value, _ in high]
        )
        effects = "; ".join([f"{arg}: {_EFFECTS[arg]}" for arg, _, _ in bad]
                            + [_extreme_effect(arg, float(value), config) for arg, value, _ in high])
        changed = bad + high
        resets = ", ".join(f"{arg}={reset!r}" for arg, _, reset in changed)
        message = (
            f"{class_name} {shown} (Received: {class_name}({', '.join(f'{a}={v!r}' for a, v, _ in changed)})): "
            f"{effects}. Keras accepts the value silently. Use {resets}."
        )
        severity = None if any(arg != "epsilon" for arg, _, _ in bad) else Severity.WARNING
        fixes = [self.make_fix(f"reset {resets}", *(SetOptimizerArg(arg, reset) for arg, _, reset in changed))]
        kept = _step_kept(class_name.lower(), config, changed)
        if kept is not None:
            title = f"reset {resets} and set learning_rate={kept:g} (each step about the learning rate written)"
            fixes.append(self.make_fix(title, *fixes[0].edits, SetOptimizerArg("learning_rate", kept)))
        yield self.finding(message, at=spec.compile.optimizer_origin or spec.compile.origin, fixes=fixes,
                           severity=severity)


def _step_kept(optimizer: str, config: dict, changed: list) -> float | None:
    """The learning rate that keeps a momentum optimizer's step ``lr / (1 - momentum)`` at the learning
    rate written, after the momentum reset (``lr * (1 - 0.9)``); None when no momentum of SGD/RMSprop was
    reset or the rate is not a known number.  Adam's ``beta_1`` is a bias-corrected average: its step does
    not grow with ``1 / (1 - beta_1)``."""
    momentum = [reset for arg, _, reset in changed if arg == "momentum" and MOMENTUM_ARGS.get(optimizer) == arg]
    rate = config.get("learning_rate")
    if not momentum or not is_known(rate) or not isinstance(rate, (int, float)) or isinstance(rate, bool) or rate <= 0:
        return None
    return float(f"{rate * (1 - momentum[0]):.3g}")
