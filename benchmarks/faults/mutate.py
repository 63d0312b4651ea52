"""DeepCrime-style mutation operators for the fault suite, and the generator that keeps killed mutants.

    python benchmarks/faults/mutate.py                    # score bases, generate + kill-check mutants
    python benchmarks/faults/mutate.py --list             # list operators (family, name, description)
    python benchmarks/faults/mutate.py --op adam_lr_1e-6  # only these operators (repeatable)
    python benchmarks/faults/mutate.py --real             # score real/*.py and real/*.fixed.py only
    python benchmarks/faults/mutate.py --max-per-op 1     # mutants kept per operator (default 2; --max-tries 3)

Each operator is a text transform of a base script's source (``bases/*.py``), located with ``ast``
(node positions) and applied as text edits, so the mutant keeps the base's formatting and reads
like code a person wrote. It relies on the bases' conventions: layers are ``layers.X(...)`` calls,
the output layer is the last ``layers.Dense(...)`` in the file, ``compile()`` takes ``loss=`` and
``optimizer=`` keywords, fit settings live in ``FIT = dict(...)``, and ``make_data()`` splits with
the line ``n = int(0.75 * len(x))``.

A candidate mutant is written to ``mutants/<base>__<operator>.py`` and kept only when it is
*killed*: on both seeds (0 and 1) its score is at least 0.10 below the base's score on the same
seed. A mutant that crashes is not a quiet fault and is dropped. ``manifest.json`` records the
base scores, the kept mutants (family, operator, base, base scores, mutant scores) and the
rejected candidates with the reason. Results are cached by source hash, so a rerun only trains
what changed.
"""
from __future__ import annotations

import argparse
import ast
import dataclasses
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
BASES = HERE / "bases"
MUTANTS = HERE / "mutants"
REAL = HERE / "real"
MANIFEST = HERE / "manifest.json"
KILL_MARGIN = 0.10
SEEDS = (0, 1)

FAMILIES = {
    "head_loss": "1. output head / loss / label encoding",
    "regression_head": "2. regression heads and metrics",
    "init": "3. weight initialisation",
    "activation": "4. activations",
    "optimizer": "5. optimiser and learning rate",
    "regularisation": "6. regularisation",
    "capacity": "7. capacity",
    "schedule": "8. training schedule and BatchNorm",
    "data": "9. data pipeline",
}


# --------------------------------------------------------------------------- source helpers


class Source:
    """A script's text with its AST; collects text edits and applies them from the end."""

    WEIGHTED = ("Dense", "Conv1D", "Conv2D")

    def __init__(self, text: str):
        self.text = text
        self.tree = ast.parse(text)
        self._starts = [0]
        for line in text.splitlines(keepends=True):
            self._starts.append(self._starts[-1] + len(line))
        self.edits: list[tuple[int, int, str]] = []

    # positions
    def pos(self, lineno: int, col: int) -> int:
        return self._starts[lineno - 1] + col

    def span(self, node) -> tuple[int, int]:
        return self.pos(node.lineno, node.col_offset), self.pos(node.end_lineno, node.end_col_offset)

    def seg(self, node) -> str:
        a, b = self.span(node)
        return self.text[a:b]

    # queries
    def layer_calls(self, *names: str) -> list[ast.Call]:
        out = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in names and isinstance(node.func.value, ast.Name) and node.func.value.id == "layers":
                    out.append(node)
        return sorted(out, key=lambda n: (n.lineno, n.col_offset))

    def method_calls(self, name: str) -> list[ast.Call]:
        out = [n for n in ast.walk(self.tree)
               if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == name]
        return sorted(out, key=lambda n: (n.lineno, n.col_offset))

    def head(self) -> ast.Call:
        return self.layer_calls("Dense")[-1]

    def hidden(self, kinds=WEIGHTED) -> list[ast.Call]:
        head = self.head()
        return [c for c in self.layer_calls(*kinds) if c is not head]

    def compile_call(self) -> ast.Call:
        return self.method_calls("compile")[0]

    def fit_dict(self) -> ast.Call:
        for node in self.tree.body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "FIT":
                return node.value
        raise LookupError("no FIT = dict(...)")

    @staticmethod
    def kw(call: ast.Call, name: str):
        for k in call.keywords:
            if k.arg == name:
                return k
        return None

    def kw_text(self, call, name):
        k = self.kw(call, name)
        return None if k is None else self.seg(k.value)

    def string_kw(self, call, name):
        k = self.kw(call, name)
        if k is not None and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str):
            return k.value.value
        return None

    # edits
    def replace(self, node, new: str):
        a, b = self.span(node)
        self.edits.append((a, b, new))

    def set_kw(self, call: ast.Call, name: str, value: str):
        k = self.kw(call, name)
        if k is not None:
            self.replace(k.value, value)
            return
        end = self.pos(call.end_lineno, call.end_col_offset) - 1  # the closing parenthesis
        sep = ", " if (call.args or call.keywords) else ""
        self.edits.append((end, end, f"{sep}{name}={value}"))

    def set_arg0(self, call: ast.Call, value: str):
        if call.args:
            self.replace(call.args[0], value)

    def remove_kw(self, call: ast.Call, name: str):
        items = sorted(list(call.args) + list(call.keywords), key=lambda n: (n.lineno, n.col_offset))
        for i, item in enumerate(items):
            if isinstance(item, ast.keyword) and item.arg == name:
                a, b = self.span(item)
                if i > 0:
                    a = self.pos(items[i - 1].end_lineno, items[i - 1].end_col_offset)
                elif len(items) > 1:
                    b = self.pos(items[1].lineno, items[1].col_offset)
                self.edits.append((a, b, ""))
                return

    def insert_line_after(self, pattern: str, new_lines: str, before: bool = False):
        m = re.search(pattern, self.text, flags=re.M)
        if not m:
            raise LookupError(pattern)
        line_start = self.text.rfind("\n", 0, m.start()) + 1
        line_end = self.text.find("\n", m.end()) + 1
        at = line_start if before else line_end
        self.edits.append((at, at, new_lines))

    def statement_line(self, call: ast.Call) -> tuple[int, int]:
        """Start and end offsets of the full source line(s) holding ``call``."""
        a = self._starts[call.lineno - 1]
        b = self._starts[call.end_lineno]
        return a, b

    def result(self) -> str:
        text = self.text
        for a, b, new in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            text = text[:a] + new + text[b:]
        ast.parse(text)
        return text


@dataclasses.dataclass
class Base:
    name: str
    path: Path
    text: str
    task: str

    @property
    def src(self) -> Source:
        return Source(self.text)

    def has(self, layer: str) -> bool:
        return bool(self.src.layer_calls(layer))

    @property
    def loss(self):
        s = self.src
        return s.string_kw(s.compile_call(), "loss")

    @property
    def head_units(self) -> int:
        s = self.src
        h = s.head()
        arg = h.args[0] if h.args else None
        if isinstance(arg, ast.Constant):
            return int(arg.value)
        m = re.search(r"n_classes\s*=\s*(\d+)|make_\w+\([^)]*,\s*(\d+)\)", self.text)
        return int(next(g for g in m.groups() if g)) if m else 1

    @property
    def hidden_activations(self) -> list[str | None]:
        s = self.src
        return [s.string_kw(c, "activation") for c in s.hidden()]


def load_bases() -> list[Base]:
    out = []
    for path in sorted(BASES.glob("b*.py")):
        text = path.read_text()
        task = re.search(r'^TASK = "(\w+)"', text, flags=re.M).group(1)
        out.append(Base(path.stem, path, text, task))
    return out


# --------------------------------------------------------------------------- operators


@dataclasses.dataclass
class Operator:
    name: str
    family: str
    description: str
    applies: Callable[[Base], bool]
    transform: Callable[[Source, Base], None]

    def apply(self, base: Base) -> str:
        s = base.src
        self.transform(s, base)
        out = s.result()
        if out == base.text:
            raise ValueError("operator changed nothing")
        return out


CLASSIF = ("binary", "multiclass", "multilabel")
REGR = ("regression", "bounded")
OPS: list[Operator] = []


def op(name, family, description, applies):
    def deco(fn):
        OPS.append(Operator(name, family, description, applies, fn))
        return fn
    return deco


def _set_loss(value):
    def t(s: Source, b: Base):
        s.set_kw(s.compile_call(), "loss", value)
    return t


def _set_head_activation(value):
    def t(s: Source, b: Base):
        if value is None:
            s.remove_kw(s.head(), "activation")
        else:
            s.set_kw(s.head(), "activation", value)
    return t


def _set_fit(**kwargs):
    def t(s: Source, b: Base):
        d = s.fit_dict()
        for k, v in kwargs.items():
            s.set_kw(d, k, v)
    return t


def _set_optimizer(text_fn):
    def t(s: Source, b: Base):
        c = s.compile_call()
        s.set_kw(c, "optimizer", text_fn(s.kw_text(c, "optimizer")))
    return t


def _orig_lr(opt_text: str) -> str:
    m = re.search(r"learning_rate=([0-9.e-]+)", opt_text or "")
    return m.group(1) if m else "1e-3"


def _hidden_kw(name, value, kinds=Source.WEIGHTED, only_relu=False):
    def t(s: Source, b: Base):
        for c in s.hidden(kinds):
            if only_relu and s.string_kw(c, "activation") != "relu":
                continue
            s.set_kw(c, name, value)
    return t


def _input_data(line: str):
    def t(s: Source, b: Base):
        s.insert_line_after(r"^    n = int\(0\.75 \* len\(x\)\)", line, before=True)
    return t


# 1. head / loss / labels ---------------------------------------------------------------
op("loss_mse", "head_loss", "classifier trained with mean squared error",
   lambda b: b.task in ("binary", "multiclass"))(_set_loss('"mse"'))
op("loss_mae", "head_loss", "classifier trained with mean absolute error",
   lambda b: b.task in ("binary", "multiclass", "multilabel"))(_set_loss('"mae"'))
op("sigmoid1_categorical_ce", "head_loss", "1 sigmoid unit + categorical_crossentropy (a constant loss)",
   lambda b: b.task == "binary")(_set_loss('"categorical_crossentropy"'))
op("softmax_binary_ce", "head_loss", "multi-class softmax head with binary_crossentropy",
   lambda b: b.task == "multiclass")(_set_loss('"binary_crossentropy"'))
op("categorical_loss_int_labels", "head_loss", "categorical_crossentropy on integer labels",
   lambda b: b.task == "multiclass" and b.loss == "sparse_categorical_crossentropy")(_set_loss('"categorical_crossentropy"'))
op("sparse_loss_onehot_labels", "head_loss", "sparse_categorical_crossentropy on one-hot labels",
   lambda b: b.task == "multiclass" and b.loss == "categorical_crossentropy")(_set_loss('"sparse_categorical_crossentropy"'))
op("single_unit_softmax", "head_loss", "softmax on the single output unit",
   lambda b: b.task == "binary")(_set_head_activation('"softmax"'))
op("softmax_multilabel", "head_loss", "softmax head on multi-label targets (labels compete)",
   lambda b: b.task == "multilabel")(_set_head_activation('"softmax"'))
op("linear_head_probability_loss", "head_loss", "no activation on a head trained with a probability loss",
   lambda b: b.task in CLASSIF)(_set_head_activation(None))

# 2. regression heads -------------------------------------------------------------------
for _act in ("sigmoid", "relu", "tanh", "softmax"):
    op(f"reg_head_{_act}", "regression_head", f"{_act} output on regression targets outside its range",
       (lambda a: lambda b: (b.task == "regression") or (b.task == "bounded" and a in ("softmax", "relu", "tanh")))(_act)
       )(_set_head_activation(f'"{_act}"'))


@op("reg_accuracy_early_stopping", "regression_head",
    "accuracy metric on regression, EarlyStopping(restore_best_weights) monitoring val_accuracy",
    lambda b: b.task in REGR)
def _reg_acc(s: Source, b: Base):
    s.set_kw(s.compile_call(), "metrics", '["accuracy"]')
    d = s.fit_dict()
    s.set_kw(d, "validation_split", "0.2")
    s.set_kw(d, "callbacks", '[keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2, restore_best_weights=True)]')


# 3. initialisation ---------------------------------------------------------------------
op("zeros_kernel_hidden", "init", "hidden kernels initialised to zeros",
   lambda b: True)(_hidden_kw("kernel_initializer", '"zeros"'))
op("ones_kernel_hidden", "init", "hidden kernels initialised to ones",
   lambda b: True)(_hidden_kw("kernel_initializer", '"ones"'))
op("constant_kernel_hidden", "init", "hidden kernels initialised to one constant (0.5)",
   lambda b: True)(_hidden_kw("kernel_initializer", "keras.initializers.Constant(0.5)"))
op("large_normal_init", "init", "RandomNormal(stddev=10) kernels in every layer",
   lambda b: True)(lambda s, b: [s.set_kw(c, "kernel_initializer", "keras.initializers.RandomNormal(stddev=10.0)")
                                 for c in s.layer_calls(*Source.WEIGHTED)])
op("negative_bias_relu", "init", "large negative bias (-5) on ReLU layers: dead units",
   lambda b: "relu" in b.hidden_activations)(_hidden_kw("bias_initializer", "keras.initializers.Constant(-5.0)", only_relu=True))

# 4. activations ------------------------------------------------------------------------


@op("linear_stack", "activation", "hidden layers without activation: one linear map",
    lambda b: any(a for a in b.hidden_activations))
def _linear(s: Source, b: Base):
    for c in s.hidden():
        if s.kw(c, "activation") is not None:
            s.remove_kw(c, "activation")


def _deepen(act: str, extra: int = 6):
    def t(s: Source, b: Base):
        hidden = s.hidden(("Dense",))
        if "hidden=(64, 32)" in s.text:  # the loop builder
            m = s.text.index("hidden=(64, 32)")
            s.edits.append((m, m + len("hidden=(64, 32)"), f"hidden=(32,) * {extra + 2}"))
            m = s.text.index('activation="relu"):')
            s.edits.append((m, m + len('activation="relu"'), f'activation="{act}"'))
            return
        last = hidden[-1]
        a, b_ = s.statement_line(last)
        line = s.text[a:b_]
        line = re.sub(r'activation="\w+"', f'activation="{act}"', line)
        line = re.sub(r"^(\s*)(\w+) = (.*)\((inputs|x)\)\n$", r"\1\2 = \3(\2)\n", line)
        for c in hidden:
            s.set_kw(c, "activation", f'"{act}"')
        s.edits.append((b_, b_, line * extra))
    return t


op("deep_sigmoid_stack", "activation", "8 stacked sigmoid hidden layers: vanishing gradients",
   lambda b: bool(b.src.hidden(("Dense",))))(_deepen("sigmoid"))
op("deep_tanh_stack", "activation", "8 stacked tanh hidden layers",
   lambda b: bool(b.src.hidden(("Dense",))))(_deepen("tanh"))
op("relu_output_classifier", "activation", "ReLU on a classifier's output layer (dies at 0)",
   lambda b: b.task in ("binary", "multilabel", "multiclass"))(_set_head_activation('"relu"'))

# 5. optimiser --------------------------------------------------------------------------
op("sgd_lr_10", "optimizer", "SGD with learning_rate=10",
   lambda b: True)(_set_optimizer(lambda t: "keras.optimizers.SGD(learning_rate=10.0)"))
op("adam_lr_0.5", "optimizer", "Adam with learning_rate=0.5",
   lambda b: True)(_set_optimizer(lambda t: "keras.optimizers.Adam(learning_rate=0.5)"))
op("adam_lr_1e-6", "optimizer", "Adam with learning_rate=1e-6",
   lambda b: True)(_set_optimizer(lambda t: "keras.optimizers.Adam(learning_rate=1e-6)"))
op("adam_epsilon_100", "optimizer", "Adam with epsilon=100 (the update shrinks to almost nothing)",
   lambda b: True)(_set_optimizer(lambda t: f"keras.optimizers.Adam(learning_rate={_orig_lr(t)}, epsilon=100.0)"))
op("sgd_momentum_0.999", "optimizer", "SGD(learning_rate=0.05, momentum=0.999)",
   lambda b: True)(_set_optimizer(lambda t: "keras.optimizers.SGD(learning_rate=0.05, momentum=0.999)"))


# 6. regularisation ---------------------------------------------------------------------
@op("dropout_keep_prob", "regularisation", "Dropout(0.9): the keep probability passed as the rate",
    lambda b: b.has("Dropout"))
def _dropout(s: Source, b: Base):
    for c in s.layer_calls("Dropout"):
        s.set_arg0(c, "0.9")


op("huge_l2", "regularisation", "kernel_regularizer=l2(10.0) on every Dense/Conv layer",
   lambda b: True)(lambda s, b: [s.set_kw(c, "kernel_regularizer", "keras.regularizers.l2(10.0)")
                                 for c in s.layer_calls(*Source.WEIGHTED)])
op("huge_l1", "regularisation", "kernel_regularizer=l1(1.0) on every Dense/Conv layer",
   lambda b: True)(lambda s, b: [s.set_kw(c, "kernel_regularizer", "keras.regularizers.l1(1.0)")
                                 for c in s.layer_calls(*Source.WEIGHTED)])


# 7. capacity ---------------------------------------------------------------------------
def _waist(units):
    def t(s: Source, b: Base):
        hidden = s.hidden(("Dense",))
        if "hidden=(64, 32)" in s.text:
            m = s.text.index("hidden=(64, 32)")
            s.edits.append((m, m + len("hidden=(64, 32)"), f"hidden=(64, {units})"))
            return
        s.set_arg0(hidden[-1], str(units))
    return t


op("waist_1unit", "capacity", "a Dense(1) bottleneck before a multi-output head",
   lambda b: b.task in ("multiclass", "multilabel") and b.head_units >= 3 and bool(b.src.hidden(("Dense",))))(_waist(1))
op("waist_2units", "capacity", "a Dense(2) bottleneck before a head of 4+ outputs",
   lambda b: b.task in ("multiclass", "multilabel") and b.head_units >= 4 and bool(b.src.hidden(("Dense",))))(_waist(2))
op("few_filters", "capacity", "Conv1D layers with 1 filter",
   lambda b: b.has("Conv1D"))(lambda s, b: [s.set_arg0(c, "1") for c in s.layer_calls("Conv1D")])

# 8. schedule ---------------------------------------------------------------------------
op("one_epoch_huge_batch", "schedule", "epochs=1 with batch_size=1024 (2 updates)",
   lambda b: True)(_set_fit(epochs="1", batch_size="1024"))
op("full_batch_few_epochs", "schedule", "full-batch training (batch_size=4096) for 5 epochs",
   lambda b: True)(_set_fit(epochs="5", batch_size="4096"))
op("bn_batch_size_1", "schedule", "batch_size=1 with BatchNormalization",
   lambda b: b.has("BatchNormalization"))(_set_fit(epochs="1", batch_size="1"))
op("bn_momentum_0.9999", "schedule", "BatchNormalization(momentum=0.9999): moving statistics never catch up",
   lambda b: b.has("BatchNormalization"))(lambda s, b: [s.set_kw(c, "momentum", "0.9999")
                                                        for c in s.layer_calls("BatchNormalization")])

# 9. data pipeline ----------------------------------------------------------------------
op("inputs_x1000", "data", "inputs left in raw units (x 1000)",
   lambda b: True)(_input_data("    x = x * 1000.0\n"))
op("inputs_offset_500", "data", "inputs with a large offset (+500)",
   lambda b: True)(_input_data("    x = x + 500.0\n"))
op("targets_x1e4", "data", "regression targets left in raw units (x 1e4)",
   lambda b: b.task == "regression")(_input_data("    y = y * 1e4\n"))
op("binary_labels_255", "data", "0/1 labels stored as 0/255 (mask-style)",
   lambda b: b.task in ("binary", "multilabel"))(_input_data("    y = y * 255.0\n"))


@op("train_targets_rescaled", "data", "training targets rescaled (/100) by mistake, test targets not",
    lambda b: b.task == "regression")
def _rescale(s: Source, b: Base):
    s.insert_line_after(r"^    n = int\(0\.75 \* len\(x\)\)", "    y = np.concatenate([y[:n] / 100.0, y[n:]])\n")


@op("sorted_val_split_no_shuffle", "data",
    "training rows sorted by class, validation_split=0.2 and shuffle=False",
    lambda b: b.task in ("binary", "multiclass"))
def _sorted(s: Source, b: Base):
    s.insert_line_after(
        r"^    n = int\(0\.75 \* len\(x\)\)",
        '    order = np.argsort(y[:n] if y.ndim == 1 else y[:n].argmax(-1), kind="stable")\n'
        "    x[:n], y[:n] = x[:n][order], y[:n][order]\n")
    d = s.fit_dict()
    s.set_kw(d, "validation_split", "0.2")
    s.set_kw(d, "shuffle", "False")


OPERATORS = {o.name: o for o in OPS}


# --------------------------------------------------------------------------- running


def env():
    e = dict(os.environ)
    e.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    e.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    e.setdefault("CUDA_VISIBLE_DEVICES", "")
    e.pop("FIXED", None)
    return e


def score_scripts(paths: list[Path], seeds=SEEDS, timeout_each=150) -> dict[str, dict[str, float]]:
    """Scores of each of ``paths`` on ``seeds``, all in one subprocess (nan: crashed or timed out)."""
    out_scores = {str(p): {str(s): math.nan for s in seeds} for p in paths}
    if not paths:
        return out_scores
    cmd = [sys.executable, str(HERE / "_runner.py"), *map(str, paths), "--seeds", *map(str, seeds)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_each * len(paths),
                              env=env(), cwd=HERE)
        out = proc.stdout
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
    for line in out.splitlines():
        if line.startswith("RESULT "):
            _, path, seed, value, _secs = line.split()
            out_scores.setdefault(path, {})[seed] = float(value)
    return out_scores


def score_script(path: Path, seeds=SEEDS, timeout=300) -> dict[str, float]:
    return score_scripts([path], seeds, timeout)[str(path)]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_manifest() -> dict:
    if MANIFEST.exists():
        return json.loads(MANIFEST.read_text())
    return {"bases": {}, "mutants": [], "rejected": [], "real": {}}


def save_manifest(m: dict):
    m["kill_margin"] = KILL_MARGIN
    m["seeds"] = list(SEEDS)
    m["mutants"].sort(key=lambda r: (list(FAMILIES).index(r["family"]), r["operator"], r["base"]))
    MANIFEST.write_text(json.dumps(m, indent=1, sort_keys=False, allow_nan=True) + "\n")


def mutant_header(base: Base, o: Operator) -> str:
    return (f"# Mutant of bases/{base.name}.py by operator {o.name} (family {o.family}): {o.description}.\n"
            f"# Generated by benchmarks/faults/mutate.py; the oracle is the base script.\n")


def score_bases(man: dict, bases: list[Base], log=print):
    for b in bases:
        rec = man["bases"].get(b.name)
        if rec and rec.get("sha") == sha(b.text) and all(not math.isnan(rec["scores"].get(str(s), math.nan)) for s in SEEDS):
            continue
        t0 = time.time()
        scores = score_script(b.path)
        man["bases"][b.name] = {"task": b.task, "sha": sha(b.text), "scores": scores}
        log(f"base {b.name}: {scores} ({time.time() - t0:.0f}s)")
        save_manifest(man)


def generate(man: dict, bases: list[Base], ops: list[Operator], max_per_op: int, log=print, max_tries: int = 3):
    """Per operator, try applicable bases until ``max_per_op`` mutants are kept or ``max_tries`` were tried.

    Works in rounds: each round picks the next candidate base of every operator that still needs
    one and scores all new candidates in one subprocess. Bases already tried for the operator
    (cached in the manifest) come first; the others in order of how few candidates they have had.
    """
    MUTANTS.mkdir(exist_ok=True)
    attempts: dict[str, int] = {}
    for r in man["mutants"] + man["rejected"]:
        attempts[r["base"]] = attempts.get(r["base"], 0) + 1
    state = {}
    for o in ops:
        cands = []
        for b in bases:
            try:
                if o.applies(b):
                    cands.append(b)
            except Exception:
                pass
        state[o.name] = {"op": o, "cands": cands, "kept": 0, "tries": 0, "tried": set()}
    for _round in range(max_tries):
        batch = []  # (op, base, text, path)
        for st in state.values():
            o = st["op"]
            while st["kept"] < max_per_op and st["tries"] < max_tries:
                done = {(r["base"], r["operator"]): r for r in man["mutants"] + man["rejected"]}
                left = [b for b in st["cands"] if b.name not in st["tried"]]
                if not left:
                    break
                prev = [b for b in left if (b.name, o.name) in done]
                b = prev[0] if prev else sorted(left, key=lambda b: (attempts.get(b.name, 0), b.name))[0]
                st["tried"].add(b.name)
                try:
                    text = mutant_header(b, o) + o.apply(b)
                except Exception as exc:
                    log(f"  {o.name} on {b.name}: not applicable ({exc})")
                    continue
                st["tries"] += 1
                path = MUTANTS / f"{b.name}__{o.name}.py"
                old = done.get((b.name, o.name))
                if old and old.get("sha") == sha(text) and old.get("base_sha") == man["bases"][b.name]["sha"]:
                    if old in man["mutants"]:
                        path.write_text(text)
                        st["kept"] += 1
                    continue  # cached verdict; look at the next base in this round
                attempts[b.name] = attempts.get(b.name, 0) + 1
                batch.append((st, o, b, text, path))
                break
        if not batch:
            break
        for _st, _o, _b, text, path in batch:
            path.write_text(text)
        t0 = time.time()
        scores_all = score_scripts([p for *_, p in batch])
        log(f"round {_round}: {len(batch)} candidates scored in {time.time() - t0:.0f}s")
        for st, o, b, text, path in batch:
            name = path.stem
            for lst in ("mutants", "rejected"):
                man[lst] = [r for r in man[lst] if not (r["base"] == b.name and r["operator"] == o.name)]
            base_scores = man["bases"][b.name]["scores"]
            scores = scores_all[str(path)]
            drops = {s: base_scores[s] - scores[s] for s in scores}
            crashed = any(math.isnan(v) for v in scores.values())
            killed = not crashed and all(d >= KILL_MARGIN for d in drops.values())
            rec = {"name": name, "family": o.family, "operator": o.name, "description": o.description,
                   "base": b.name, "task": b.task, "path": f"mutants/{name}.py", "sha": sha(text),
                   "base_sha": man["bases"][b.name]["sha"], "base_scores": base_scores, "mutant_scores": scores}
            if killed:
                man["mutants"].append(rec)
                st["kept"] += 1
            else:
                rec["reason"] = "crashed" if crashed else "not killed (score drop < %.2f on some seed)" % KILL_MARGIN
                man["rejected"].append(rec)
                path.unlink()
            log(f"  {name}: {scores} vs base {base_scores} -> {'KEPT' if killed else rec['reason']}")
        save_manifest(man)


def score_real(man: dict, log=print):
    stale = [k for k in man["real"] if not (REAL / f"{k}.py").exists()]
    for key in stale:
        del man["real"][key]
    if stale:
        save_manifest(man)
    for path in sorted(REAL.glob("r*.py")):
        if path.name.endswith(".fixed.py"):
            continue
        fixed = path.with_name(path.stem + ".fixed.py")
        key = path.stem
        text = path.read_text() + (fixed.read_text() if fixed.exists() else "")
        rec = man["real"].get(key)
        if rec and rec.get("sha") == sha(text):
            continue
        t0 = time.time()
        both = score_scripts([path, fixed] if fixed.exists() else [path])
        buggy = both[str(path)]
        oracle = both.get(str(fixed), {})
        family = re.search(r"^# family: (\w+)", path.read_text(), flags=re.M)
        man["real"][key] = {"path": f"real/{path.name}", "oracle": f"real/{fixed.name}",
                            "family": family.group(1) if family else "unknown", "sha": sha(text),
                            "fault_scores": buggy, "oracle_scores": oracle}
        log(f"real {key}: fault {buggy} oracle {oracle} ({time.time() - t0:.0f}s)")
        save_manifest(man)


def _flush_print(*a, **k):
    print(*a, **k, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="list the operators and exit")
    ap.add_argument("--op", action="append", help="only these operators (repeatable)")
    ap.add_argument("--family", action="append", help="only the operators of these families")
    ap.add_argument("--max-per-op", type=int, default=2, help="mutants kept per operator (default 2)")
    ap.add_argument("--max-tries", type=int, default=3, help="candidate bases tried per operator (default 3)")
    ap.add_argument("--real", action="store_true", help="score the real-fault reproductions only")
    ap.add_argument("--dry-run", action="store_true", help="write candidate mutants without kill-checking")
    args = ap.parse_args(argv)
    if args.list:
        for o in OPS:
            print(f"{o.family:16s} {o.name:30s} {o.description}")
        return 0
    man = load_manifest()
    if args.real:
        score_real(man, log=_flush_print)
        return 0
    bases = load_bases()
    ops = [o for o in OPS if (not args.op or o.name in args.op) and (not args.family or o.family in args.family)]
    if args.dry_run:
        MUTANTS.mkdir(exist_ok=True)
        for o in ops:
            for b in bases:
                if o.applies(b):
                    (MUTANTS / f"{b.name}__{o.name}.py").write_text(mutant_header(b, o) + o.apply(b))
        return 0
    score_bases(man, bases, log=_flush_print)
    generate(man, bases, ops, args.max_per_op, log=_flush_print, max_tries=args.max_tries)
    print(f"kept {len(man['mutants'])} mutants, rejected {len(man['rejected'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
