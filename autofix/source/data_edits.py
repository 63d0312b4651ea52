"""Source-backend handlers for :class:`~autofix.edits.ChangeData`: repairs written into a script's data code.

- ``rescale_targets`` (AF407): fit()'s ``y`` argument becomes ``y / 255`` (``(y - low) / span``), and the
  labels of a ``validation_data=(x, y)`` tuple alike; the variables and the code that made them are kept.
- ``true_division`` (AF409): the integer division (``pixels // 255``, ``x //= 255``) or integer cast
  (``.astype(int)``) on the lines that built fit()'s ``x`` becomes a true division (a float32 cast), the
  one whose rewrite makes the script's inputs vary again (the data facts are read again on the rewritten
  script: a rewrite that does not visibly help is not written).
- ``shuffle_rows`` (AF404): ``order = np.random.default_rng(seed).permutation(len(x))`` and
  ``x, y = x[order], y[order]`` inserted right before the fit() statement.
- ``match_heldout`` (AF410): the held-out expression (``y[n:]``, the ``x`` evaluated) gets the operations
  the training split got (``y[n:] / 100.0``), written with the training code's own operands; an operand
  that is a name must be visible where the held-out expression is.
- ``undo_split_op`` (AF410, targets): the training split's one operation (``y[:n] / 100.0``) is removed
  (``y[:n]``), so the model learns the units it is scored (and used) in.
- ``iterator_no_shuffle`` (AF411): ``shuffle=False`` set on the ``flow_from_directory``/
  ``flow_from_dataframe`` call (on line ``value``) that features are predicted from.
- ``helper_no_shuffle`` (AF411): the reordering on line ``value`` sits in one of the script's functions and
  is switched by a flag parameter of it that defaults to True (``order = rng.permutation(n) if shuffle
  else ...``): the one call of that function that leaves the flag on gets ``shuffle=False``.

Like :mod:`.script_edits`, each handler reads the script with stdlib ``ast`` and finds the libcst node
again by source position.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any

import libcst as cst

from ..edits import ChangeData
from ..spec import Origin
from ..values import is_known
from ._plan import NotApplicable, Plan, node_at
from .render import code_of, quote_of, set_argument
from .script_index import ScriptIndex, keyword

#: Names of integer dtypes in an ``astype(...)`` argument (``int``, ``"int32"``, ``np.uint8``...).
INT_DTYPE = re.compile(r"^(?:(?:np|numpy)\.)?(['\"]?)u?int(?:8|16|32|64)?\1$")
#: Expressions that need no parentheses before `` / 255``.
ATOMIC = (cst.Name, cst.Attribute, cst.Subscript, cst.Call)


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    return call.args[position] if len(call.args) > position else keyword(call, name)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# -- rescale_targets ------------------------------------------------------------------------------
def scaled(code: str, low: float, high: float) -> str:
    """``code`` mapped from ``[low, high]`` onto ``[0, 1]`` (``y / 255``, ``(y + 1) / 2``)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        raise NotApplicable(f"the targets' range {low:g}..{high:g} cannot be mapped onto [0, 1]")
    span = _number(high - low)
    if low == 0:
        return f"{code} / {span}"
    shift = f"{code} - {_number(low)}" if low > 0 else f"{code} + {_number(-low)}"
    return f"({shift}) / {span}"


def _rescale_node(node: cst.BaseExpression, low: float, high: float) -> cst.BaseExpression:
    code = code_of(node)
    wrapped = code if isinstance(node, ATOMIC) and not node.lpar else f"({code})"
    return cst.parse_expression(scaled(wrapped, low, high))


def rescale_targets(plan: Plan, index: ScriptIndex, fit: ast.Call, edit: ChangeData) -> None:
    """Train (and validate) on the targets rescaled at fit()'s arguments."""
    low, high = edit.value
    labels = [_argument(fit, 1, "y")]
    if labels[0] is None:
        raise NotApplicable("fit() receives no visible y (a dataset or generator): rescale the targets where "
                            "they are made")
    validation = keyword(fit, "validation_data")
    if validation is not None:
        if not (isinstance(validation, (ast.Tuple, ast.List)) and len(validation.elts) >= 2):
            raise NotApplicable("fit(validation_data=...) is not a visible (x, y) tuple: its targets would keep "
                                "the old scale")
        labels.append(validation.elts[1])
    for label in labels:
        key = ("rescale", label.lineno, label.col_offset)
        if key in index.done:
            continue
        index.done.add(key)
        node = node_at(plan.tree, index.origin(label), cst.BaseExpression, "fit() targets")
        plan.change(node, lambda n: _rescale_node(n, low, high))


# -- true_division -----------------------------------------------------------------------------------
def _fit_inputs(code: str, line: int) -> Any:
    """The abstract ``x`` and ``y`` the data interpreter sees at the fit() call on ``line`` (None when unseen)."""
    from .data_flow import DataFlow
    from .text import SourceText

    flow = DataFlow(SourceText(code, "<script>")).run(ast.parse(code))
    return next(((values["x"], values["y"]) for node, values in flow.fits.values() if node.lineno == line), None)


def _inputs_vary(code: str, line: int) -> bool:
    """Whether the data facts of ``code`` show inputs that vary between rows at the fit() on ``line``."""
    from .script_data import script_data

    seen = _fit_inputs(code, line)
    data = script_data(*seen) if seen is not None else None
    if data is None or not (is_known(data.x_constant_features) and isinstance(data.x_shape, tuple)):
        return False
    return data.x_constant_features < math.prod(data.x_shape)


def _collapsing(node: ast.AST, text: Any) -> tuple[int, int, str, str] | None:
    """(start, end, old, new) text offsets of the rewrite that undoes ``node``'s integer collapse, if it is one."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.FloorDiv):
        start = text.offset(node.left.end_lineno, node.left.end_col_offset)
        return start, text.offset(node.right.lineno, node.right.col_offset), "//", "/"
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.FloorDiv):
        start = text.offset(node.target.end_lineno, node.target.end_col_offset)
        return start, text.offset(node.value.lineno, node.value.col_offset), "//=", "/="
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "astype" \
            and len(node.args) == 1 and INT_DTYPE.match(text.segment(node.args[0])):
        arg = node.args[0]
        return (text.offset(arg.lineno, arg.col_offset), text.offset(arg.end_lineno, arg.end_col_offset),
                text.segment(arg), "'float32'")
    return None


def _rewrite_collapse(node: cst.CSTNode, quote: str) -> cst.CSTNode:
    if isinstance(node, cst.BinaryOperation):
        op = node.operator
        return node.with_changes(operator=cst.Divide(whitespace_before=op.whitespace_before,
                                                     whitespace_after=op.whitespace_after))
    if isinstance(node, cst.AugAssign):
        op = node.operator
        return node.with_changes(operator=cst.DivideAssign(whitespace_before=op.whitespace_before,
                                                           whitespace_after=op.whitespace_after))
    arg = node.args[0]
    return node.with_changes(args=[arg.with_changes(value=cst.SimpleString(f"{quote}float32{quote}"))])


def true_division(plan: Plan, index: ScriptIndex, fit: ast.Call, edit: ChangeData) -> None:
    """Rewrite the integer division or cast that made fit()'s inputs constant."""
    code, text = plan.tree.code, index.text
    seen = _fit_inputs(code, fit.lineno)
    lines = set(getattr(seen[0], "lines", ())) if seen is not None else set()
    if not lines:
        raise NotApplicable("the script does not show how fit()'s x was made")
    candidates = sorted(((node, found) for node in ast.walk(index.tree)
                         if getattr(node, "lineno", None) in lines and (found := _collapsing(node, text))),
                        key=lambda pair: pair[1][0])
    for node, (start, end, old, new) in candidates:
        if old not in code[start:end]:
            continue
        rewritten = code[:start] + code[start:end].replace(old, new, 1) + code[end:]
        if _inputs_vary(rewritten, fit.lineno):
            kind = cst.AugAssign if isinstance(node, ast.AugAssign) else \
                cst.BinaryOperation if isinstance(node, ast.BinOp) else cst.Call
            where = index.origin(node)
            target = node_at(plan.tree, where, kind, "integer division") if kind is not cst.AugAssign else \
                _aug_assign(plan, where)
            plan.change(target, lambda n: _rewrite_collapse(n, plan.quote))
            return
    shown = ", ".join(map(str, sorted(lines)))
    raise NotApplicable(f"no integer division or integer cast on the lines that made x (script lines {shown}) "
                        "visibly makes the inputs vary when rewritten: fix the preprocessing by hand")


def _aug_assign(plan: Plan, where: Any) -> cst.AugAssign:
    line = node_at(plan.tree, where, cst.SimpleStatementLine, "augmented assignment")
    statement = line.body[0] if len(line.body) == 1 else None
    if not isinstance(statement, cst.AugAssign):
        raise NotApplicable(f"no augmented assignment at {where.render()}")
    return statement


# -- shuffle_rows ------------------------------------------------------------------------------------
def _numpy_alias(tree: ast.Module) -> str | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "numpy":
                    return alias.asname or "numpy"
    return None


def _enclosing_function(tree: ast.Module, node: ast.AST) -> ast.AST | None:
    found = None
    for candidate in ast.walk(tree):
        if isinstance(candidate, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                candidate.lineno <= node.lineno <= candidate.end_lineno:
            if found is None or candidate.lineno >= found.lineno:
                found = candidate
    return found


def _local_names(function: ast.AST) -> set[str]:
    """Parameters and names the function itself binds (rebinding anything else would make it local)."""
    args = function.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    stack = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        stack.extend(ast.iter_child_nodes(node))
    return names


def _fresh(tree: ast.Module, wanted: str) -> str:
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | \
        {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
    name, number = wanted, 1
    while name in used:
        number += 1
        name = f"{wanted}{number}"
    return name


def shuffle_rows(plan: Plan, index: ScriptIndex, fit: ast.Call, edit: ChangeData) -> None:
    """Shuffle ``x`` and ``y`` together right before the fit() statement (seeded)."""
    x, y = _argument(fit, 0, "x"), _argument(fit, 1, "y")
    if not (isinstance(x, ast.Name) and isinstance(y, ast.Name)) or x.id == y.id:
        raise NotApplicable("fit()'s x and y are not two plain variables: shuffle the rows where they are made")
    if keyword(fit, "sample_weight") is not None:
        raise NotApplicable("fit() passes sample_weight, whose rows would need the same shuffle")
    numpy = _numpy_alias(index.tree)
    if numpy is None:
        raise NotApplicable("numpy is not imported in this script")
    function = _enclosing_function(index.tree, fit)
    if function is not None and not {x.id, y.id} <= _local_names(function):
        raise NotApplicable(f"{x.id} and {y.id} are not local to {function.name}(): rebinding them there would "
                            "change their scope")
    key = ("shuffle", fit.lineno, fit.col_offset)
    if key in index.done:
        return
    index.done.add(key)
    call = node_at(plan.tree, index.origin(fit), cst.Call, "fit() call")
    line = plan.tree.enclosing(call, cst.SimpleStatementLine)
    if line is None:
        raise NotApplicable("the fit() call is not a statement of its own")
    order = _fresh(index.tree, "order")
    seed = int(edit.value or 0)
    first = cst.parse_statement(f"{order} = {numpy}.random.default_rng({seed}).permutation(len({x.id}))\n")
    plan.before[id(line)].extend([
        first.with_changes(leading_lines=line.leading_lines),  # blank lines and comments stay above the block
        cst.parse_statement(f"{x.id}, {y.id} = {x.id}[{order}], {y.id}[{order}]\n"),
    ])
    plan.change(line, lambda n: n.with_changes(leading_lines=()))


# -- iterator_no_shuffle ------------------------------------------------------------------------------
#: Keras file iterators, and the position of ``shuffle`` among their positional arguments.
ITERATORS = {"flow_from_directory": 6, "flow_from_dataframe": 8}


def iterator_no_shuffle(plan: Plan, index: ScriptIndex, fit: ast.Call, edit: ChangeData) -> None:
    """``shuffle=False`` on the file iterator call on line ``edit.value`` (only that call changes)."""
    calls = [n for n in ast.walk(index.tree) if isinstance(n, ast.Call) and n.lineno == edit.value and isinstance(
        n.func, ast.Attribute) and n.func.attr in ITERATORS]
    if len(calls) != 1:
        raise NotApplicable(f"no single flow_from_directory() call on line {edit.value}")
    _flag_off(plan, index, calls[0], calls[0].func.attr, "shuffle", ITERATORS[calls[0].func.attr])


def _flag_off(plan: Plan, index: ScriptIndex, call: ast.Call, callee: str, flag: str, position: int | None) -> None:
    """``flag=False`` on ``call`` (of ``callee``; ``position``: where ``flag`` sits among its positional
    arguments), written once; NotApplicable when the call passes it positionally or unpacks arguments."""
    if position is not None and len(call.args) > position or any(k.arg is None for k in call.keywords) or any(
            isinstance(a, ast.Starred) for a in call.args):
        raise NotApplicable(f"{callee}() gets {flag} positionally or unpacked on line {call.lineno}: set "
                            f"{flag}=False there")
    key = ("flag_off", call.lineno, call.col_offset)
    if key in index.done:
        return
    index.done.add(key)
    node = node_at(plan.tree, index.origin(call), cst.Call, f"{callee}() call")
    plan.change(node, lambda n: set_argument(n, callee, "", flag, False, quote_of(n, plan.quote)))


# -- helper_no_shuffle -------------------------------------------------------------------------------
def _switching_flag(fn: ast.FunctionDef, line: int) -> str | None:
    """The parameter of ``fn`` (default ``True``) whose truth selects the code on ``line``: the test of an
    ``a if flag else b`` or ``if flag:`` whose true branch holds that line; None when there is none."""
    args = fn.args.args
    defaults = dict(zip([a.arg for a in args[len(args) - len(fn.args.defaults):]], fn.args.defaults))
    defaults.update({a.arg: d for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults) if d is not None})
    for node in ast.walk(fn):
        branch = node.body if isinstance(node, (ast.IfExp, ast.If)) else None
        if branch is None or not isinstance(node.test, ast.Name):
            continue
        lines = branch if isinstance(branch, list) else [branch]
        if not any(b.lineno <= line <= (b.end_lineno or b.lineno) for b in lines):
            continue
        default = defaults.get(node.test.id)
        if isinstance(default, ast.Constant) and default.value is True:
            return node.test.id
    return None


def helper_no_shuffle(plan: Plan, index: ScriptIndex, fit: ast.Call, edit: ChangeData) -> None:
    """``flag=False`` on the one call that leaves on the shuffle flag of the function holding line ``edit.value``."""
    line = edit.value
    functions = [n for n in ast.walk(index.tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and n.lineno < line <= (n.end_lineno or n.lineno)]
    fn = min(functions, key=lambda n: (n.end_lineno or n.lineno) - n.lineno, default=None)
    flag = _switching_flag(fn, line) if fn is not None else None
    if flag is None:
        raise NotApplicable(f"the reordering on line {line} is not switched by a flag parameter of its function: "
                            "reorder x and y with one permutation there")
    position = [a.arg for a in fn.args.args].index(flag) if flag in [a.arg for a in fn.args.args] else None
    calls = [n for n in ast.walk(index.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
             and n.func.id == fn.name]
    given = {id(c): keyword(c, flag) or (c.args[position] if position is not None and len(c.args) > position
                                         else None) for c in calls}
    if any(v is not None and not isinstance(v, ast.Constant) for v in given.values()):
        raise NotApplicable(f"a call of {fn.name}() passes {flag} through an expression: its value is not known")
    on = [c for c in calls if not (isinstance(given[id(c)], ast.Constant) and given[id(c)].value is False)]
    if len(on) != 1:
        raise NotApplicable(f"{len(on)} calls of {fn.name}() leave {flag} on: set {flag}=False on the one whose "
                            "rows must keep their labels' order")
    _flag_off(plan, index, on[0], fn.name, flag, position)


# -- match_heldout ------------------------------------------------------------------------------------
def _module_names(tree: ast.Module, before: int | None = None) -> set[str]:
    """Names the module's own top-level statements (those before line ``before``) bind: assignments,
    imports, definitions."""
    names: set[str] = set()
    for node in tree.body:
        if before is not None and node.lineno >= before:
            break
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".", 1)[0] for a in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


class _Line:
    def __init__(self, line: int):
        self.lineno = line


def _visible(index: ScriptIndex, forms: tuple, line: int, train_line: int | None) -> None:
    """NotApplicable unless every name the operations read is bound where the held-out expression is: in
    the function that applied them to the training split, or at module level (and not rebound locally)."""
    from .script_data import form_names

    names = set().union(*map(form_names, forms))
    if not names:
        return
    here = _enclosing_function(index.tree, _Line(line))
    if train_line is not None and here is _enclosing_function(index.tree, _Line(train_line)) and (
            here is not None or train_line < line):
        return
    local = _local_names(here) if here is not None else set()
    bound = _module_names(index.tree, before=line if here is None else None)
    hidden = sorted(n for n in names if n not in bound or n in local)
    if hidden:
        raise NotApplicable(f"{', '.join(hidden)} is not visible where the held-out split is used (line {line}): "
                            "apply the same preprocessing there by hand")


def _apply_forms(node: cst.BaseExpression, forms: tuple) -> cst.BaseExpression:
    code, atomic = code_of(node), isinstance(node, ATOMIC) and not node.lpar
    for form in forms:
        code, atomic = form.format(code if atomic else f"({code})"), False
    return cst.parse_expression(code)


def match_heldout(plan: Plan, index: ScriptIndex, fit: ast.Call, edit: ChangeData) -> None:
    """Apply the training split's operations to the held-out expression (that expression alone changes)."""
    (line, col, end_line, end_col), forms, train_line = edit.value
    key = ("match_heldout", line, col)
    if key in index.done:
        return
    _visible(index, forms, line, train_line)
    index.done.add(key)
    node = node_at(plan.tree, Origin(None, line, col, end_line, end_col), cst.BaseExpression, "held-out expression")
    plan.change(node, lambda n: _apply_forms(n, forms))


def undo_split_op(plan: Plan, index: ScriptIndex, fit: ast.Call, edit: ChangeData) -> None:
    """Replace the training part's one operation ``a op b`` by its array operand (that expression alone)."""
    (line, col, end_line, end_col), left = edit.value
    key = ("undo_split_op", line, col)
    if key in index.done:
        return
    index.done.add(key)
    node = node_at(plan.tree, Origin(None, line, col, end_line, end_col), cst.BinaryOperation, "training operation")
    def undo(n: cst.BinaryOperation) -> cst.BaseExpression:
        operand = n.left if left else n.right
        return operand.with_changes(lpar=[*n.lpar, *operand.lpar], rpar=[*operand.rpar, *n.rpar])

    plan.change(node, undo)


HANDLERS = {"match_heldout": match_heldout, "undo_split_op": undo_split_op, "rescale_targets": rescale_targets, "true_division": true_division, "shuffle_rows": shuffle_rows,
            "iterator_no_shuffle": iterator_no_shuffle, "helper_no_shuffle": helper_no_shuffle}


def change_data(plan: Plan, index: ScriptIndex, fit: ast.Call, edit: ChangeData) -> None:
    """Plan ``edit`` on the script ``index`` reads, for the model trained by the ``fit`` call."""
    HANDLERS[edit.op](plan, index, fit, edit)
