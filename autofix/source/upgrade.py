"""The Keras 1/2 -> 3 upgrade of a whole script: every old spelling, with the edits that upgrade it.

The extractor records the Keras 1/2 names of the models it follows; this
module reads *every* call, import and name of the script with stdlib ``ast``
(layers built outside any model, optimizers in a variable, ``merge(...)``,
``K.image_dim_ordering()``, ``np_utils``...).  Each occurrence becomes a
:class:`~autofix.source.sites.LegacyUse` of kind ``"upgrade"`` whose
``value`` is an :class:`Upgrade`: the :class:`~autofix.edits.UpgradeSource`
edits that rewrite exactly that occurrence (bound to its own source position:
two calls with different values stay distinct, and an argument's expression
is kept as written), or no edits and the reason when Keras 3 has no
equivalent.  AF501 turns them into findings.

Never imports Keras, TensorFlow or libcst.
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass
from typing import Any

from ..edits import UpgradeSource
from ..spec import Origin
from ..values import Opaque
from . import keras1, legacy
from .names import ImportTable, keras_path
from .sites import LegacyUse
from .text import SourceText
from .upgrade_merge_models import MERGE_CLASSES, MERGE_FUNCTIONS, MERGE_KWARGS, MergedModels

#: ``keras.layers.<module>`` (Keras 1/2 submodules; Keras 3 exports every layer from ``keras.layers``).
LAYER_MODULES = frozenset("""core convolutional convolutional_recurrent recurrent normalization
advanced_activations embeddings pooling wrappers merge noise local cudnn_recurrent""".split())
#: ``keras.utils.<module>`` submodules whose names Keras 3 exports from ``keras.utils``.
UTILS_MODULES = frozenset("np_utils data_utils generic_utils io_utils layer_utils vis_utils conv_utils".split())
#: What Keras 3's ``keras.utils`` exports (of what Keras 1/2 scripts import from its submodules).
K3_UTILS = frozenset("""to_categorical normalize get_file Progbar plot_model model_to_dot Sequence PyDataset
CustomObjectScope custom_object_scope get_custom_objects pad_sequences array_to_img img_to_array load_img
save_img set_random_seed get_source_inputs""".split())
#: Functions of Keras 1's ``keras.objectives`` that ``keras.losses`` still has under the same name.
K3_LOSS_FUNCTIONS = frozenset("""binary_crossentropy categorical_crossentropy sparse_categorical_crossentropy
mean_squared_error mean_absolute_error mean_absolute_percentage_error mean_squared_logarithmic_error hinge
squared_hinge categorical_hinge poisson""".split())
#: Module aliases whose attributes move: bound name -> (Keras 3 module below ``keras.``, attributes kept).
MODULE_ALIASES = {"keras.utils.np_utils": ("utils", frozenset({"to_categorical", "normalize"})),
                  "keras.objectives": ("losses", K3_LOSS_FUNCTIONS)}
#: Keras 1 ``merge`` keywords with a function ``mode`` that Keras 3's ``Lambda`` takes as they are.
LAMBDA_KWARGS = frozenset({"mode", "output_shape", "arguments", "name"})
#: Keras 1 constraint functions -> Keras 3 classes.
CONSTRAINTS = {"maxnorm": "MaxNorm", "nonneg": "NonNeg", "unitnorm": "UnitNorm"}
#: Keras 2 default learning rates (``decay=`` without ``lr=`` decayed these).
DEFAULT_LR = {"SGD": "0.01", "RMSprop": "0.001", "Adagrad": "0.01", "Adadelta": "1.0", "Adam": "0.001",
              "Adamax": "0.002", "Nadam": "0.002"}
DIM_ORDERING = {"th": "channels_first", "tf": "channels_last"}
#: Methods (and constructors) whose keywords follow fit()'s vocabulary.
FIT_LIKE = frozenset({"fit", "fit_generator", "evaluate", "evaluate_generator", "predict_generator", "predict",
                      "KerasClassifier", "KerasRegressor"})
FIT_RENAMES = {"nb_epoch": "epochs"}
#: Keras 1 fit()-family keywords counted in samples; Keras 2/3 count batches.
SAMPLE_COUNTS = {"samples_per_epoch": "steps_per_epoch", "nb_val_samples": "validation_steps", "val_samples": "steps"}
#: Keras 2 generator-method keywords Keras 3 moved to ``keras.utils.PyDataset`` (Keras 1 spellings too).
LOADER_KWARGS = frozenset({"workers", "use_multiprocessing", "max_queue_size", "nb_worker", "pickle_safe",
                           "max_q_size"})
#: Keras 1 also exported ``Conv2D = Convolution2D``: a call with Keras 1 keywords uses the Keras 1 signature.
KERAS1_ALIASES = {"Conv2D": "Convolution2D", "Conv3D": "Convolution3D"}
KERAS1_KEYWORDS = frozenset({"border_mode", "subsample", "init", "dim_ordering", "W_regularizer", "b_regularizer",
                             "W_constraint", "b_constraint", "nb_filter", "bias"})
RECURRENT = frozenset({"LSTM", "GRU", "SimpleRNN", "ConvLSTM2D"})
#: Layer keywords renamed in Keras 2 beyond :data:`legacy.LAYER_KWARGS` (``None``: any layer).
LAYER_RENAMES: dict[str, tuple[str, frozenset | None]] = {
    "inner_init": ("recurrent_initializer", None), "inner_activation": ("recurrent_activation", None),
    "U_regularizer": ("recurrent_regularizer", None), "U_constraint": ("recurrent_constraint", None),
    "dropout_W": ("dropout", RECURRENT), "dropout_U": ("recurrent_dropout", RECURRENT),
    "p": ("rate", frozenset({"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
                             "GaussianDropout", "AlphaDropout"})),
    "sigma": ("stddev", frozenset({"GaussianNoise"})),
    "beta_init": ("beta_initializer", frozenset({"BatchNormalization"})),
    "gamma_init": ("gamma_initializer", frozenset({"BatchNormalization"})),
    "length": ("size", frozenset({"UpSampling1D"})),
    "stride": ("strides", frozenset({"MaxPooling1D", "AveragePooling1D"})),
    "atrous_rate": ("dilation_rate", None), "input_dtype": ("dtype", None),
}
#: Keywords with their own meaning on these layers (``Embedding(init=)`` initialised the embeddings).
EMBEDDING = {"init": "embeddings_initializer", "W_regularizer": "embeddings_regularizer",
             "W_constraint": "embeddings_constraint"}
#: Layer keywords with no Keras 3 constructor equivalent: the reason shown.
NO_EQUIVALENT = {
    "weights": "Keras 3 layers take no initial weights in the constructor: call layer.set_weights(...) once the "
               "layer is built",
    "batch_input_shape": "Keras 3 layers take no batch shape: start the model with keras.Input(batch_shape=...)",
}


#: The names the scan below acts on: keyword arguments (a statement counts when one stands
#: before ``=``) and other names (classes, functions, modules).  A statement that mentions none of
#: them (nor a name imported for one) holds nothing to upgrade and is never walked.
KEYWORDS = frozenset({
    "input", "output", "lr", "decay", "show_accuracy", "consume_less", "mode", "forget_bias_init", "bias",
    "dim_ordering", "data_format", "output_dim", *FIT_RENAMES, *SAMPLE_COUNTS, *KERAS1_KEYWORDS, *LAYER_RENAMES,
    *EMBEDDING, *NO_EQUIVALENT, *legacy.LAYER_KWARGS, *(k for ks in keras1.KERNEL_KEYWORDS.values() for k in ks),
    *(k for table in legacy.LAYER_KWARG_EXCEPTIONS.values() for k in table),
})
NAMES = frozenset({
    *LAYER_MODULES, *UTILS_MODULES, "objectives", "merge", "Merge", "predict_proba", "image_dim_ordering",
    "set_image_dim_ordering", *CONSTRAINTS, *legacy.LEGACY_CLASSES, *keras1.KERNEL_KEYWORDS,
})
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
#: Nodes without children the scan reads.
_LEAVES = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop, ast.Constant)
_BLANK = frozenset(" \t\f\r\n\\")


def _before_equals(code: str, at: int) -> bool:
    """Whether ``code[at:]`` starts, after blanks and comments, with ``=`` (not ``==``)."""
    size = len(code)
    while at < size:
        if code[at] in _BLANK:
            at += 1
        elif code[at] == "#":
            at = code.find("\n", at)
            if at < 0:
                return False
        else:
            return code[at] == "=" and code[at + 1:at + 2] != "="
    return False


def _trigger_lines(text: SourceText, imports: ImportTable) -> list[int]:
    """The sorted lines where a name of :data:`NAMES` (or one imported for it) or a keyword
    argument of :data:`KEYWORDS` stands."""
    names = NAMES | {bound for bound, target in imports.aliases.items() if target.rsplit(".", 1)[-1] in NAMES}
    code = text.code
    offsets = []
    for word in (names | KEYWORDS).intersection(_IDENTIFIER.findall(code)):
        at, size, keyword = code.find(word), len(word), word in KEYWORDS and word not in names
        while at >= 0:  # a whole word: no identifier character on either side
            end = at + size
            if not (at and (code[at - 1].isalnum() or code[at - 1] == "_")) \
                    and not (code[end:end + 1].isalnum() or code[end:end + 1] == "_") \
                    and (not keyword or _before_equals(code, end)):
                offsets.append(at)
            at = code.find(word, end)
    starts = text.starts
    return sorted({bisect.bisect_right(starts, offset) for offset in offsets})


def _mentioning(tree: ast.Module, lines: list[int], parents: dict[int, ast.AST]) -> list[ast.AST]:
    """The nodes whose lines include one of the sorted ``lines`` (with their ancestors), breadth
    first as ``ast.walk`` lists them, recording each one's parent in ``parents``."""
    nodes: list[ast.AST] = [tree]
    if not lines:
        return nodes
    last, find, skip = len(lines), bisect.bisect_left, _LEAVES
    for node in nodes:  # the list grows while it is read
        for field in node._fields:
            value = getattr(node, field, None)
            for child in value if isinstance(value, list) else (value,):
                if not isinstance(child, ast.AST) or isinstance(child, skip):
                    continue
                end = getattr(child, "end_lineno", None)
                if end is not None:  # a statement or expression: kept when one of ``lines`` falls inside it
                    first = child.lineno
                    for decorator in getattr(child, "decorator_list", ()):  # above ``def``/``class``
                        first = min(first, decorator.lineno)
                    index = find(lines, first)
                    if index == last or lines[index] > end:
                        continue
                parents[id(child)] = node
                nodes.append(child)
    return nodes


@dataclass(frozen=True)
class Upgrade:
    """How one Keras 1/2 spelling is upgraded: ``edits`` (empty when Keras 3 has no
    equivalent), whether that fix is ``unsafe``, and ``note`` (why, shown in the finding)."""

    edits: tuple = ()
    unsafe: bool = False
    note: str = ""


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _int(node: ast.expr | None) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


class Scanner:
    """Collects the upgrade uses of one parsed script."""

    def __init__(self, tree: ast.Module, imports: ImportTable, text: SourceText, known: list[LegacyUse]):
        self.tree = tree
        self.imports = imports
        self.text = text
        self.uses: list[LegacyUse] = []
        self.parents: dict[int, ast.AST] = {}
        #: the nodes of the statements that mention a Keras 1/2 word, breadth first (as ``ast.walk``)
        self.nodes = _mentioning(tree, _trigger_lines(text, imports), self.parents)
        #: call spans the extractor already upgrades (Keras 1 layer classes and kernels of the layers it follows)
        self.known_layers = [u.origin for u in known if u.kind in ("layer_class", "layer_kernel")]
        #: keyword arguments the extractor recorded (AF501 upgrades them from those uses)
        self.known_args = {(u.origin.line, u.origin.col) for u in known if u.kind.endswith("_kwarg")}
        self._ints: dict[str, int] | None = None
        self._models: set[str] | None = None
        self._merged: MergedModels | None = None

    # -- helpers --------------------------------------------------------------------------
    def origin(self, node: ast.AST) -> Origin:
        return self.text.origin(node)

    def add(self, node: ast.AST, old: str, new: str, *edits: Any, unsafe: bool = False, note: str = "",
            at: Origin | None = None) -> None:
        where = at or self.origin(node)
        if isinstance(node, ast.keyword) and (where.line, where.col) in self.known_args:
            return
        self.uses.append(LegacyUse("upgrade", old, new, where, None,
                                   Upgrade(tuple(edits), unsafe, note)))

    def keras(self, node: ast.expr) -> str | None:
        """``layers.Dense`` for a name resolving into Keras (``keras.``/``tf.keras.`` stripped)."""
        qualified = self.imports.qualify(node)
        return keras_path(qualified) if qualified is not None else None

    @property
    def module_ints(self) -> dict[str, int]:
        """Names bound exactly once in the script, to an int literal (read on first use)."""
        if self._ints is None:
            self._ints = self._module_ints()
        return self._ints

    @property
    def models(self) -> set[str]:
        """Names bound to a Keras model (read on first use)."""
        if self._models is None:
            self._models = self._model_names()
        return self._models

    def _module_ints(self) -> dict[str, int]:
        bound: dict[str, list] = {}
        for node in ast.walk(self.tree):
            targets = node.targets if isinstance(node, ast.Assign) else (
                [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For)) else [])
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        bound.setdefault(name.id, []).append(node)
        out = {}
        for name, nodes in bound.items():
            if len(nodes) == 1 and isinstance(nodes[0], ast.Assign) and _int(nodes[0].value) is not None:
                out[name] = _int(nodes[0].value)
        return out

    def _model_names(self) -> set[str]:
        """Names bound to a Keras model (``model = Sequential()``, ``Model(...)``, ``load_model(...)``)."""
        out = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                path = self.keras(node.value.func) or ""
                if path.rsplit(".", 1)[-1] in ("Sequential", "Model", "load_model"):
                    out.update(t.id for t in node.targets if isinstance(t, ast.Name))
        return out

    def int_of(self, node: ast.expr | None) -> int | None:
        if isinstance(node, ast.Name):
            return self.module_ints.get(node.id)
        return _int(node)

    def covered(self, call: ast.Call) -> bool:
        where = self.origin(call)
        start, end = (where.line, where.col), (where.end_line, where.end_col)
        return any(start <= (o.line, o.col) and (o.end_line or o.line, o.end_col or o.col) <= end
                   for o in self.known_layers)

    # -- the scan -------------------------------------------------------------------------
    def scan(self) -> list[LegacyUse]:
        for node in self.nodes:
            if isinstance(node, ast.ImportFrom):
                self.import_from(node)
            elif isinstance(node, ast.Call):
                self.call(node)
        self.module_aliases()
        self.names()
        self.uses.sort(key=lambda u: (u.origin.line, u.origin.col))
        return self.uses

    def import_from(self, node: ast.ImportFrom) -> None:
        if node.level or node.module is None:
            return
        path = keras_path(node.module + ".")
        if path is None:
            return
        parts = path.rstrip(".").split(".")
        root = node.module[: len(node.module) - len(path.rstrip("."))]
        names = [a.name for a in node.names]
        if len(parts) == 2 and parts[0] == "layers" and parts[1] in LAYER_MODULES:
            new = f"{root}layers"
        elif len(parts) == 2 and parts[0] == "utils" and parts[1] in UTILS_MODULES:
            missing = [n for n in names if n not in K3_UTILS]
            if missing:
                self.add(node, node.module, "", note=f"Keras 3's keras.utils has no {', '.join(missing)}")
                return
            new = f"{root}utils"
        elif parts == ["objectives"]:
            new = f"{root}losses"
        else:
            return
        self.add(node, node.module, new, UpgradeSource("import_module", self.origin(node), node.module, new))

    def module_aliases(self) -> None:
        """``from keras.utils import np_utils`` / ``from keras import objectives``: each
        ``np_utils.to_categorical`` becomes ``keras.utils.to_categorical`` and the import goes."""
        for stmt in self.nodes:
            if not isinstance(stmt, ast.ImportFrom) or stmt.level or stmt.module is None:
                continue
            for alias in stmt.names:
                path = keras_path(f"{stmt.module}.{alias.name}")
                full = f"keras.{path}" if path else None
                if full not in MODULE_ALIASES:
                    continue
                bound = alias.asname or alias.name
                module, keep = MODULE_ALIASES[full]
                refs = [n for n in self.nodes if isinstance(n, ast.Name) and n.id == bound]
                edits, bad = [], []
                for ref in refs:
                    parent = self.parents.get(id(ref))
                    if isinstance(parent, ast.Attribute) and parent.attr in keep:
                        edits.append(UpgradeSource("module_ref", self.origin(parent), f"{bound}.{parent.attr}",
                                                   f"{module}.{parent.attr}"))
                    else:
                        bad.append(f"{bound}.{parent.attr}" if isinstance(parent, ast.Attribute) else bound)
                old = f"{stmt.module}.{alias.name}"
                if bad or any(isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == bound
                              for n in self.nodes):
                    self.add(stmt, old, f"keras.{module}", note=f"Keras 3's keras.{module} has no "
                             f"{', '.join(sorted(set(bad))) or bound}: port these uses by hand")
                    continue
                edits.append(UpgradeSource("drop_import", self.origin(stmt), bound))
                self.add(stmt, old, f"keras.{module}", *edits)

    def names(self) -> None:
        """``K.image_dim_ordering() == 'th'``, ``K.set_image_dim_ordering('th')``, ``maxnorm(2)``."""
        for node in self.nodes:
            if not isinstance(node, (ast.Name, ast.Attribute)) or isinstance(self.parents.get(id(node)),
                                                                               ast.Attribute):
                continue
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                continue
            path = self.keras(node)
            if path is None:
                continue
            last = path.rsplit(".", 1)[-1]
            if path in ("backend.image_dim_ordering", "backend.set_image_dim_ordering"):
                self.dim_ordering(node, last)
            elif path.startswith("constraints.") and last in CONSTRAINTS:
                self.add(node, last, f"keras.constraints.{CONSTRAINTS[last]}", self.rename(node, last,
                                                                                           CONSTRAINTS[last]))

    def rename(self, node: ast.expr, old: str, new: str) -> UpgradeSource:
        return UpgradeSource("rename_name", self.origin(node), old, new)

    def dim_ordering(self, node: ast.expr, last: str) -> None:
        call = self.parents.get(id(node))
        new = last.replace("image_dim_ordering", "image_data_format")
        if not isinstance(call, ast.Call) or call.func is not node:
            self.add(node, last, new, note="it is not called directly here")
            return
        strings = []
        if last == "set_image_dim_ordering":
            strings = [call.args[0]] if len(call.args) == 1 and not call.keywords else []
        else:
            compare = self.parents.get(id(call))
            if isinstance(compare, ast.Compare) and all(isinstance(op, (ast.Eq, ast.NotEq)) for op in compare.ops):
                strings = [n for n in [compare.left, *compare.comparators] if n is not call]
            elif isinstance(compare, ast.keyword) and compare.arg in ("dim_ordering", "data_format"):
                strings = None  # ``dim_ordering=K.image_dim_ordering()``: the keyword is upgraded with it
        if strings is not None and (not strings or any(_string(s) not in DIM_ORDERING for s in strings)):
            self.add(node, f"{last}()", f"{new}()", note="its 'th'/'tf' result is used beyond a comparison with "
                     "a literal; Keras 3 returns 'channels_first'/'channels_last'")
            return
        edits = [self.rename(node, last, new)]
        edits += [UpgradeSource("replace_string", self.origin(s), _string(s), DIM_ORDERING[_string(s)])
                  for s in strings or ()]
        self.add(node, f"{last}()", f"{new}()", *edits)

    # -- calls ------------------------------------------------------------------------------
    def call(self, call: ast.Call) -> None:
        path = self.keras(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
        method = call.func.attr if isinstance(call.func, ast.Attribute) and path is None else None
        if path is None and method is None:
            return
        last = (path or "").rsplit(".", 1)[-1]
        if path and path.startswith("layers.") and last in ("merge", "Merge"):
            self.merge(call, last)
        elif path and path.startswith("layers.") and last[:1].isupper():
            self.layer(call, last)
        elif path and path.startswith("optimizers.") and last[:1].isupper():
            self.optimizer(call, last)
        elif path and last == "Model":
            for arg in call.keywords:
                if arg.arg in ("input", "output"):
                    self.rename_kwarg(arg, arg.arg + "s")
        elif method in FIT_LIKE or last in FIT_LIKE:
            self.fit_like(call, method or last)
        elif method == "predict_proba" and isinstance(call.func.value, ast.Name) \
                and call.func.value.id in self.models:
            at = self.text.attr_origin(call.func)  # this call only: other objects have their own predict_proba
            self.add(call, "predict_proba()", "predict()",
                     UpgradeSource("rename_name", at, "predict_proba", "predict"), at=at)

    def rename_kwarg(self, arg: ast.keyword, new: str, value: Any = None) -> None:
        self.add(arg, f"{arg.arg}=", f"{new}=", UpgradeSource("rename_arg", self.origin(arg), arg.arg, new, value))

    def drop_kwarg(self, arg: ast.keyword, note: str, unsafe: bool = False) -> None:
        self.add(arg, f"{arg.arg}=", "", UpgradeSource("drop_arg", self.origin(arg), arg.arg), unsafe=unsafe,
                 note=note)

    def layer(self, call: ast.Call, written: str) -> None:
        class_name = legacy.layer_class(written)
        kernel = keras1.kernel_arguments(written, call)
        if kernel is None and written in KERAS1_ALIASES and KERAS1_KEYWORDS & {k.arg for k in call.keywords}:
            written = KERAS1_ALIASES[written]  # Keras 1's ``Conv2D`` was ``Convolution2D``: same signature
            kernel = keras1.kernel_arguments(written, call)
        if (written in legacy.LEGACY_CLASSES or kernel is not None) and not self.covered(call):
            old, new = written, class_name
            if kernel is not None:
                names = keras1.KERNEL_KEYWORDS[written]
                old += f"(n, {', '.join(names)})" if kernel[0] == "positional" else f"({'=, '.join(names)}=)"
                new += f"(n, ({', '.join(names)}))" if kernel[0] == "positional" else f"(kernel_size=({', '.join(names)}))"
            self.add(call, old, new, UpgradeSource("upgrade_layer", self.origin(call), written, class_name))
        for arg in call.keywords:
            if arg.arg is not None:
                self.layer_kwarg(class_name, arg)

    def layer_kwarg(self, class_name: str, arg: ast.keyword) -> None:
        name = arg.arg
        text = _string(arg.value)
        if name in ("dim_ordering", "data_format"):
            if text in DIM_ORDERING:
                self.rename_kwarg(arg, "data_format", DIM_ORDERING[text])
            elif text == "default" and name == "dim_ordering":
                self.drop_kwarg(arg, "'default' meant the configured data format, which Keras 3 uses too")
            elif name == "dim_ordering" and isinstance(arg.value, ast.Call) \
                    and (self.keras(arg.value.func) or "").endswith("image_dim_ordering"):
                self.rename_kwarg(arg, "data_format")
            elif name == "dim_ordering":
                self.add(arg, "dim_ordering=", "data_format=", note="its value is not a 'th'/'tf' literal")
            return
        if name in NO_EQUIVALENT and not (name == "weights" and class_name == "Embedding") \
                and not (name == "batch_input_shape" and class_name == "InputLayer"):
            self.add(arg, f"{name}=", "", note=NO_EQUIVALENT[name])
            return
        if name == "consume_less" and class_name in RECURRENT:
            self.drop_kwarg(arg, "it only chose how the gates were computed (speed, not results); Keras 3 "
                                 "picks the implementation itself")
            return
        if name == "mode" and class_name == "BatchNormalization":
            if _int(arg.value) == 0:
                self.drop_kwarg(arg, "mode=0 (feature-wise) is what Keras 3's BatchNormalization does")
            else:
                self.add(arg, "mode=", "", note="only mode=0 (feature-wise, the Keras 3 behaviour) has an "
                                                "equivalent")
            return
        if name == "forget_bias_init" and text in ("one", "zero"):
            self.rename_kwarg(arg, "unit_forget_bias", text == "one")
            return
        if class_name == "Embedding" and name in EMBEDDING:
            self.rename_kwarg(arg, EMBEDDING[name])
            return
        if class_name == "PReLU" and name == "init":
            self.rename_kwarg(arg, "alpha_initializer")
            return
        if name in LAYER_RENAMES:
            new, only = LAYER_RENAMES[name]
            if only is None or class_name in only:
                self.rename_kwarg(arg, new)
            return
        if name == "bias" and class_name[:4] in ("Dens", "Conv"):
            self.rename_kwarg(arg, "use_bias")
            return
        new = legacy.layer_kwarg(class_name, name)
        if new != name:
            self.rename_kwarg(arg, new)

    def optimizer(self, call: ast.Call, class_name: str) -> None:
        for arg in call.keywords:
            if arg.arg == "lr":
                self.rename_kwarg(arg, "learning_rate")
            elif arg.arg == "decay":
                if _int(arg.value) == 0 or (isinstance(arg.value, ast.Constant) and arg.value.value == 0.0):
                    self.drop_kwarg(arg, "decay=0 decayed nothing")
                    continue
                has_lr = call.args or any(a.arg in ("lr", "learning_rate") for a in call.keywords)
                default = None if has_lr else DEFAULT_LR.get(class_name)
                if not has_lr and default is None:
                    self.add(arg, "decay=", "", note=f"the Keras 2 default learning rate of {class_name} is unknown")
                    continue
                self.add(arg, "decay=", "learning_rate=keras.optimizers.schedules.InverseTimeDecay(lr, "
                         "decay_steps=1, decay_rate=decay)",
                         UpgradeSource("decay", self.origin(call), "decay", None, default),
                         note="Keras 3 ignores decay=; this schedule is Keras 2's lr / (1 + decay * iterations)")

    def fit_like(self, call: ast.Call, method: str) -> None:
        for arg in call.keywords:
            if arg.arg in FIT_RENAMES:
                self.rename_kwarg(arg, FIT_RENAMES[arg.arg])
            elif arg.arg == "show_accuracy":
                self.drop_kwarg(arg, "it only chose what the progress bar showed; Keras 3 shows the compiled "
                                     "metrics (compile(metrics=['accuracy']))")
            elif arg.arg in SAMPLE_COUNTS:
                self.sample_count(call, arg, method)

    def sample_count(self, call: ast.Call, arg: ast.keyword, method: str) -> None:
        """``samples_per_epoch=N`` -> ``steps_per_epoch=math.ceil(N / batch_size)`` when the
        generator's batch size is a literal, or the attribute of a generator object the code
        shows it is (:meth:`instance_batch`)."""
        new = SAMPLE_COUNTS[arg.arg]
        keywords = {k.arg: k.value for k in call.keywords}
        if arg.arg == "nb_val_samples":
            source = keywords.get("validation_data")
            if isinstance(source, (ast.Tuple, ast.List)):
                self.drop_kwarg(arg, "with validation arrays Keras 1 ignored nb_val_samples")
                return
        else:
            source = call.args[0] if call.args else keywords.get("generator", keywords.get("x"))
        batch = None
        if isinstance(source, ast.Call):
            batch = next((k.value for k in source.keywords if k.arg == "batch_size"), None)
        size = self.text.segment(batch) if batch is not None and self.int_of(batch) is not None else \
            self.instance_batch(source)
        if size is None:
            self.add(arg, f"{arg.arg}=", f"{new}=", note=f"Keras 3 counts batches, not samples, and the batch "
                     "size of this generator is not a literal, so the number of steps cannot be derived")
            return
        samples = self.text.segment(arg.value)
        if _int(arg.value) is not None and _int(batch) is not None:
            steps: Any = -(-_int(arg.value) // _int(batch))
        else:
            wrapped = samples if isinstance(arg.value, (ast.Name, ast.Attribute, ast.Subscript, ast.Call,
                                                        ast.Constant)) else f"({samples})"
            steps = Opaque(f"math.ceil({wrapped} / {size})")
        self.add(arg, f"{arg.arg}=", f"{new}=", UpgradeSource("rename_arg", self.origin(arg), arg.arg, new, steps),
                 note="Keras 3 counts batches: ceil(samples / batch size)")

    def instance_batch(self, source: ast.expr | None) -> str | None:
        """``gen.minibatch_size`` for ``gen.next_train()`` when the code shows it is the batch size:
        ``gen`` is bound once, to ``Cls(..., minibatch_size=32)`` (a literal) of a class of the
        script whose ``__init__`` stores that parameter in ``self.minibatch_size`` (its only
        assignment), and the generator method reads it (the one ``*batch_size`` attribute it reads)."""
        if not (isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute)
                and isinstance(source.func.value, ast.Name)):
            return None
        instance = source.func.value.id
        stores = [n for n in ast.walk(self.tree) if isinstance(n, ast.Name) and n.id == instance
                  and not isinstance(n.ctx, ast.Load)]
        built = next((n.value for n in ast.walk(self.tree) if isinstance(n, ast.Assign) and len(n.targets) == 1
                      and n.targets[0] in stores and isinstance(n.value, ast.Call)
                      and isinstance(n.value.func, ast.Name)), None)
        cls = next((n for n in self.tree.body if isinstance(n, ast.ClassDef) and built is not None
                    and n.name == built.func.id), None)
        if len(stores) != 1 or cls is None:
            return None
        methods = {m.name: m for m in cls.body if isinstance(m, ast.FunctionDef)}
        method, init = methods.get(source.func.attr), methods.get("__init__")
        if method is None or init is None or not any(isinstance(n, (ast.Yield, ast.YieldFrom))
                                                     for n in ast.walk(method)):
            return None
        read = {n.attr for n in ast.walk(method) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                and n.value.id == "self" and re.search(r"(^|_|mini)batch_size$", n.attr)}
        if len(read) != 1:
            return None
        attr = read.pop()
        assigned = [n for n in ast.walk(cls) if isinstance(n, ast.Attribute) and n.attr == attr
                    and isinstance(n.value, ast.Name) and n.value.id == "self" and not isinstance(n.ctx, ast.Load)]
        stored = next((n for n in init.body if isinstance(n, ast.Assign) and n.targets == assigned[:1]), None)
        params = [a.arg for a in init.args.args[1:]]
        if len(assigned) != 1 or stored is None or not isinstance(stored.value, ast.Name) \
                or stored.value.id not in params:
            return None
        param = stored.value.id
        given = next((k.value for k in built.keywords if k.arg == param), None)
        index = params.index(param)
        if given is None and index < len(built.args) and not any(isinstance(a, ast.Starred) for a in built.args):
            given = built.args[index]
        return f"{instance}.{attr}" if self.int_of(given) is not None else None

    def merge(self, call: ast.Call, written: str) -> None:
        """``merge([a, b], mode='concat', concat_axis=1)`` -> ``concatenate([a, b], axis=1)``."""
        keywords = {k.arg: k.value for k in call.keywords}
        if written == "merge" and len(call.args) == 2 and "mode" not in keywords:
            keywords["mode"] = call.args[1]  # ``merge([a, b], 'concat')``: Keras 1's second parameter
        mode = _string(keywords["mode"]) if "mode" in keywords else "sum"
        target = (MERGE_FUNCTIONS if written == "merge" else MERGE_CLASSES).get(mode or "")
        other = sorted(k for k in keywords if k not in MERGE_KWARGS)
        if written == "Merge" and (call.args or "layers" in keywords):
            self.merge_models(call)
            return
        if written == "merge" and target is None and self.callable_mode(keywords.get("mode")) \
                and len(call.args) == 1 and not set(keywords) - LAMBDA_KWARGS:
            self.add(call, "merge(mode=<function>)", "keras.layers.Lambda(function)(inputs)",
                     UpgradeSource("merge_lambda", self.origin(call), written, "Lambda"),
                     note="Keras 3's Lambda passes the list of inputs to the function, as Keras 1's merge did")
            return
        if target is None or other or (written == "merge" and len(call.args) not in (1, 2)):
            function = target is None and self.callable_mode(keywords.get("mode"))
            other = sorted(set(keywords) - LAMBDA_KWARGS) if function else other  # what Lambda does not take
            why = (f"{', '.join(other)} have no Keras 3 equivalent" if other and (target or function)
                   else f"mode={self.text.segment(keywords['mode'])} has no Keras 3 layer" if target is None
                   else "its inputs are not one list")
            self.add(call, f"{written}(mode=...)", "", note=why)
            return
        unsafe = mode == "cos"
        note = ("Keras 1's cos mode added an axis to the output; Dot(normalize=True) does not" if unsafe else "")
        self.add(call, f"{written}(mode={mode!r})", f"{target}()",
                 UpgradeSource("merge", self.origin(call), written, target, mode), unsafe=unsafe, note=note)


    def callable_mode(self, mode: ast.expr | None) -> bool:
        """Whether a ``merge(mode=...)`` is visibly a function: a lambda, or a ``def`` of the module."""
        return isinstance(mode, ast.Lambda) or isinstance(mode, ast.Name) and any(
            isinstance(n, ast.FunctionDef) and n.name == mode.id for n in self.tree.body)

    def merge_models(self, call: ast.Call) -> None:
        """``Merge([model_a, model_b])`` as a Sequential's first layer: the functional rewrite, or why not."""
        if self._merged is None:
            self._merged = MergedModels(self.tree, self)
        plan = self._merged.rewrite(call)
        if plan.reason:
            self.add(call, "Merge([...])", "", note=f"it merges whole models and {plan.reason}; a Keras 3 "
                     "Sequential model has one input: build the merged model with the functional API")
            return
        target = next(e.new for e in reversed(plan.edits) if e.op == "merge_models")
        edits = [e for e in plan.edits if e not in self._merged.claimed]  # a shared leaf's shape: fixed once
        self._merged.claimed.update(edits)
        self.add(call, "Merge([...]) of models", f"keras.layers.{target}() and a functional Model", *edits,
                 unsafe=plan.unsafe, note="the merging Sequential becomes a functional Model of its models' inputs")


def scan(tree: ast.Module, imports: ImportTable, text: SourceText, known: list[LegacyUse]) -> list[LegacyUse]:
    """Every Keras 1/2 spelling of the script as ``"upgrade"`` uses (the Keras 1 layer
    calls of ``known`` -- what the extractor recorded -- excepted)."""
    return Scanner(tree, imports, text, known).scan()

