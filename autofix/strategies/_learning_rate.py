"""Shared body of the learning-rate strategies (AS101-AS103)."""

from __future__ import annotations

from typing import ClassVar

from ..edits import Edit, SetOptimizerArg
from ..spec import ModelSpec
from .base import Strategy, learning_rate


class ScaleLearningRate(Strategy):
    factor: ClassVar[float]

    def edits(self, spec: ModelSpec) -> list[Edit]:
        rate = learning_rate(spec)
        if rate is None:
            return []
        return [SetOptimizerArg("learning_rate", float(f"{rate * self.factor:.3g}"))]
