"""Both backends apply every edit type alike (DESIGN.md: "A conformance test proves
both backends apply every edit type").

For each edit type a small script builds, compiles and "fits" a model.  The
graph arm executes the script (``fit`` recorded, not run) and applies the edit
to the live model with :func:`autofix.live.rebuild.apply_edits`; the source
arm rewrites the script with :mod:`autofix.source.rewrite`, executes the
rewritten script and takes its model and recorded ``fit`` call.  Layers
(names ignored), compile settings, fit() keywords, callbacks and the labels
fit() receives must agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable
from unittest import mock

import pytest

keras = pytest.importorskip("keras")
np = pytest.importorskip("numpy")

from autofix.live import rebuild as graph  # noqa: E402
from autofix.source import rewrite as source  # noqa: E402
from autofix.source._plan import SourceTree  # noqa: E402
from autofix.edits import (  # noqa: E402
    EDIT_TYPES, SCRIPT_ONLY, ChangeData, InsertLayer, NewLayer, RemoveLayer, RenameArg, RenameMethod, ReplaceLayer, SetCallbackArg, SetCompileArg,
    SetFitArg, SetLabelEncoding, SetLayerArg, SetLoss, SetOptimizerArg, UpgradeSource,
)
from autofix.source.extract import extract_source  # noqa: E402
from autofix.testing import compile_signature, layer_signature  # noqa: E402

pytestmark = pytest.mark.keras

HEADER = "import keras\nfrom keras import layers\nimport numpy as np\n"
SEQUENTIAL = HEADER + """
model = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(8, name="hidden"),
    layers.Dropout(0.25, name="drop"),
    layers.Dense(2, activation="softmax", name="out"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="categorical_crossentropy")
x = np.linspace(0, 1, 48).reshape(8, 6)
y = keras.utils.to_categorical(np.arange(8) % 2)
stop = keras.callbacks.EarlyStopping(monitor="val_acc", patience=2)
model.fit(x, y, epochs=2, batch_size=4, validation_data=(x, y), callbacks=[stop])
"""
FUNCTIONAL = HEADER + """
inputs = keras.Input((6,))
h = layers.Dense(8, name="hidden")(inputs)
h = layers.Dropout(0.25, name="drop")(h)
outputs = layers.Dense(2, activation="softmax", name="out")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(np.zeros((8, 6)), np.eye(2)[np.arange(8) % 2], epochs=1)
"""
LEGACY_CALLS = HEADER + """
model = keras.Sequential([keras.Input((6,)), layers.Dense(3, activation="softmax", name="out")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit_generator(np.zeros((8, 6)), np.eye(3)[np.arange(8) % 3], epochs=2)
classes = model.predict_classes(np.linspace(-1, 1, 12).reshape(2, 6))
"""
LEGACY_FIT = HEADER + """
EPOCHS = 3
model = keras.Sequential([keras.Input((6,)), layers.Dense(1, activation="sigmoid", name="out")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((8, 6)), np.zeros(8), nb_epoch=EPOCHS)
"""

#: A Keras 3 alias (``Convolution1D``) upgraded to its own name: the script-only
#: edit changes the spelling, never the model.
LEGACY_SPELLING = HEADER + """
model = keras.Sequential([keras.Input((6, 2)), layers.Convolution1D(4, 3, name="conv"), layers.Flatten(),
                          layers.Dense(1, activation="sigmoid", name="out")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((8, 6, 2)), np.zeros(8), epochs=1)
"""

#: Targets stored as 0/255: the data edit rescales what fit() trains and validates on, never the model.
DATA_255 = HEADER + """
model = keras.Sequential([keras.Input((6,)), layers.Dense(2, activation="sigmoid", name="out")])
model.compile(optimizer="adam", loss="binary_crossentropy")
x = np.linspace(0, 1, 48).reshape(8, 6)
y = (np.arange(16).reshape(8, 2) % 3 == 0) * 255.0
model.fit(x, y, epochs=1, validation_data=(x, y))
"""


def _call_origin(code: str, callee: str):
    """The source position of the first ``...callee(...)`` call in ``code``."""
    import ast

    from autofix.source.text import SourceText

    call = next(n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Call)
                and getattr(n.func, "attr", None) == callee)
    return SourceText(code, "train.py").origin(call)


@dataclass
class Run:
    """What a script built and the fit() call it made."""

    model: Any
    namespace: dict[str, Any]
    fit_args: tuple = ()
    fit_kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def y(self) -> Any:
        return self.fit_args[1] if len(self.fit_args) > 1 else self.fit_kwargs.get("y")


def _predict_classes(self, x, **kwargs):
    """Keras 2's ``Sequential.predict_classes``: argmax for several units, else a 0.5 threshold."""
    proba = self.predict(x, verbose=0, **kwargs)
    return proba.argmax(axis=-1) if proba.shape[-1] > 1 else (proba > 0.5).astype("int32")


def execute(code: str) -> Run:
    """Run a script with fit()/fit_generator() recorded and Keras 2's predict_classes available."""
    calls: list[tuple[tuple, dict]] = []

    def record(self, *args, **kwargs):
        calls.append((args, kwargs))

    namespace: dict[str, Any] = {}
    with mock.patch.object(keras.Model, "fit", record), \
            mock.patch.object(keras.Model, "fit_generator", record, create=True), \
            mock.patch.object(keras.Model, "predict_classes", _predict_classes, create=True):
        exec(compile(code, "<conformance>", "exec"), namespace)
    args, kwargs = calls[-1] if calls else ((), {})
    return Run(namespace["model"], namespace, args[1:] if args and args[0] is namespace["model"] else args,
               dict(kwargs))


def rewrite(code: str, edits: list) -> str:
    """The script with ``edits`` applied by the source backend (they must be applicable)."""
    spec = extract_source(code, "train.py", "3.15.1")[0]
    tree = SourceTree.parse(code)
    assert source.check_applicable(tree, spec, edits) is None
    return source.apply_edits(tree, [(spec, edits)]).code


def _fit_keywords(kwargs: dict[str, Any]) -> dict[str, Any]:
    """fit() keywords comparable across runs (callbacks and arrays summarised)."""
    out = {}
    for key, value in kwargs.items():
        if key == "callbacks":
            value = [(type(cb).__name__, getattr(cb, "monitor", None)) for cb in value]
        elif key == "validation_data":
            value = len(value)
        out[key] = value
    return out


def _optimizer(model: Any) -> dict[str, Any]:
    config = model.get_compile_config()["optimizer"]
    return {"learning_rate": round(float(config["config"]["learning_rate"]), 8)} if isinstance(config, dict) else config


def _observable(model: Any, fit_kwargs: dict[str, Any], label_encoding: str | None) -> tuple:
    """Everything an edit can change about a model and how to train it."""
    return (layer_signature(model), compile_signature(model), _optimizer(model),
            model.get_compile_config()["metrics"], _fit_keywords(fit_kwargs), label_encoding)


@dataclass
class Case:
    script: str
    edits: list
    #: extra checks: (original run, graph Rebuilt, source run)
    check: Callable[[Run, graph.Rebuilt, Run], None] | None = None


def _labels_are_indices(before: Run, rebuilt: graph.Rebuilt, after: Run) -> None:
    assert rebuilt.label_encoding == "indices"
    as_told = np.asarray(before.y).argmax(-1)  # what the graph report tells the user to pass
    np.testing.assert_array_equal(np.asarray(after.y), as_told)
    validation_labels = after.fit_kwargs["validation_data"][1]
    np.testing.assert_array_equal(np.asarray(validation_labels), as_told)


def _callback_copied(before: Run, rebuilt: graph.Rebuilt, after: Run) -> None:
    assert before.fit_kwargs["callbacks"][0].monitor == "val_acc", "the user's callback must not change"
    assert rebuilt.fit_kwargs["callbacks"][0] is not before.fit_kwargs["callbacks"][0]


def _targets_rescaled(before: Run, rebuilt: graph.Rebuilt, after: Run) -> None:
    np.testing.assert_allclose(np.asarray(after.y), np.asarray(before.y) / 255)
    np.testing.assert_allclose(np.asarray(after.fit_kwargs["validation_data"][1]), np.asarray(before.y) / 255)
    np.testing.assert_array_equal(np.asarray(before.y), np.asarray(rebuilt.fit_kwargs["validation_data"][1]))


def _same_predictions(before: Run, rebuilt: graph.Rebuilt, after: Run) -> None:
    np.testing.assert_array_equal(after.namespace["classes"], before.namespace["classes"])


CASES = {
    SetLayerArg: Case(SEQUENTIAL, [SetLayerArg("hidden", "activation", "relu")]),
    InsertLayer: Case(FUNCTIONAL, [InsertLayer("hidden", NewLayer.of("Activation", activation="relu"))]),
    ReplaceLayer: Case(SEQUENTIAL, [ReplaceLayer("hidden", NewLayer.of("Dense", units=4, activation="tanh"))]),
    RemoveLayer: Case(FUNCTIONAL, [RemoveLayer("drop")]),
    SetLoss: Case(SEQUENTIAL, [SetLoss("categorical_crossentropy", (("from_logits", True),))]),
    SetOptimizerArg: Case(SEQUENTIAL, [SetOptimizerArg("learning_rate", 0.01)]),
    SetCompileArg: Case(SEQUENTIAL, [SetCompileArg("metrics", ["accuracy"])]),
    SetFitArg: Case(SEQUENTIAL, [SetFitArg("shuffle", False)]),
    SetLabelEncoding: Case(SEQUENTIAL, [SetLayerArg("out", "units", 1), SetLayerArg("out", "activation", "sigmoid"),
                                        SetLoss("binary_crossentropy"), SetLabelEncoding("indices")],
                           _labels_are_indices),
    SetCallbackArg: Case(SEQUENTIAL, [SetCallbackArg("EarlyStopping", "monitor", "val_accuracy")], _callback_copied),
    RenameMethod: Case(LEGACY_CALLS, [RenameMethod("fit_generator", "fit"),
                                      RenameMethod("predict_classes", "predict", "argmax")], _same_predictions),
    RenameArg: Case(LEGACY_FIT, [RenameArg("fit", "nb_epoch", "epochs")]),
    UpgradeSource: Case(LEGACY_SPELLING, [UpgradeSource("upgrade_layer", _call_origin(LEGACY_SPELLING, "Convolution1D"),
                                                        "Convolution1D", "Conv1D")]),
    ChangeData: Case(DATA_255, [ChangeData("rescale_targets", (0.0, 255.0))], _targets_rescaled),
}


def test_every_edit_type_has_a_case():
    assert set(CASES) == set(EDIT_TYPES)


@pytest.mark.parametrize("edit_type", list(CASES), ids=lambda t: t.__name__)
def test_graph_and_source_backends_agree(edit_type):
    case = CASES[edit_type]
    keras.utils.set_random_seed(0)
    before = execute(case.script)
    rebuilt = graph.apply_edits(before.model, case.edits, before.fit_kwargs)
    keras.utils.set_random_seed(0)
    after = execute(rewrite(case.script, case.edits))
    assert layer_signature(rebuilt.model) == layer_signature(after.model)
    # every edit changes something on both backends (the live one leaves script-only edits alone)
    assert rewrite(case.script, case.edits) != case.script
    if edit_type in SCRIPT_ONLY:
        assert _observable(rebuilt.model, rebuilt.fit_kwargs, rebuilt.label_encoding) == \
            _observable(before.model, before.fit_kwargs, None)
    else:
        assert _observable(rebuilt.model, rebuilt.fit_kwargs, rebuilt.label_encoding) != \
            _observable(before.model, before.fit_kwargs, None)
    assert compile_signature(rebuilt.model) == compile_signature(after.model)
    assert _optimizer(rebuilt.model) == _optimizer(after.model)
    assert rebuilt.model.get_compile_config()["metrics"] == after.model.get_compile_config()["metrics"]
    assert _fit_keywords(rebuilt.fit_kwargs) == _fit_keywords(after.fit_kwargs)
    if case.check is not None:
        case.check(before, rebuilt, after)


#: More cases of an edit type already covered above (``CASES`` holds one per type).
EXTRA_CASES = {
    # the repair search's "optimizer -> Adam at its defaults" (autofix/strategies/as104_adam_default.py)
    "optimizer-replaced": Case(SEQUENTIAL.replace("keras.optimizers.Adam(learning_rate=0.001)",
                                                  "keras.optimizers.SGD(learning_rate=0.5, momentum=0.9)"),
                               [SetCompileArg("optimizer", "adam")]),
    "optimizer-positional": Case(FUNCTIONAL.replace('model.compile(optimizer="adam", ',
                                                    'model.compile(keras.optimizers.SGD(0.5), '),
                                 [SetCompileArg("optimizer", "adam")]),
}


@pytest.mark.parametrize("name", list(EXTRA_CASES))
def test_extra_cases_agree(name):
    case = EXTRA_CASES[name]
    keras.utils.set_random_seed(0)
    before = execute(case.script)
    rebuilt = graph.apply_edits(before.model, case.edits, before.fit_kwargs)
    keras.utils.set_random_seed(0)
    after = execute(rewrite(case.script, case.edits))
    assert compile_signature(rebuilt.model) == compile_signature(after.model)
    for run in (rebuilt, after):
        assert type(run.model.optimizer).__name__ == "Adam"
    configs = [{k: v for k, v in run.model.get_compile_config()["optimizer"]["config"].items() if k != "name"}
               for run in (rebuilt, after)]
    assert configs[0] == configs[1]
