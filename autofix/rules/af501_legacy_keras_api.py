"""AF501 legacy-keras-api."""

from __future__ import annotations

from collections import defaultdict

from ..edits import NewLayer, RenameArg, RenameMethod, ReplaceLayer, SetLayerArg, UpgradeSource
from ..findings import Applicability, Severity
from ..spec import ModelSpec
from ._head import Head
from .base import Example, Rule

#: Keras 2 ``*_generator`` methods: Keras 3's fit/evaluate/predict take generators.
GENERATOR_METHODS = {"fit_generator": "fit", "evaluate_generator": "evaluate", "predict_generator": "predict"}
#: Data-loading keywords of the Keras 1/2 generator methods (Keras 3 has them on ``keras.utils.PyDataset``).
LOADER_KWARGS = ("workers", "use_multiprocessing", "max_queue_size", "nb_worker", "pickle_safe", "max_q_size")


def _bound_layer(spec: ModelSpec, use):
    """The layer of ``spec`` a layer-level use is about: named by it *and* written in its
    constructor call (two models may reuse a layer name), else None.  A name two layers of
    ``spec`` share (one per if/elif branch) addresses neither: such a use is upgraded where it
    is written, by position."""
    if use.kind not in ("layer_kwarg", "layer_class", "layer_kernel"):
        return None
    named = [lay for lay in spec.layers if lay.name == use.target]
    if len(named) != 1:
        return None
    layer = named[0]
    span, at = layer.origin, use.origin
    if span.line is None or at.line is None:
        return layer
    inside = (span.line, span.col or 0) <= (at.line, at.col or 0) and \
        (at.end_line or at.line, at.end_col or at.col or 0) <= (span.end_line or span.line, span.end_col or 10 ** 9)
    return layer if inside else None


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
    Finds Keras 1/2 spellings anywhere in a training script (the models it
    follows, layers built elsewhere, optimizers in variables, imports,
    ``keras.backend`` calls) and upgrades each one in place:

    | Keras 1/2 | Keras 3 |
    | --- | --- |
    | `nb_filter`, `filter_length`, `border_mode`, `subsample(_length)`, `pool_length`, `stride` | `filters`, `kernel_size`, `padding`, `strides`, `pool_size`, `strides` |
    | `Convolution2D(32, 3, 3)`, `nb_row`/`nb_col` (also on `ConvLSTM2D`), `kernel_dim1..3` | `Conv2D(32, (3, 3))` |
    | `Deconvolution2D(n, r, c, output_shape)` | `Conv2DTranspose(n, (r, c))` (Keras 3 infers the shape) |
    | `init`, `inner_init`, `inner_activation`, `output_dim` | `kernel_initializer` (`embeddings_initializer` on Embedding), `recurrent_initializer`, `recurrent_activation`, `units` |
    | `W_/b_/U_regularizer`, `W_/b_/U_constraint`, `maxnorm` | `kernel_/bias_/recurrent_regularizer`, `..._constraint`, `keras.constraints.MaxNorm` |
    | `dropout_W`, `dropout_U`, `consume_less` | `dropout`, `recurrent_dropout`, removed (speed only) |
    | `dim_ordering='th'/'tf'`, `data_format='th'` | `data_format='channels_first'/'channels_last'` |
    | `K.image_dim_ordering() == 'th'`, `K.set_image_dim_ordering('th')` | `K.image_data_format() == 'channels_first'`, `K.set_image_data_format(...)` |
    | `merge([a, b], mode='concat', concat_axis=1)` (also `merge([a, b], 'concat')`, `merge as m`; `sum`, `mul`, `ave`, `max`, `dot`, `cos`) | `concatenate([a, b], axis=1)` (`add`, `multiply`, `average`, `maximum`, `dot(axes=)`, `dot(normalize=True)`) |
    | `Merge(mode='sum')` | `Add()` (and the other layer classes) |
    | `m = Sequential(); m.add(Merge([a, b], mode='sum')); m.add(L)` (whole models, nested ones too) | `m_x = add([a.outputs[0], b.outputs[0]]); m_x = L(m_x); m = Model([a.inputs[0], b.inputs[0]], m_x)` (the leaves' inputs, deduplicated as Keras 1 did; `Embedding(input_length=n)` of a leaf -> `input_shape=(n,)`) |
    | `merge([a, b], mode=f, output_shape=s)` (`f` a lambda or a `def`) | `Lambda(f, output_shape=s)([a, b])` |
    | `BatchNormalization(mode=0)` | `BatchNormalization()` |
    | `Model(input=, output=)` | `Model(inputs=, outputs=)` |
    | `from keras.utils import np_utils` / `np_utils.to_categorical` | `keras.utils.to_categorical` |
    | `keras.objectives.X`, `keras.layers.core` (any layer submodule), `keras.utils.data_utils` | `keras.losses.X`, `keras.layers`, `keras.utils` |
    | `lr=`, `decay=` on optimizers | `learning_rate=`, `learning_rate=keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)` |
    | `nb_epoch`, `show_accuracy` | `epochs`, removed (a display flag) |
    | `samples_per_epoch=N`, `nb_val_samples=N`, `val_samples=N` | `steps_per_epoch=math.ceil(N / batch_size)` ... when the generator's batch size is a literal, or `math.ceil(N / gen.minibatch_size)` when `gen = Cls(minibatch_size=32)` stores it for its generator method |
    | `fit_generator(generator=g)`, `evaluate_generator`, `predict_generator` | `fit(x=g)`, `evaluate`, `predict` |
    | `predict_classes(x)`, `predict_proba(x)` | `predict(x).argmax(-1)` / `> 0.5`, `predict(x)` |

    Reported without a fix (the code is left as it is, the message says why):
    ``weights=`` on a layer constructor, ``batch_input_shape=``, ``Merge([m1, m2])``
    of whole models whose input shapes or build the script does not show (a leaf
    without ``input_shape=``, ``add()`` calls elsewhere, a name bound twice),
    ``merge`` with a mode that is not visibly a function, or ``output_shape`` on a named mode,
    ``BatchNormalization(mode=1/2)``, ``samples_per_epoch`` when the batch size
    is not a literal, ``image_dim_ordering()`` used beyond a comparison, and
    ``np_utils``/``keras.utils.*`` functions Keras 3 no longer has.

    ## Why is this bad?
    Keras 3 rejects most of these, and where a layer swallows unknown keyword
    arguments the setting is silently lost (the model trains with defaults):
    ``decay=`` is ignored with a warning, ``Convolution2D(32, 3, 3)`` silently
    becomes a 3-wide kernel with strides 3. Scripts copied from old answers mix
    them with modern code.

    ## Example
    ``Convolution1D(nb_filter=16, filter_length=4, border_mode='same')``.

    ## Fix safety
    Safe: each fix renames the one name it reports, where it is written; the
    argument's expression is kept verbatim (``nb_epoch=E`` -> ``epochs=E``).
    ``fit_generator``/``evaluate_generator``/``predict_generator`` become
    ``fit``/``evaluate``/``predict``; a call passing ``workers``,
    ``use_multiprocessing`` or ``max_queue_size`` (which Keras 3 moved to
    ``PyDataset``) is renamed only as an unsafe fix that drops them.
    ``predict_classes(x)`` becomes ``(model.predict(x) > 0.5).astype("int32")``
    for a one-unit output and ``model.predict(x).argmax(axis=-1)`` otherwise, as
    Keras 2 decided it; that fix is unsafe because the output width is read from
    the script's model, not from the object the call is made on.
    ``merge(mode='cos')`` -> ``dot(normalize=True)`` is unsafe: Keras 1 added an
    axis to the output.  A merging Sequential rewritten as a functional
    ``Model`` keeps its layers, its sub-models' weights (a model merged twice
    is one set of layers) and Keras 1's input order, so ``fit([x1, x2], y)``
    keeps working; each statement it rewrites keeps its comments.  A layer name
    two layers share (one per ``if``/``elif`` branch) cannot address one of
    them, so those calls are upgraded where they are written, by position.

    ## Keras versions
    Keras 3 (the old names were removed in Keras 2.x/3.0).

    ## References
    Seed report 002; Keras 2.0 and 3.0 release notes; Keras 2's
    ``keras/legacy/interfaces.py`` conversions.
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
            message="rejects them or silently ignores the setting. Use",
            line=3,
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
            message="the call fails or the setting is ignored",
            line=3,
        ),
        Example(
            """
from keras import backend as K
from keras.utils import np_utils
channels_first = K.image_dim_ordering() == "th"
labels = np_utils.to_categorical(np.arange(8) % 2, 2)
inputs = keras.Input((4,))
left = layers.Dense(2, init="he_normal")(inputs)
right = layers.Dense(2, W_regularizer=None)(inputs)
merged = layers.merge([left, right], mode="concat", concat_axis=-1)
model = keras.Model(input=inputs, output=merged)
""",
            fixed="""
from keras import backend as K
channels_first = K.image_data_format() == "channels_first"
labels = keras.utils.to_categorical(np.arange(8) % 2, 2)
inputs = keras.Input((4,))
left = layers.Dense(2, kernel_initializer="he_normal")(inputs)
right = layers.Dense(2, kernel_regularizer=None)(inputs)
merged = layers.concatenate([left, right], axis=-1)
model = keras.Model(inputs=inputs, outputs=merged)
""",
            source_only=True,
            message="`merge(mode='concat')` is Keras 1/2 API, removed in Keras 3",
            line=8,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.SGD(lr=0.1, decay=1e-4), loss="binary_crossentropy")
model.fit(np.zeros((8, 4)), np.zeros(8), nb_epoch=2, show_accuracy=True)
""",
            fixed="""
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-4)), loss="binary_crossentropy")
model.fit(np.zeros((8, 4)), np.zeros(8), epochs=2)
""",
            source_only=True,
            message="Keras 3 ignores decay=",
            line=2,
        ),
        Example(
            """
model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid", weights=[w, b])])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((8, 4)), np.zeros(8), epochs=2)
""",
            source_only=True,
            message="no Keras 3 equivalent here: Keras 3 layers take no initial weights",
            line=1,
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
            layer = _bound_layer(spec, use)
            if layer is not None:
                by_layer[layer.name].append(use)
            elif use.kind == "upgrade":
                yield self._upgrade(use)
            else:
                yield from self._other(spec, use)
        for name, uses in by_layer.items():
            layer = spec.layer(name)
            renames = ", ".join(f"{u.old} -> {u.new}" for u in uses)
            if any(u.kind in ("layer_class", "layer_kernel") for u in uses):
                fix = self.make_fix(f"rename to Keras 3 names ({renames})",
                                    ReplaceLayer(layer.qualname, NewLayer.of(layer.class_name, **layer.config)))
            else:
                fix = self.make_fix(f"rename to Keras 3 names ({renames})",
                                    *(SetLayerArg(layer.qualname, u.new, u.value) for u in uses))
            message = (f"{layer.class_name} layer '{layer.name}' uses Keras 1/2 names ({renames}): Keras 3 "
                       "rejects them or silently ignores the setting. Use the Keras 3 names.")
            yield self.finding(message, at=uses[0].origin, fixes=[fix], layers=[layer.qualname])

    def _upgrade(self, use):
        """A script-level Keras 1/2 spelling (:mod:`autofix.source.upgrade`): its own edits, or a report."""
        plan = use.value
        note = f" ({plan.note})" if plan.note else ""
        if not plan.edits:
            message = (f"`{use.old}` is Keras 1/2 API with no Keras 3 equivalent here: {plan.note}. Left as it "
                       "is: port it by hand.")
            return self.finding(message, at=use.origin, severity=self.severity)
        action = f"use {use.new}" if use.new else f"remove {use.old}"
        fix = self.make_fix(action, *plan.edits,
                            applicability=Applicability.UNSAFE if plan.unsafe else None)
        message = (f"`{use.old}` is Keras 1/2 API, removed in Keras 3: the call fails or the setting is "
                   f"ignored. " + (f"Use {use.new}" if use.new else "Remove it") + f"{note}.")
        return self.finding(message, at=use.origin, fixes=[fix], severity=self.severity)

    def _other(self, spec: ModelSpec, use):
        fixes = []
        if use.kind in ("optimizer_kwarg", "fit_kwarg"):  # renamed where it is written, value kept as written
            fixes = [self.make_fix(f"rename {use.old}= to {use.new}=",
                                   RenameArg(use.kind.split("_")[0], use.old, use.new, use.origin))]
        elif use.kind == "layer_kwarg":  # a layer outside this model: renamed where it is written
            fixes = [self.make_fix(f"rename {use.old}= to {use.new}=",
                                   UpgradeSource("rename_arg", use.origin, use.old, use.new))]
        elif use.kind in ("layer_class", "layer_kernel"):
            fixes = [self.make_fix(f"use {use.new}", UpgradeSource(
                "upgrade_layer", use.origin, use.old if use.kind == "layer_class" else None, use.new))]
        elif use.kind == "method":
            fixes = self._method_fixes(spec, use.old)
        what = {"method": f"`{use.old}()`", "layer_class": f"The `{use.old}` layer class",
                "layer_kernel": f"A Keras 1 kernel ({use.old})"}.get(use.kind, f"`{use.old}=`")
        message = (f"{what} is Keras 1/2 API, removed in Keras 3: the call fails or the setting is "
                   f"ignored. Use {use.new}" + ("()." if use.kind == "method" and "(" not in use.new else "."))
        yield self.finding(message, at=use.origin, fixes=fixes, severity=self.severity)

    def _method_fixes(self, spec: ModelSpec, method: str) -> list:
        """``fit_generator`` -> ``fit`` (safe); ``predict_classes`` -> decoded ``predict`` (unsafe)."""
        if method in GENERATOR_METHODS:
            new = GENERATOR_METHODS[method]
            loaders = "/".join(f"{k}=" for k in LOADER_KWARGS[:3])
            return [self.make_fix(f"call {new}() instead of {method}()", RenameMethod(method, new)),
                    # the first cannot be written when a call passes workers=...: Keras 3 moved them
                    self.make_fix(f"call {new}() instead of {method}(), without {loaders} (data loads in "
                                  "the main thread; wrap the generator in a keras.utils.PyDataset to keep workers)",
                                  RenameMethod(method, new, drop=LOADER_KWARGS), applicability=Applicability.UNSAFE)]
        head = Head.of(spec) if method == "predict_classes" else None
        if head is None:
            return []
        decode, shown = ("threshold", '(predict(x) > 0.5).astype("int32")') if head.units == 1 else (
            "argmax", "predict(x).argmax(axis=-1)")
        return [self.make_fix(f"use {shown}", RenameMethod(method, "predict", decode),
                              applicability=Applicability.UNSAFE)]
