"""Repair strategies that no rule names, for verification's symptom-driven search.

Each strategy is a class in its own module (``asNNN_name.py``) with a stable
code: AS1xx the optimizer, AS2xx initialisation and architecture, AS3xx fit()
settings.  :func:`ranked` lists the strategies that apply to a spec for a set
of symptoms, best prior first (:mod:`autofix.strategies.priors`).
"""

from __future__ import annotations

from typing import Iterable

from .as101_learning_rate_down import LearningRateDown
from .as102_learning_rate_down_100 import LearningRateDown100
from .as103_learning_rate_up import LearningRateUp
from .as104_adam_default import AdamDefault
from .as105_gradient_clipping import GradientClipping
from .as201_initializer_by_activation import InitializerByActivation
from .as202_relu_activation import ReluActivation
from .as203_batch_normalization import BatchNormalizationAfterHidden
from .as204_input_normalization import InputNormalization
from .as205_wider_bottleneck import WiderBottleneck
from .as206_lower_dropout import LowerDropout
from .as207_target_standardisation import TargetStandardisation
from .as208_linear_output import LinearOutput
from .as301_more_updates import MoreUpdates
from .base import SYMPTOMS, TRIGGERS, Strategy
from .priors import PRIORS, prior

REGISTRY: dict[str, type[Strategy]] = {
    cls.code: cls
    for cls in (
        LearningRateDown, LearningRateDown100, LearningRateUp, AdamDefault, GradientClipping,
        InitializerByActivation, ReluActivation, BatchNormalizationAfterHidden, InputNormalization,
        WiderBottleneck, LowerDropout, TargetStandardisation, LinearOutput, MoreUpdates,
    )
}
BY_NAME = {cls.name: cls for cls in REGISTRY.values()}


def select_strategies(select: Iterable[str] | None = None) -> list[Strategy]:
    """Strategy instances by code, code prefix (``"AS1"``) or name; all when ``select`` is None."""
    if select is None:
        return [cls() for cls in REGISTRY.values()]
    patterns = list(select)
    unknown = [p for p in patterns if p not in BY_NAME and not any(c.startswith(p.upper()) for c in REGISTRY)]
    if unknown:
        raise ValueError(f"unknown strategies {unknown}; known: {', '.join(REGISTRY)}")
    return [cls() for code, cls in REGISTRY.items()
            if any(code.startswith(p.upper()) or BY_NAME.get(p) is cls for p in patterns)]


def ranked(spec, symptoms: Iterable[str], strategies: list[Strategy] | None = None) -> list[Strategy]:
    """The strategies that apply to ``spec`` for ``symptoms``, highest prior first (ties by code)."""
    symptoms = list(symptoms)
    pool = strategies if strategies is not None else select_strategies()
    usable = [s for s in pool if s.applies(spec, symptoms)]
    return sorted(usable, key=lambda s: (-round(prior(s.code, symptoms), 6), s.code))


__all__ = ["REGISTRY", "BY_NAME", "PRIORS", "SYMPTOMS", "TRIGGERS", "Strategy", "prior", "ranked",
           "select_strategies"]
