"""Count Keras 1 / Keras-2-removed API names in Python source, ignoring comments and prose.

The scanner works on ``tokenize`` tokens (so it also reads Python 2 files that
``ast`` rejects) and turns a script into *events*, one per syntactic fact:

=========================  ==============================================================
``kw:<callee>:<name>``     keyword argument ``name=`` in a call to ``...<callee>(...)``
                           (``callee`` is the last dotted component; ``?`` when the callee
                           is not a name, e.g. ``f()(x=1)``); ``def`` parameter lists and
                           ``lambda`` parameters are not calls and give no events
``kwval:<callee>:<k>=<s>`` a keyword argument whose value is one string literal ``s``
``kwlocal:...``            (and ``kwlocalval``) the same for a callee defined in the script
                           (``class MyModel``, ``def train``): never counted
``kwforeign:...``          the same for ``torch.optim.Adam(lr=)``, ``np.foo(...)``: never counted
``call:<dotted>:pos=<n>``  a call with ``n`` positional arguments (``*args`` not counted)
``ref:<dotted>``           a (dotted) name used in code, outside import statements
``import:<module>``        ``import module`` / ``from module import ...``
``importname:<mod>.<n>``   each name imported by ``from mod import n``
=========================  ==============================================================

Strings are never searched, except the value of a keyword argument (``kwval``),
so docstrings, ``print('nb_epoch ...')`` and comments do not count.  A
pattern is a regular expression over these events; :data:`PATTERNS` is the list
used by ``run.py`` and documented in the README, each with its *kind*:

* ``k1``      - Keras 1 API, renamed or removed in Keras 2;
* ``k2``      - Keras 2 API removed (or silently ignored) in Keras 3;
* ``backend`` - ``keras.backend`` (``K.``) functions of Keras 2 that Keras 3's
  ``keras.backend`` no longer has (they moved to ``keras.ops``): reported in a
  separate total, as they are a port rather than a rename;
* ``info``    - still valid in Keras 3 (shown, never counted), e.g. the
  ``Convolution2D`` alias of ``Conv2D``.

Keras 3 facts were checked against the installed Keras 3.14 sources
(``keras/src/...``): ``Convolution1D/2D/3D`` and ``SeparableConvolution2D`` are
exported aliases; ``Deconvolution2D``, ``merge``/``Merge``, ``MaxoutDense``,
``Highway``, ``TimeDistributedDense`` and the ``keras.layers.core``-style
modules are gone; ``Layer.__init__`` rejects unknown keyword arguments
(``weights=``, ``init=`` ... raise ``ValueError``); optimizers raise on ``lr=``
and *warn and ignore* ``decay=``; ``Embedding(input_length=)`` only warns.
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize
from dataclasses import dataclass, field

OPTIMIZERS = r"(?:SGD|RMSprop|Adagrad|Adadelta|Adam|Adamax|Nadam|AdamW|Ftrl|Lion)"
LAYER = r"[A-Z]\w*"  # a CapWords callee: a layer/model class, never a user function like make_model()
APPLICATIONS = r"(?:VGG|ResNet|Inception|Xception|MobileNet|DenseNet|NASNet|EfficientNet|ConvNeXt)\w*"
CONV2D = r"(?:Convolution2D|Conv2D|AtrousConvolution2D|SeparableConvolution2D|SeparableConv2D|Deconvolution2D|Conv2DTranspose|ConvLSTM2D)"
LAYER_MODULES = (r"core|convolutional|convolutional_recurrent|recurrent|normalization|advanced_activations|"
                 r"embeddings|pooling|wrappers|merge|noise|local|cudnn_recurrent")
UTILS_MODULES = r"generic_utils|visualize_util|vis_utils|data_utils|io_utils|layer_utils|conv_utils"
# keras.backend in Keras 3.14 exports only these (keras/backend/__init__.py)
K3_BACKEND = frozenset("""result_type clear_session is_keras_tensor is_float_dtype is_int_dtype standardize_dtype
backend epsilon floatx image_data_format set_epsilon set_floatx set_image_data_format get_uid
Variable""".split())  # Variable: used as keras.backend.Variable by Keras 3 HEAD's own examples


@dataclass(frozen=True)
class Pattern:
    name: str
    kind: str
    regex: str
    keras3: str  # the Keras 3 spelling / what happens in Keras 3

    def matches(self, event: str) -> bool:
        return re.search(self.regex, event) is not None


def _kw(*names: str, callee: str = r"[^:]*") -> str:
    return rf"^kw:{callee}:(?:{'|'.join(names)})$"


def _ref(*names: str, tail: bool = False) -> str:
    """A name used in code (also as a component of a dotted name, e.g. ``np_utils.to_categorical``,
    unless ``tail``: then only as the last component) or imported by ``from ... import name``."""
    alt = "|".join(names)
    rest = "" if tail else r"(?:\..*)?"
    return rf"^(?:ref:(?:.*\.)?(?:{alt}){rest}|importname:(?:.*\.)?(?:{alt}))$"


PATTERNS: list[Pattern] = [
    # --- Keras 1 keyword arguments --------------------------------------------------------
    Pattern("nb_epoch=", "k1", _kw("nb_epoch"), "epochs="),
    Pattern("nb_filter=", "k1", _kw("nb_filter"), "filters="),
    Pattern("nb_row=/nb_col=", "k1", _kw("nb_row", "nb_col"), "kernel_size=(r, c)"),
    Pattern("kernel_dim1/2/3=", "k1", _kw("kernel_dim1", "kernel_dim2", "kernel_dim3"), "kernel_size=(d1, d2, d3)"),
    Pattern("filter_length=", "k1", _kw("filter_length"), "kernel_size="),
    Pattern("border_mode=", "k1", _kw("border_mode"), "padding="),
    Pattern("subsample=", "k1", _kw("subsample", "subsample_length"), "strides="),
    Pattern("pool_length=", "k1", _kw("pool_length"), "pool_size="),
    Pattern("stride= (1D pooling)", "k1", _kw("stride", callee=r"\w*Pool(?:ing)?1D"), "strides="),
    Pattern("init=", "k1", _kw("init", callee=LAYER), "kernel_initializer="),
    Pattern("inner_init=", "k1", _kw("inner_init", callee=LAYER), "recurrent_initializer="),
    Pattern("inner_activation=", "k1", _kw("inner_activation", callee=LAYER), "recurrent_activation="),
    Pattern("forget_bias_init=", "k1", _kw("forget_bias_init", callee=LAYER), "unit_forget_bias="),
    Pattern("W_/U_/b_regularizer=", "k1", _kw("W_regularizer", "U_regularizer", "b_regularizer", callee=LAYER),
            "kernel_/recurrent_/bias_regularizer="),
    Pattern("W_/U_/b_constraint=", "k1", _kw("W_constraint", "U_constraint", "b_constraint", callee=LAYER),
            "kernel_/recurrent_/bias_constraint="),
    Pattern("dropout_W=/dropout_U=", "k1", _kw("dropout_W", "dropout_U", callee=LAYER), "dropout=/recurrent_dropout="),
    Pattern("output_dim= (not Embedding)", "k1", _kw("output_dim", callee=r"(?!Embedding:)[A-Z]\w*"), "units="),
    Pattern("consume_less=", "k1", _kw("consume_less", callee=LAYER), "implementation="),
    Pattern("dim_ordering=", "k1", _kw("dim_ordering"), "data_format='channels_last'/'channels_first'"),
    Pattern("data_format='tf'/'th'", "k1", r"^kwval:[^:]*:data_format=[rbuRBU]*['\"](?:tf|th)['\"]$",
            "data_format='channels_last'/'channels_first'"),
    Pattern("image_dim_ordering", "k1", _ref("image_dim_ordering", "set_image_dim_ordering"), "image_data_format()"),
    Pattern("mode= (merge/BatchNormalization)", "k1", _kw("mode", callee=r"(?:merge|Merge|BatchNormalization)"),
            "Add()/Concatenate()/...; BatchNormalization has no mode"),
    Pattern("Model(input=/output=)", "k1", _kw("input", "output", callee="Model"), "Model(inputs=, outputs=)"),
    Pattern("samples_per_epoch=/nb_val_samples=/val_samples=", "k1",
            _kw("samples_per_epoch", "nb_val_samples", "val_samples"), "steps_per_epoch=/validation_steps=/steps= (batches, not samples)"),
    Pattern("nb_worker=/pickle_safe=/max_q_size=", "k1", _kw("nb_worker", "pickle_safe", "max_q_size"),
            "workers=/use_multiprocessing=/max_queue_size= (PyDataset args in Keras 3)"),
    Pattern("show_accuracy=", "k1", _kw("show_accuracy"), "metrics=['accuracy'] in compile()"),
    Pattern("class_mode=", "k1", _kw("class_mode", callee="compile"), "(removed)"),
    # --- Keras 1 positional signatures ---------------------------------------------------
    Pattern("Conv2D(n, rows, cols) positional", "k1", rf"^call:(?:.*\.)?{CONV2D}:pos=(?:[3-9]|\d\d+)$",
            "Conv2D(n, (rows, cols)); in Keras 2/3 the 3rd positional is strides"),
    Pattern("Conv3D(n, d1, d2, d3) positional", "k1", r"^call:(?:.*\.)?(?:Convolution3D|Conv3D):pos=(?:[4-9]|\d\d+)$",
            "Conv3D(n, (d1, d2, d3))"),
    # --- Keras 1 names -------------------------------------------------------------------
    Pattern("Deconvolution2D/3D", "k1", _ref("Deconvolution2D", "Deconvolution3D"), "Conv2DTranspose/Conv3DTranspose"),
    Pattern("AtrousConvolution1D/2D", "k1", _ref("AtrousConvolution1D", "AtrousConvolution2D"), "Conv1D/Conv2D(dilation_rate=)"),
    Pattern("merge/Merge", "k1", _ref("merge", "Merge", tail=True), "add/concatenate/dot/... or Add()/Concatenate()/..."),
    Pattern("MaxoutDense/Highway/TimeDistributedDense", "k1", _ref("MaxoutDense", "Highway", "TimeDistributedDense"),
            "(removed; TimeDistributed(Dense) / Dense)"),
    Pattern("maxnorm/nonneg/unitnorm", "k1", _ref("maxnorm", "nonneg", "unitnorm"), "max_norm/non_neg/unit_norm"),
    Pattern("keras.objectives", "k1", r"^(?:import:keras\.objectives(?:\..*)?|importname:keras\.objectives|ref:(?:keras\.)?objectives\..*)$", "keras.losses"),
    Pattern("predict_proba", "k1", _ref("predict_proba"), "predict()"),
    # --- Keras 2 API removed (or silently ignored) in Keras 3 -----------------------------
    Pattern("lr= (optimizer)", "k2", _kw("lr", callee=OPTIMIZERS), "learning_rate= (lr= raises)"),
    Pattern("decay= (optimizer)", "k2", _kw("decay", callee=OPTIMIZERS),
            "a LearningRateSchedule (decay= is warned about and ignored)"),
    Pattern("fit/evaluate/predict_generator", "k2", _ref("fit_generator", "evaluate_generator", "predict_generator"),
            "fit/evaluate/predict"),
    Pattern("generator= (fit/evaluate/predict)", "k2",
            _kw("generator", callee=r"(?:fit|evaluate|predict)(?:_generator)?"), "x="),
    Pattern("predict_classes", "k2", _ref("predict_classes"), "argmax of predict() / (predict() > 0.5)"),
    Pattern("np_utils", "k2", r"^(?:ref|importname|import):(?:.*\.)?np_utils(?:\..*)?$", "keras.utils.to_categorical"),
    Pattern("keras.layers.<submodule>", "k2",
            rf"^(?:import|ref):keras\.layers\.(?:{LAYER_MODULES})(?:\..*)?$", "keras.layers"),
    Pattern("keras.utils.<submodule>", "k2",
            rf"^(?:import|ref):keras\.utils\.(?:{UTILS_MODULES})(?:\..*)?$", "keras.utils"),
    Pattern("keras.engine / keras.wrappers.scikit_learn / keras.preprocessing.text", "k2",
            r"^(?:import|ref):keras\.(?:engine|wrappers\.scikit_learn|preprocessing\.text)(?:\..*)?$",
            "keras.layers/keras.Model; scikeras; TextVectorization"),
    Pattern("weights= (layer)", "k2", _kw("weights", callee=rf"(?!{APPLICATIONS}:|Embedding:)[A-Z]\w*"),
            "layer.set_weights() after build (weights= raises; Embedding keeps weights=)"),
    Pattern("batch_input_shape= (layer)", "k2", _kw("batch_input_shape", callee=r"(?!InputLayer:|Input:)[A-Z]\w*"),
            "Input(batch_shape=)"),
    Pattern("K.<function> not in Keras 3 keras.backend", "backend", r"^backend:", "keras.ops.<function>"),
    # --- valid in Keras 3: shown, not counted --------------------------------------------
    Pattern("Convolution1D/2D/3D alias (valid in Keras 3)", "info",
            _ref("Convolution1D", "Convolution2D", "Convolution3D"), "Conv1D/Conv2D/Conv3D (same class)"),
    Pattern("input_length= on Embedding (deprecated, warns)", "info", _kw("input_length", callee="Embedding"),
            "remove it"),
]
COUNTED = ("k1", "k2")


@dataclass
class _Frame:
    callee: str | None  # dotted name of the callee, None for a non-call bracket
    is_def: bool = False
    npos: int = 0
    arg_tokens: int = 0
    arg_kw: str | None = None
    arg_star: bool = False
    in_lambda: bool = False
    first_name: str | None = None


@dataclass
class Event:
    line: int
    event: str


@dataclass
class Scan:
    events: list[Event] = field(default_factory=list)
    error: str | None = None


def scan(text: str) -> Scan:
    out = Scan()
    try:
        toks = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT,
                                  tokenize.ENCODING, tokenize.ENDMARKER)]
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:  # unterminated bracket etc.
        out.error = f"tokenize: {exc}"
        return out
    emit = lambda line, ev: out.events.append(Event(line, ev))  # noqa: E731
    # classes/functions defined in this file: their keyword arguments are the script's own API
    local = {b.string for a, b in zip(toks, toks[1:]) if a.string in ("def", "class") and b.type == tokenize.NAME}
    backend_aliases: set[str] = set()
    stack: list[_Frame] = []
    in_import = False
    import_from: str | None = None
    import_buf: list[str] = []
    dotted: list[str] = []
    i = 0
    n = len(toks)

    def finish_arg(frame: _Frame) -> None:
        if frame.callee is not None and not frame.is_def and frame.arg_tokens and frame.arg_kw is None \
                and not frame.arg_star:
            frame.npos += 1
        frame.arg_tokens, frame.arg_kw, frame.arg_star, frame.in_lambda, frame.first_name = 0, None, False, False, None

    while i < n:
        tok = toks[i]
        typ, s, line = tok.type, tok.string, tok.start[0]
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < n else None
        top = stack[-1] if stack else None

        # ---- import statements (a logical line starting with import/from) -------------
        if typ == tokenize.NAME and s in ("import", "from") and not stack and (
                prev is None or prev.type == tokenize.NEWLINE or prev.string == ";"):
            in_import, import_from, import_buf = True, None, []
        if in_import:
            if typ == tokenize.NEWLINE or s == ";":
                _flush_import(import_from, import_buf, line, emit, backend_aliases)
                in_import = False
            elif s == "import" and import_buf and import_buf[0] == "from":
                import_from = "".join(import_buf[1:])
                import_buf = ["import"]
            else:
                import_buf.append(s)
            i += 1
            continue

        # ---- the current argument of the innermost call -------------------------------
        if top is not None and s not in (",", ")", "]", "}") and not (s == "=" and top.arg_tokens == 1):
            if top.arg_tokens == 0 and s in ("*", "**"):
                top.arg_star = True
            if s == "lambda":
                top.in_lambda = True
            elif s == ":" and top.in_lambda:
                top.in_lambda = False
            if top.arg_tokens == 0 and typ == tokenize.NAME:
                top.first_name = s
            top.arg_tokens += 1

        if typ == tokenize.NAME:
            dotted = dotted + [s] if prev is not None and prev.string == "." and dotted else [s]
            if not (nxt is not None and nxt.string == "."):
                name = ".".join(dotted)
                in_def_params = top is not None and top.is_def
                if not keyword.iskeyword(s) and not in_def_params and not (prev is not None and prev.string == "def") and not (
                        nxt is not None and nxt.string == "=" and top is not None and top.callee is not None
                        and top.arg_tokens == 1):
                    emit(line, f"ref:{name}")
                    if len(dotted) == 2 and dotted[0] in backend_aliases and dotted[1] not in K3_BACKEND:
                        emit(line, f"backend:{name}")
        elif typ == tokenize.STRING:
            if top is not None and top.arg_kw is not None and top.arg_tokens == 2 and not top.is_def \
                    and nxt is not None and nxt.string in (",", ")"):
                emit(line, f"{_kw_kind(top.callee, local)}val:{_last(top.callee)}:{top.arg_kw}={s}")
        elif typ == tokenize.OP:
            if s in ("(", "[", "{"):
                callee = None
                is_def = False
                if s == "(" and prev is not None:
                    if prev.type == tokenize.NAME and prev.string not in _KEYWORDS:
                        callee = ".".join(dotted) if dotted and dotted[-1] == prev.string else prev.string
                        is_def = i >= 2 and toks[i - 2].string in ("def", "class")
                    elif prev.string in (")", "]"):
                        callee = "?"
                stack.append(_Frame(callee, is_def))
            elif s in (")", "]", "}"):
                if stack:
                    frame = stack.pop()
                    finish_arg(frame)
                    if frame.callee is not None and not frame.is_def:
                        emit(line, f"call:{frame.callee}:pos={frame.npos}")
            elif s == "," and top is not None and not top.in_lambda:
                finish_arg(top)
            elif s == "=" and top is not None and top.arg_tokens == 1 and top.first_name is not None \
                    and top.callee is not None:
                top.arg_kw = top.first_name
                if not top.is_def:
                    emit(line, f"{_kw_kind(top.callee, local)}:{_last(top.callee)}:{top.first_name}")
            if s != ".":
                dotted = [] if typ != tokenize.NAME else dotted
        else:
            dotted = []
        i += 1
    return out


_KEYWORDS = frozenset("""if elif while for in not and or return yield assert del print exec with as lambda
is else await raise except""".split())


FOREIGN = frozenset("torch optim nn F np numpy jax jnp optax flax sklearn scipy tf tfa".split())


def _kw_kind(callee: str | None, local: set[str]) -> str:
    """``kw`` for a keyword of a (possibly Keras) call; ``kwlocal`` when the callee is a class or
    function defined in the script; ``kwforeign`` for ``torch.optim.Adam(lr=)``-style callees."""
    if callee in local:
        return "kwlocal"
    parts = (callee or "").split(".")
    if len(parts) > 1 and parts[0] in FOREIGN and "keras" not in parts:
        return "kwforeign"
    return "kw"


def _last(callee: str | None) -> str:
    return (callee or "?").rsplit(".", 1)[-1]


def _flush_import(import_from, buf, line, emit, backend_aliases) -> None:
    """Emit import events for one import statement (``buf``: the tokens after ``import``)."""
    toks = [t for t in (buf[1:] if buf and buf[0] in ("import", "from") else buf) if t not in ("(", ")")]
    items, cur = [], []
    for t in toks + [","]:
        if t.strip() == ",":
            if cur:
                items.append(cur)
            cur = []
        else:
            cur.append(t)
    for item in items:
        name = "".join(item[: item.index("as")] if "as" in item else item)
        alias = item[item.index("as") + 1] if "as" in item and item.index("as") + 1 < len(item) else None
        if import_from is not None:
            full = f"{import_from}.{name}"
            emit(line, f"importname:{full}")
            if full in BACKEND_MODULES:
                backend_aliases.add(alias or name)
        else:
            emit(line, f"import:{name}")
            if name in BACKEND_MODULES and alias:
                backend_aliases.add(alias)
    if import_from is not None:
        emit(line, f"import:{import_from}")


BACKEND_MODULES = frozenset({"keras.backend", "tensorflow.keras.backend", "tf.keras.backend"})


def count(text: str, patterns: list[Pattern] = PATTERNS) -> tuple[dict[str, list[int]], str | None]:
    """Per pattern name, the line numbers of its occurrences (one per matching event)."""
    result = scan(text)
    hits: dict[str, list[int]] = {p.name: [] for p in patterns}
    for ev in result.events:
        for p in patterns:
            if p.matches(ev.event):
                hits[p.name].append(ev.line)
    return hits, result.error
