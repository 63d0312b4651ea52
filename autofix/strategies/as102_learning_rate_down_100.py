"""AS102 learning-rate-down-100."""

from __future__ import annotations

from ._learning_rate import ScaleLearningRate


class LearningRateDown100(ScaleLearningRate):
    """Divide the learning rate by 100.

    ## What it does
    Sets the optimizer's ``learning_rate`` to a hundredth of its value.

    ## When it helps
    A loss that diverges even at a tenth of the rate (``SGD(1.0)`` on
    unscaled targets, Adam at 0.1).

    ## Edits
    ``SetOptimizerArg("learning_rate", rate / 100)``.
    """

    code = "AS102"
    name = "learning-rate-down-100"
    title = "divide the learning rate by 100"
    factor = 0.01
