"""AS103 learning-rate-up."""

from __future__ import annotations

from ._learning_rate import ScaleLearningRate


class LearningRateUp(ScaleLearningRate):
    """Multiply the learning rate by 10.

    ## What it does
    Sets the optimizer's ``learning_rate`` to ten times its value.

    ## When it helps
    A flat loss, or one still falling steeply when training ends while the
    model scores at chance: the steps are too small to get anywhere
    (``SGD(1e-5)``, Adam at 1e-5).

    ## Edits
    ``SetOptimizerArg("learning_rate", rate * 10)``.
    """

    code = "AS103"
    name = "learning-rate-up"
    title = "multiply the learning rate by 10"
    factor = 10.0
