"""Source-backend handlers for edits about the script around the model.

``SetLabelEncoding`` (the ``to_categorical(...)`` calls whose result fit()
trains on), ``SetCallbackArg`` (a callback constructor passed to
``fit(callbacks=[...])``) and ``RenameMethod`` (``fit_generator`` ->
``fit``, ``predict_classes`` -> ``predict`` + decoding); ``UpgradeSource`` and
``ChangeData`` (the script's data code) have their own modules.

Each handler reads the script with stdlib ``ast`` (:class:`~autofix.source.script_index.ScriptIndex`),
decides which expressions to change, and finds their libcst nodes again **by
source position** with :func:`~autofix.source._plan.node_at`; no syntax
tree node is kept from extraction.
"""

from __future__ import annotations

import ast
from typing import Any, Iterator

import libcst as cst

from ..edits import ChangeData, Edit, RenameMethod, SetCallbackArg, SetLabelEncoding, UpgradeSource
from .render import code_of, quote_of, set_argument
from ._nodes import has_siblings, without
from ._plan import NotApplicable, Plan, node_at
from .script_index import ScriptIndex, keyword

#: fit() keywords that Keras 3 dropped (they belong to a PyDataset now): a
#: ``fit_generator`` call using them cannot simply be renamed.
DROPPED_FIT_KWARGS = frozenset({"workers", "use_multiprocessing", "max_queue_size",
                                "nb_worker", "pickle_safe", "max_q_size"})  # Keras 1 spellings


def _fit(plan: Plan, spec: Any) -> tuple[ScriptIndex, ast.Call]:
    index = plan.script_index
    fit = index.call_at(getattr(spec, "fit_call", None) or spec.fit.origin)
    if fit is None:
        raise NotApplicable("no fit() call for this model in the script")
    return index, fit


# -- SetLabelEncoding ------------------------------------------------------------
def _label_expressions(index: ScriptIndex, fit: ast.Call) -> Iterator[ast.expr]:
    """fit()'s ``y`` and the labels of a ``validation_data=(x, y)`` tuple."""
    y = fit.args[1] if len(fit.args) > 1 else keyword(fit, "y")
    if y is not None:
        yield y
    validation = index.value_of(keyword(fit, "validation_data"), fit.lineno)
    if isinstance(validation, (ast.Tuple, ast.List)) and len(validation.elts) >= 2:
        yield validation.elts[1]


def _is_to_categorical(index: ScriptIndex, node: ast.expr | None) -> bool:
    return isinstance(node, ast.Call) and index.callee(node) == "to_categorical" and _encoded(node) is not None


def _encoded(call: ast.Call) -> ast.expr | None:
    """The labels ``to_categorical`` encodes (its first argument)."""
    return call.args[0] if call.args else keyword(call, "x")


def onehot_sources(index: ScriptIndex, fit: ast.Call) -> list[tuple[ast.Call, ast.Assign | None]]:
    """``to_categorical`` calls whose result fit() trains or validates on, with
    the assignment that binds it (None when passed to fit() inline).

    A name passed as labels is followed to every ``name = to_categorical(...)``
    in the script (any scope: the script's own label variables).
    """
    found: list[tuple[ast.Call, ast.Assign | None]] = []
    for expr in _label_expressions(index, fit):
        if _is_to_categorical(index, expr):
            found.append((expr, None))
        elif isinstance(expr, ast.Name):
            found.extend((a.value, a) for a in index.assigns.get(expr.id, ()) if _is_to_categorical(index, a.value))
    return found


def _unwrap(plan: Plan, index: ScriptIndex, call: ast.Call, assign: ast.Assign | None) -> None:
    """``y = to_categorical(y)`` is dropped; any other ``to_categorical(e)`` becomes ``e``."""
    key = ("unwrap", call.lineno, call.col_offset)
    if key in index.done:
        return
    index.done.add(key)
    encoded = _encoded(call)
    if assign is not None and isinstance(encoded, ast.Name) and encoded.id == assign.targets[0].id:
        line = node_at(plan.tree, index.origin(assign), cst.SimpleStatementLine, "label assignment")
        if len(line.body) == 1 and has_siblings(index, assign):
            plan.removed.add(id(line))
            return
    node = node_at(plan.tree, index.origin(call), cst.Call, "to_categorical() call")
    position = 0 if call.args else next(i for i, a in enumerate(node.args) if a.keyword and a.keyword.value == "x")
    plan.change(node, lambda n: n.args[position].value)



def set_label_encoding(plan: Plan, spec: Any, edit: SetLabelEncoding) -> None:
    """Make fit() train on class indices by unwrapping its ``to_categorical`` labels."""
    if edit.encoding != "indices":
        raise NotApplicable("adding to_categorical() to a script is not supported; encode the labels by hand")
    index, fit = _fit(plan, spec)
    sources = onehot_sources(index, fit)
    if not sources:
        raise NotApplicable("fit()'s labels are not visibly one-hot encoded with to_categorical() in this "
                            "script; pass 0/1 class indices (e.g. y.argmax(-1)) by hand")
    for call, assign in sources:
        _unwrap(plan, index, call, assign)


# -- SetCallbackArg ------------------------------------------------------------------
def _fit_callback_calls(index: ScriptIndex, fit: ast.Call, spec: Any = None) -> list[ast.Call | None]:
    """The constructor call of each element of ``fit(callbacks=[...])`` (None when not visible);
    with ``fit(**FIT)``, of the list where the extractor read ``FIT``'s callbacks."""
    items, line = keyword(fit, "callbacks"), fit.lineno
    where = spec.fit.arg_origins.get("callbacks") if spec is not None and items is None else None
    if where is not None and where.line is not None:
        items, line = _expression_at(index, where), where.line
    items = index.value_of(items, line)
    if not isinstance(items, (ast.List, ast.Tuple)):
        return []
    calls = [index.value_of(element, fit.lineno) for element in items.elts]
    return [call if isinstance(call, ast.Call) else None for call in calls]


def _expression_at(index: ScriptIndex, where: Any) -> ast.expr | None:
    span = (where.line, where.col, where.end_line, where.end_col)
    for node in ast.walk(index.tree):
        if isinstance(node, ast.expr):
            found = index.origin(node)
            if (found.line, found.col, found.end_line, found.end_col) == span:
                return node
    return None


def set_callback_arg(plan: Plan, spec: Any, edit: SetCallbackArg) -> None:
    """Set a keyword of the addressed callback's constructor call, in place."""
    index, fit = _fit(plan, spec)
    calls = [c for c in _fit_callback_calls(index, fit, spec) if c is not None and index.callee(c) == edit.class_name]
    if edit.index >= len(calls):
        raise NotApplicable(f"no {edit.callback} constructor visibly passed to fit(callbacks=...)")
    call = node_at(plan.tree, index.origin(calls[edit.index]), cst.Call, f"{edit.class_name}() call")
    plan.change(call, lambda n: set_argument(n, "callback", edit.class_name, edit.arg, edit.value,
                                             quote_of(n, plan.quote)))


# -- RenameMethod --------------------------------------------------------------------------
def _renamed(node: cst.Call, edit: RenameMethod, quote: str) -> cst.BaseExpression:
    """``m.old(...)`` as ``m.new(...)``, decoded to class indices when asked."""
    call = node.with_changes(func=node.func.with_changes(attr=cst.Name(edit.new)))
    if edit.drop:

        call = without(call, set(edit.drop))
    if edit.old.endswith("_generator"):  # ``fit_generator(generator=g)``: Keras 3 names it ``x``
        call = call.with_changes(args=[a.with_changes(keyword=a.keyword.with_changes(value="x"))
                                       if a.keyword is not None and a.keyword.value == "generator" else a
                                       for a in call.args])
    if edit.decode == "threshold":
        return cst.parse_expression(f"({code_of(call)} > 0.5).astype({quote}int32{quote})")
    if edit.decode == "argmax":
        return cst.parse_expression(f"{code_of(call)}.argmax(axis=-1)")
    return call


def rename_method(plan: Plan, spec: Any, edit: RenameMethod) -> None:
    """Rewrite every ``<obj>.old(...)`` call of the script."""
    index = plan.script_index
    calls = [c for c in index.calls if isinstance(c.func, ast.Attribute) and c.func.attr == edit.old]
    if not calls:
        raise NotApplicable(f"no .{edit.old}() call in this script")
    for call in calls:
        dropped = sorted(({k.arg for k in call.keywords} & DROPPED_FIT_KWARGS) - set(edit.drop)) \
            if edit.old.endswith("_generator") else []
        if dropped:
            raise NotApplicable(f".{edit.old}() passes {', '.join(dropped)}, which Keras 3's {edit.new}() does "
                                "not accept (move them to a keras.utils.PyDataset)")
    for call in calls:
        key = ("rename", call.lineno, call.col_offset)
        if key not in index.done:
            index.done.add(key)
            node = node_at(plan.tree, index.origin(call), cst.Call, f".{edit.old}() call")
            plan.change(node, lambda n: _renamed(n, edit, plan.quote))


def upgrade_source(plan: Plan, spec: Any, edit: UpgradeSource) -> None:
    from .upgrade_edits import upgrade_source as handler

    handler(plan, spec, edit)


def change_data(plan: Plan, spec: Any, edit: ChangeData) -> None:
    from .data_edits import change_data as handler  # lazily: only a data fix needs the data interpreter

    handler(plan, *_fit(plan, spec), edit)


HANDLERS = {SetLabelEncoding: set_label_encoding, SetCallbackArg: set_callback_arg, RenameMethod: rename_method,
            UpgradeSource: upgrade_source, ChangeData: change_data}


def resolve_script_edit(plan: Plan, spec: Any, edit: Edit) -> None:
    """Plan a script-level edit; NotApplicable for edits this module does not handle."""
    handler = HANDLERS.get(type(edit))
    if handler is None:
        raise NotApplicable(f"unknown edit {type(edit).__name__}")
    handler(plan, spec, edit)
