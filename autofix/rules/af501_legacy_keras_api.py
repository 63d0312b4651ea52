"""AF501 legacy-keras-api."""

from __future__ import annotations

from collections import defaultdict

from ..edits import NewLayer, RenameMethod, ReplaceLayer, SetFitArg, SetLayerArg, SetOptimizerArg
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._head import Head
from .base import Example, Rule

#: Keras 2 ``*_generator`` methods: Keras 3's fit/evaluate/predict take generators.
GENERATOR_METHODS = {"fit_generator": "fit", "evaluate_generator": "evaluate", "predict_generator": "predict"}


def _unique(uses):
    seen, out = set(), []
    for use in uses:
        key = (use.kind, use.old, use.origin.line, use.origin.col)
        if key not in seen:
            seen.add(key)
            out.append(use)
    return out


class LegacyKerasApi(Rule):
    """Keras 1/2 names that fail or silently misbehave in Keras 3.

    ## What it does
    Finds Keras 1/2 spellings in a training script: ``nb_filter``,
    ``filter_length``, ``border_mode``, ``subsample``, ``init``, ``output_dim``,
    ``W_regularizer``, ``Convolution1D/2D``, ``lr=`` on optimizers, ``nb_epoch``,
    ``fit_generator`` and ``predict_classes``.

    ## Why is this bad?
    Keras 3 rejects most of these, and where a layer swallows unknown keyword
    arguments the setting is silently lost (the model trains with defaults).
    Scripts copied from old answers mix them with modern code.

    ## Example
    ``Convolution1D(nb_filter=16, filter_length=4, border_mode='same')``.

    ## Fix safety
    Safe: the names are renamed to their Keras 3 equivalents, values kept;
    ``fit_generator``/``evaluate_generator``/``predict_generator`` become
    ``fit``/``evaluate``/``predict`` (not when the call passes ``workers``,
    ``use_multiprocessing`` or ``max_queue_size``, which Keras 3 moved to
    ``PyDataset``). ``predict_classes(x)`` becomes
    ``(model.predict(x) > 0.5).astype("int32")`` for a one-unit output and
    ``model.predict(x).argmax(axis=-1)`` otherwise, as Keras 2 decided it;
    that fix is unsafe because the output width is read from the script's
    model, not from the object the call is made on.

    ## Keras versions
    Keras 3 (the old names were removed in Keras 2.x/3.0).

    ## References
    Seed report 002; Keras 2.0 and 3.0 release notes.
    """

    code = "AF501"
    name = "legacy-keras-api"
    requires = ("script",)
    severity = Severity.ERROR
    applicability = Applicability.SAFE
    verify_goal = "no_worse"  # corrects reporting/spelling, not learning

    INVALID = [
        Example(
            """
model = keras.Sequential([
    keras.Input((10, 4)),
    layers.Convolution1D(nb_filter=16, filter_length=4, border_mode="same", activation="relu"),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(lr=0.001), loss="binary_crossentropy")
model.fit(np.zeros((8, 10, 4)), np.zeros(8), nb_epoch=10)
""",
            fixed="""
model = keras.Sequential([
    keras.Input((10, 4)),
    layers.Conv1D(filters=16, kernel_size=4, padding="same", activation="relu"),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="binary_crossentropy")
model.fit(np.zeros((8, 10, 4)), np.zeros(8), epochs=10)
""",
            source_only=True,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit_generator(batches, steps_per_epoch=10, epochs=2)
labels = model.predict_classes(np.zeros((2, 4)))
""",
            fixed="""
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(batches, steps_per_epoch=10, epochs=2)
labels = (model.predict(np.zeros((2, 4))) > 0.5).astype("int32")
""",
            source_only=True,
        ),
    ]
    VALID = [
        Example(
            """
model = keras.Sequential([keras.Input((10, 4)), layers.Conv1D(16, 4, padding="same", activation="relu"),
                          layers.Flatten(), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="binary_crossentropy")
model.fit(np.zeros((8, 10, 4)), np.zeros(8), epochs=10)
""",
            source_only=True,
        ),
    ]

    def check(self, spec: ModelSpec):
        facts = spec.uses
        by_layer = defaultdict(list)
        for use in _unique(facts.legacy):
            if use.kind in ("layer_kwarg", "layer_class") and use.target in {lay.name for lay in spec.layers}:
                by_layer[use.target].append(use)
            else:
                yield from self._other(spec, use)
        for name, uses in by_layer.items():
            layer = spec.layer(name)
            renames = ", ".join(f"{u.old} -> {u.new}" for u in uses)
            if any(u.kind == "layer_class" for u in uses):
                fix = self.make_fix(f"rename to Keras 3 names ({renames})",
                                    ReplaceLayer(layer.qualname, NewLayer.of(layer.class_name, **layer.config)))
            else:
                fix = self.make_fix(f"rename to Keras 3 names ({renames})",
                                    *(SetLayerArg(layer.qualname, u.new, u.value) for u in uses))
            message = (f"{layer.class_name} layer '{layer.name}' uses Keras 1/2 names ({renames}): Keras 3 "
                       "rejects them or silently ignores the setting. Use the Keras 3 names.")
            yield self.finding(message, at=uses[0].origin, fixes=[fix], layers=[layer.qualname])

    def _other(self, spec: ModelSpec, use):
        fixes = []
        if use.kind == "optimizer_kwarg" and spec.compile is not None:
            fixes = [self.make_fix(f"rename {use.old}= to {use.new}=", SetOptimizerArg(use.new, use.value))]
        elif use.kind == "fit_kwarg":
            fixes = [self.make_fix(f"rename {use.old}= to {use.new}=", SetFitArg(use.new, use.value))]
        elif use.kind == "method":
            fixes = self._method_fixes(spec, use.old)
        what = f"`{use.old}()`" if use.kind == "method" else f"`{use.old}=`"
        message = (f"{what} is Keras 1/2 API, removed in Keras 3: the call fails or the setting is "
                   f"ignored. Use {use.new}" + ("()." if use.kind == "method" and "(" not in use.new else "."))
        yield self.finding(message, at=use.origin, fixes=fixes, severity=self.severity)

    def _method_fixes(self, spec: ModelSpec, method: str) -> list:
        """``fit_generator`` -> ``fit`` (safe); ``predict_classes`` -> decoded ``predict`` (unsafe)."""
        if method in GENERATOR_METHODS:
            new = GENERATOR_METHODS[method]
            return [self.make_fix(f"call {new}() instead of {method}()", RenameMethod(method, new))]
        head = Head.of(spec) if method == "predict_classes" else None
        if head is None:
            return []
        decode, shown = ("threshold", '(predict(x) > 0.5).astype("int32")') if head.units == 1 else (
            "argmax", "predict(x).argmax(axis=-1)")
        return [self.make_fix(f"use {shown}", RenameMethod(method, "predict", decode),
                              applicability=Applicability.UNSAFE)]
