"""AS101 learning-rate-down."""

from __future__ import annotations

from ._learning_rate import ScaleLearningRate


class LearningRateDown(ScaleLearningRate):
    """Divide the learning rate by 10.

    ## What it does
    Sets the optimizer's ``learning_rate`` to a tenth of its value.

    ## When it helps
    A loss that diverges or oscillates, a model that collapses to one class
    after a few steps, ReLU units that die after large updates: the steps
    overshoot.

    ## Edits
    ``SetOptimizerArg("learning_rate", rate / 10)``.
    """

    code = "AS101"
    name = "learning-rate-down"
    title = "divide the learning rate by 10"
    factor = 0.1
