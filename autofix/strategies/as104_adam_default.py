"""AS104 adam-default."""

from __future__ import annotations

from ..edits import Edit, SetCompileArg
from ..spec import ModelSpec
from .base import Strategy, optimizer_config, optimizer_name


class AdamDefault(Strategy):
    """Replace the optimizer by Adam with Keras's defaults.

    ## What it does
    Compiles with ``optimizer="adam"`` (learning rate 1e-3, default betas)
    instead of the configured optimizer.

    ## When it helps
    Plain SGD with a rate that is too small or too large for this model, or an
    optimizer with extreme hyperparameters: Adam's per-parameter step sizes
    train most small models from its defaults.

    ## Edits
    ``SetCompileArg("optimizer", "adam")`` (the source path rewrites the
    ``optimizer=`` argument of ``compile()``).
    """

    code = "AS104"
    name = "adam-default"
    title = "use the Adam optimizer with its defaults"

    def edits(self, spec: ModelSpec) -> list[Edit]:
        name = optimizer_name(spec)
        if spec.compile is None or name is None:
            return []
        config = optimizer_config(spec)
        default = name == "adam" and (not config or (
            abs(float(config.get("learning_rate", 1e-3) or 1e-3) - 1e-3) < 1e-9
            and config.get("beta_1", 0.9) == 0.9 and config.get("beta_2", 0.999) == 0.999
            and not config.get("clipnorm") and not config.get("clipvalue")))
        return [] if default else [SetCompileArg("optimizer", "adam")]
