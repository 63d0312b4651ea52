"""AF103 dropout-on-output."""

from __future__ import annotations

from ..edits import RemoveLayer
from ..findings import Applicability, Severity
from ..keras_vocab import ACTIVATION_LAYERS, LINEAR_PASSTHROUGH, WEIGHTED_WITH_ACTIVATION
from ..spec import ModelSpec
from .base import Example, Rule, walk_back

_DROPOUTS = frozenset({"Dropout", "AlphaDropout", "GaussianDropout", "SpatialDropout1D",
                       "SpatialDropout2D", "SpatialDropout3D"})


class DropoutOnOutput(Rule):
    """Dropout applied after the output layer.

    ## What it does
    Finds a Dropout layer between the model's last weighted (Dense/Conv)
    layer and the model output.

    ## Why is this bad?
    During training, dropout zeroes random *predictions* and rescales the
    rest, so probabilities leave [0, 1] and the loss sees noise instead of the
    model's answer; at inference the layer is inactive, so training and
    evaluation metrics disagree.

    ## Example
    ``Dense(10, activation='softmax')`` followed by ``Dropout(0.5)`` as the
    last layer.

    ## Fix safety
    Unsafe: the Dropout layer is removed, which changes training dynamics
    (no weights are affected). Move it before the output layer if
    regularisation was the intent.

    ## Keras versions
    All.

    ## References
    Srivastava et al. (2014), "Dropout".
    """

    code = "AF103"
    name = "dropout-on-output"
    severity = Severity.WARNING
    applicability = Applicability.UNSAFE

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(10, activation="softmax"),
    layers.Dropout(0.5),
])
""",
            fixed="""
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
""",
            message="comes after the output layer: during training it",
            line=5,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(32, activation="relu"),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])
"""
        ),
        Example(  # the Dropout feeds TimeDistributed(Dense), the real output layer
            """
model = keras.Sequential([
    keras.Input((12, 8)),
    layers.LSTM(16, return_sequences=True),
    layers.Dropout(0.5),
    layers.TimeDistributed(layers.Dense(5)),
    layers.Activation("softmax"),
])
"""
        ),
    ]

    def check(self, spec: ModelSpec):
        for out in spec.output_layers():
            chain = [out, *walk_back(spec, out)]
            for layer in chain:
                # Only activations and pass-through layers sit "after the output layer":
                # a wrapper (TimeDistributed(Dense)), a recurrent or custom layer is the output.
                if layer.class_name in WEIGHTED_WITH_ACTIVATION or not (
                        layer.class_name in _DROPOUTS or layer.class_name in ACTIVATION_LAYERS
                        or layer.class_name == "Activation"
                        or layer.class_name in LINEAR_PASSTHROUGH):
                    break
                if layer.class_name in _DROPOUTS:
                    message = (
                        f"{layer.class_name} layer '{layer.name}' comes after the output layer: "
                        "during training it zeroes and rescales the model's predictions, so the "
                        "loss sees noise and training metrics disagree with evaluate(). Remove it "
                        "or move it before the output layer."
                    )
                    fix = self.make_fix(f"remove '{layer.name}'", RemoveLayer(layer.qualname))
                    yield self.finding(message, at=layer, fixes=[fix])
