"""Apply edits to a training script with one libcst transformer.

Each edit is resolved against the :class:`~autofix.source.sites.SourceSpec` it
was made for, into node-level operations (replace a call, insert or remove a
list element or a statement, extend a ``from ... import``); one transformer
pass then applies them all, so comments and formatting outside the edited
spans are kept.

Specs are extracted with stdlib ``ast`` and hold source *positions*, not
nodes: a handler finds the libcst node an edit is about with
:func:`node_at` (``node_at(plan.tree, origin, cst.Call)``), which matches the
Origin's line/col/end_line/end_col against libcst's ``PositionProvider``.
This module is imported only when a script has fixes to apply.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Sequence

import libcst as cst

from ..edits import (Edit, InsertLayer, NewLayer, RemoveLayer, RenameArg, ReplaceLayer, SetCompileArg, SetFitArg,
                     SetLayerArg, SetLoss, SetOptimizerArg)
from . import keras1, legacy
from ..values import Opaque
from ..spec import Origin
from ._nodes import import_owner, imported_names, keras_prefix, rename_class
from ._plan import NotApplicable, Plan, SourceTree, node_at
from . import script_edits
from .sites import Site, SourceSpec
from .render import (LOSS_CLASSES, OPTIMIZER_CLASSES, call_text, callee_prefix, code_of, expression,
                     override_unpacked, quote_of, rename_callee, set_argument, variable_argument)



def _layer(spec: SourceSpec, qualname: str):
    try:
        return spec.layer(qualname)
    except KeyError:
        raise NotApplicable(f"no layer {qualname!r} in this script") from None


def _call_of(plan: Plan, spec: SourceSpec, qualname: str) -> cst.Call:
    node = plan.tree.find(_layer(spec, qualname).origin, cst.Call)
    if node is None:
        raise NotApplicable(f"layer {qualname!r} has no constructor call in the source")
    return node




def _layer_callee(plan: Plan, spec: SourceSpec, anchor: str, class_name: str) -> str:
    """``layers.X`` / ``X`` / ``keras.layers.X``, following how ``anchor`` is written."""
    func = _call_of(plan, spec, anchor).func
    prefix = callee_prefix(func)
    if prefix and "Input" not in code_of(func):
        return prefix + class_name
    if prefix == "" and isinstance(func, cst.Name):
        owner = import_owner(plan.module, func.value)
        if owner is not None and import_owner(plan.module, class_name) is None:
            if class_name not in plan.imports[id(owner)]:
                plan.imports[id(owner)].append(class_name)
        return class_name
    for layer in spec.layers:
        call = plan.tree.find(layer.origin, cst.Call)
        other = callee_prefix(call.func) if call is not None else None
        if other and layer.class_name != "InputLayer":
            return other + class_name
    return f"{keras_prefix(plan)}layers.{class_name}"


def _new_call(plan: Plan, spec: SourceSpec, anchor: str, new: NewLayer) -> cst.BaseExpression:
    callee = _layer_callee(plan, spec, anchor, new.class_name)
    return cst.parse_expression(call_text(callee, new.kwargs, plan.quote))


# -- edit handlers -----------------------------------------------------------
def _beside_unpacked(call: cst.Call, arg: str) -> bool:
    """A call taking ``**settings`` that does not name ``arg`` itself: a second ``arg=`` beside the dict's
    would be a TypeError, so the edit overrides it for this call alone (:func:`override_unpacked`)."""
    return any(a.star == "**" for a in call.args) and not any(
        a.keyword is not None and a.keyword.value == arg for a in call.args)


def _set_layer_arg(plan: Plan, spec: SourceSpec, edit: SetLayerArg) -> None:
    layer = _layer(spec, edit.layer)
    call = _call_of(plan, spec, edit.layer)
    quote = quote_of(call, plan.quote, plan.tree)
    if _beside_unpacked(call, edit.arg):
        plan.change(call, lambda node: override_unpacked(node, edit.arg, edit.value, quote))
        return
    kind_name = "Input" if layer.class_name == "InputLayer" else layer.class_name
    same = edit.arg in layer.config and layer.config[edit.arg] == edit.value  # a rename: keep the expression
    site = spec.sites.get(layer.name)
    entry = site.entries.get(edit.arg) if site is not None else None
    keep = _set_at_variable(plan, call, "layer", kind_name, edit.arg, same, edit.value, entry) or same
    plan.change(call, lambda node: set_argument(node, "layer", kind_name, edit.arg, edit.value, quote,
                                                keep_value=keep))


def _set_at_variable(plan: Plan, call: cst.Call, kind: str, class_name: str, arg: str, same: bool,
                     value: Any, entry: Origin | None = None) -> bool:
    """A value the script passes through a variable is changed where that variable is set, never replaced by
    a literal in the call (that would cut the variable out and change the script's intent). True when it
    was set at a module constant assigned once and read only here (``EPOCHS = 1`` -> ``EPOCHS = 6``): the
    call keeps its expression. A rename that keeps the expression (``pool_length=n`` -> ``pool_size=n``)
    is not a change. ``entry``: where a dict entry the argument reads writes its literal (``cfg["units"]``
    with ``cfg = {"units": 1}``, read only there: :attr:`Site.entries`), changed there the same way.
    Any other variable: NotApplicable, with the reason."""
    found = plan.tree.find(entry, cst.BaseExpression) if entry is not None and not same else None
    if isinstance(found, _LITERALS):  # ``cfg.get("act", "relu")`` too: the dict's value, changed in the dict
        plan.change(found, lambda node: expression(value, quote_of(node, plan.quote)))
        return True
    written = None if same else variable_argument(call, kind, class_name, arg, imported_names(plan.tree.module))
    if written is None or isinstance(value, Opaque) and value.text.strip() == written.strip():
        return False
    constant = _constant_value(plan, written.strip()) or _parameter_default(plan, call, written.strip())
    if constant is not None:
        plan.change(constant, lambda node: expression(value, quote_of(node, plan.quote)))
        return True
    raise NotApplicable(f"{arg}= is set from `{written}` here: change the value where `{written}` is set "
                        "(autofix does not replace a variable by a literal)")


_LITERALS = (cst.Integer, cst.Float, cst.SimpleString, cst.UnaryOperation)


def _constant_value(plan: Plan, name: str) -> cst.BaseExpression | None:
    """The literal of ``name = <literal>`` at module level when the module binds ``name`` once and reads it
    once (the call being fixed): changing it there changes nothing else."""
    if not name.isidentifier():
        return None
    values = [small.value for stmt in plan.tree.module.body if isinstance(stmt, cst.SimpleStatementLine)
              for small in stmt.body if isinstance(small, cst.Assign) and len(small.targets) == 1
              and isinstance(small.targets[0].target, cst.Name) and small.targets[0].target.value == name]
    if len(values) != 1 or not isinstance(values[0], _LITERALS):
        return None
    return values[0] if _mentions(plan.tree.module, name) == 2 else None


def _parameter_default(plan: Plan, call: cst.Call, name: str) -> cst.BaseExpression | None:
    """The literal parameter ``name`` of the plain function around ``call`` takes, when the function reads
    it only there: its default when no caller passes it (``def build(activation="sigmoid")`` called as
    ``build()``), or the literal the function's one caller passes (``build(activation="sigmoid")``).
    Changing that node changes only this use."""
    func = plan.tree.enclosing(call, cst.FunctionDef) if name.isidentifier() else None
    if func is None:
        return None
    ordered = [*func.params.posonly_params, *func.params.params]
    found = [(i, p) for i, p in enumerate([*ordered, *func.params.kwonly_params]) if p.name.value == name]
    if len(found) != 1 or ordered[:1] and ordered[0].name.value in ("self", "cls") or _mentions(func, name) != 2:
        return None
    index, param = found[0]
    calls = [node for node in _nodes(plan.tree.module) if isinstance(node, cst.Call) and
             (node.func.value if isinstance(node.func, cst.Name) else None) == func.name.value]
    if _mentions(plan.tree.module, func.name.value) != 1 + len(calls):
        return None  # the function is also passed around as a value
    passed = [_passed(other, name, index if index < len(ordered) else None) for other in calls]
    if any(value is _UNSEEN for value in passed):
        return None
    given = [value for value in passed if value is not None]
    if not given:
        return param.default if isinstance(param.default, _LITERALS) else None
    return given[0] if len(calls) == 1 and isinstance(given[0], _LITERALS) else None


#: A call whose ``*args``/``**kwargs`` may hold the parameter.
_UNSEEN = object()


def _passed(call: cst.Call, name: str, index: int | None):
    """The argument ``call`` passes for parameter ``name`` (at position ``index``, if positional), None when it
    passes none, :data:`_UNSEEN` when a starred argument may hold it."""
    if any(arg.star for arg in call.args):
        return _UNSEEN
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    positional = [arg for arg in call.args if arg.keyword is None]
    return positional[index].value if index is not None and index < len(positional) else None


def _nodes(node: cst.CSTNode):
    yield node
    for child in node.children:
        yield from _nodes(child)


def _mentions(node: cst.CSTNode, name: str) -> int:
    """How many times ``name`` is bound or read under ``node`` (keywords and attribute names aside)."""
    if isinstance(node, cst.Name):
        return int(node.value == name)
    skip = {id(node.keyword)} if isinstance(node, cst.Arg) and node.keyword is not None else (
        {id(node.attr)} if isinstance(node, cst.Attribute) else set())
    return sum(_mentions(child, name) for child in node.children if id(child) not in skip)




def _replace_layer(plan: Plan, spec: SourceSpec, edit: ReplaceLayer) -> None:
    layer = _layer(spec, edit.layer)
    call = _call_of(plan, spec, edit.layer)
    written = code_of(call.func).rsplit(".", 1)[-1]
    if legacy.layer_class(written) == edit.new.class_name and written != edit.new.class_name:
        # A rename to Keras 3 spelling: the Keras 1 kernel arguments merge into kernel_size,
        # legacy keywords are renamed, and every value keeps its source text; only
        # values the fix changes are written anew.
        quote = quote_of(call, plan.quote, plan.tree)
        plan.change(call, lambda node: keras1.merge_kernel(node, written))
        rename_class(plan, call, written, edit.new.class_name)
        for key, value in edit.new.kwargs.items():
            if key in layer.config:
                same = layer.config[key] == value
                plan.change(call, lambda node, k=key, v=value, keep=same: set_argument(
                    node, "layer", layer.class_name, k, v, quote, keep_value=keep))
        return
    new = _new_call(plan, spec, edit.layer, edit.new)
    plan.change(call, lambda node: new)





def _rename_arg(plan: Plan, spec: SourceSpec, edit: RenameArg) -> None:
    """``old=value`` -> ``new=value`` at ``edit.at`` (else in the model's fit() call / optimizer)."""
    if edit.at is not None:
        arg = plan.tree.find(edit.at, cst.Arg)
        if not isinstance(arg, cst.Arg) or arg.keyword is None or arg.keyword.value != edit.old:
            raise NotApplicable(f"no {edit.old}= argument at {edit.at.render()} in this script")
        call = plan.tree.find(edit.at, cst.Call)
        if call is not None and any(a.keyword is not None and a.keyword.value == edit.new for a in call.args):
            raise NotApplicable(f"the call gives both {edit.old}= and {edit.new}=: keep the one you mean")
        plan.change(arg, lambda node: node.with_changes(keyword=node.keyword.with_changes(value=edit.new)))
        return
    if edit.call == "fit":
        call = node_at(plan.tree, spec.fit_call, cst.Call, "fit() call")
    else:
        origin = spec.compile.optimizer_origin if spec.compile else None
        call = plan.tree.find(origin, cst.Call)
        if call is None:
            raise NotApplicable("the optimizer is not constructed visibly in this script")
    if not any(a.keyword is not None and a.keyword.value == edit.old for a in call.args):
        raise NotApplicable(f"no {edit.old}= argument in the {edit.call} call")
    plan.change(call, lambda node: node.with_changes(args=[
        a.with_changes(keyword=a.keyword.with_changes(value=edit.new))
        if a.keyword is not None and a.keyword.value == edit.old else a for a in node.args]))


@dataclass
class _SiteNodes:
    """A layer Site's positions resolved to this tree's libcst nodes (None where absent)."""

    kind: str
    target: str | None
    stmt: cst.SimpleStatementLine | None
    container: cst.List | None
    element: cst.Element | None
    apply: cst.Call | None


def _site_nodes(plan: Plan, spec: SourceSpec, layer: str) -> _SiteNodes:
    site = spec.sites.get(layer) or Site("inline")
    find = plan.tree.find
    container = find(site.container, cst.List)
    value = find(site.element, cst.BaseExpression) if container is not None else None
    element = next((el for el in container.elements if el.value is value), None) if value is not None else None
    return _SiteNodes(site.kind, site.target, find(site.stmt, cst.SimpleStatementLine), container, element,
                      find(site.apply, cst.Call))


def _insert_layer(plan: Plan, spec: SourceSpec, edit: InsertLayer) -> None:
    site = _site_nodes(plan, spec, edit.anchor)
    new = _new_call(plan, spec, edit.anchor, edit.new)
    if site.kind == "list" and site.element is not None:
        plan.list_ops[id(site.container)].append(("after" if edit.after else "before", site.element, new))
    elif site.kind == "add" and site.stmt is not None:
        expr = site.stmt.body[0]
        add_call = expr.value if isinstance(expr, cst.Expr) else None
        if not isinstance(add_call, cst.Call):
            raise NotApplicable("model.add() statement has an unexpected shape")
        stmt = cst.SimpleStatementLine(
            [cst.Expr(add_call.with_changes(args=[cst.Arg(new)]))])
        (plan.after if edit.after else plan.before)[id(site.stmt)].append(stmt)
    elif site.kind == "functional" and site.apply is not None and site.target and edit.after \
            and site.stmt is not None:
        stmt = cst.parse_statement(f"{site.target} = {code_of(new)}({site.target})\n")
        plan.after[id(site.stmt)].append(stmt)
    elif site.kind in ("functional", "inline") and site.apply is not None and site.apply.args:
        def wrap(node: cst.Call) -> cst.Call:
            first = node.args[0]
            return node.with_changes(args=[first.with_changes(value=cst.Call(new, [cst.Arg(first.value)])),
                                           *node.args[1:]])

        if edit.after:
            raise NotApplicable("cannot insert after an inline layer call")
        plan.change(site.apply, wrap)
    else:
        raise NotApplicable(f"cannot insert next to {edit.anchor!r} in this script")


def _remove_layer(plan: Plan, spec: SourceSpec, edit: RemoveLayer) -> None:
    site = _site_nodes(plan, spec, edit.layer)
    if site.kind == "list" and site.element is not None:
        plan.list_ops[id(site.container)].append(("remove", site.element, None))
    elif site.kind == "add" and site.stmt is not None:
        plan.removed.add(id(site.stmt))
    elif site.kind == "functional" and site.apply is not None and site.apply.args and site.stmt is not None:
        source = site.apply.args[0].value
        if isinstance(source, cst.Name) and source.value == site.target:
            plan.removed.add(id(site.stmt))
        else:
            plan.change(site.apply, lambda node: node.args[0].value)
    else:
        raise NotApplicable(f"cannot remove layer {edit.layer!r} from this script")


def _compile_call(plan: Plan, spec: SourceSpec) -> cst.Call:
    if spec.compile_call is None:
        raise NotApplicable("the model has no compile() call in this script")
    return node_at(plan.tree, spec.compile_call, cst.Call, "compile() call")


def _set_loss(plan: Plan, spec: SourceSpec, edit: SetLoss) -> None:
    origin = spec.compile.loss_origin if spec.compile else None
    node = plan.tree.find(origin, cst.BaseExpression)
    config = dict(edit.config)
    class_name = LOSS_CLASSES.get(edit.loss, edit.loss)
    if isinstance(node, cst.Call):
        plan.change(node, lambda n: _loss_object(n, class_name, config, plan.quote))
        return
    if node is not None and not config:
        plan.change(node, lambda n: expression(edit.loss, quote_of(n, plan.quote)))
        return
    value = cst.parse_expression(call_text(f"{keras_prefix(plan)}losses.{class_name}", config, plan.quote)) \
        if config else expression(edit.loss, plan.quote)
    if node is not None:
        plan.change(node, lambda n: value)
    else:
        plan.change(_compile_call(plan, spec), lambda n: set_argument(n, "compile", "", "loss", Opaque(code_of(value)), plan.quote))


def _loss_object(node: cst.Call, class_name: str, config: dict[str, Any], quote: str) -> cst.Call:
    if code_of(node.func).rsplit(".", 1)[-1] != class_name:
        node = node.with_changes(func=rename_callee(node.func, class_name))
    for key, value in config.items():
        node = set_argument(node, "loss", class_name, key, value, quote_of(node, quote))
    return node


def _set_optimizer_arg(plan: Plan, spec: SourceSpec, edit: SetOptimizerArg) -> None:
    origin = spec.compile.optimizer_origin if spec.compile else None
    node = plan.tree.find(origin, cst.BaseExpression)
    optimizer = spec.compile.optimizer if spec.compile else None
    if isinstance(node, cst.Call):
        name = optimizer.get("class_name", "") if isinstance(optimizer, dict) else ""
        plan.change(node, lambda n: set_argument(n, "optimizer", name, edit.arg, edit.value, quote_of(n, plan.quote)))
        return
    if not isinstance(optimizer, str) or optimizer.lower() not in OPTIMIZER_CLASSES:
        raise NotApplicable("the optimizer is not a literal in this script")
    text = call_text(f"{keras_prefix(plan)}optimizers.{OPTIMIZER_CLASSES[optimizer.lower()]}",
                     {edit.arg: edit.value}, plan.quote)
    if node is not None:
        plan.change(node, lambda n: cst.parse_expression(text))
    else:
        plan.change(_compile_call(plan, spec), lambda n: set_argument(
            n, "compile", "", "optimizer", Opaque(text), plan.quote))


def _set_call_arg(plan: Plan, where: Origin | None, kind: str, arg: str, value: Any,
                  origins: dict[str, Origin] | None = None) -> None:
    if where is None:
        raise NotApplicable(f"no {kind}() call in this script")
    call = node_at(plan.tree, where, cst.Call, f"{kind}() call")
    unpacked = [a for a in call.args if a.star == "**"]
    given = (origins or {}).get(arg)
    outside = given is not None and given.line is not None and not (
        (where.line, where.col) <= (given.line, given.col) <= (given.end_line, given.end_col)
        <= (where.end_line, where.end_col))
    if unpacked and outside:  # ``**FIT``: edit the value where the dict writes it
        plan.change(node_at(plan.tree, given, cst.BaseExpression, f"{arg} value"),
                    lambda n: expression(value, quote_of(n, plan.quote)))
        return
    if _beside_unpacked(call, arg):
        plan.change(call, lambda n: override_unpacked(n, arg, value, quote_of(n, plan.quote)))
        return
    keep = _set_at_variable(plan, call, kind, "", arg, False, value)
    plan.change(call, lambda n: set_argument(n, kind, "", arg, value, quote_of(n, plan.quote), keep_value=keep))


def _resolve(plan: Plan, spec: SourceSpec, edit: Edit) -> None:
    if isinstance(edit, SetLayerArg):
        _set_layer_arg(plan, spec, edit)
    elif isinstance(edit, InsertLayer):
        _insert_layer(plan, spec, edit)
    elif isinstance(edit, ReplaceLayer):
        _replace_layer(plan, spec, edit)
    elif isinstance(edit, RemoveLayer):
        _remove_layer(plan, spec, edit)
    elif isinstance(edit, SetLoss):
        _set_loss(plan, spec, edit)
    elif isinstance(edit, SetOptimizerArg):
        _set_optimizer_arg(plan, spec, edit)
    elif isinstance(edit, SetCompileArg):
        _set_call_arg(plan, spec.compile_call, "compile", edit.arg, edit.value,
                      getattr(spec.compile, "arg_origins", None))
    elif isinstance(edit, SetFitArg):
        _set_call_arg(plan, spec.fit_call, "fit", edit.arg, edit.value, spec.fit.arg_origins)
    elif isinstance(edit, RenameArg):
        _rename_arg(plan, spec, edit)
    else:  # labels, callbacks, method calls: the script around the model
        script_edits.resolve_script_edit(plan, spec, edit)


def check_applicable(tree: SourceTree, spec: SourceSpec, edits: Sequence[Edit]) -> str | None:
    """Why ``edits`` cannot be applied to this script, or None when they can."""
    try:
        plan = Plan(tree)
        for edit in edits:
            _resolve(plan, spec, edit)
    except NotApplicable as exc:
        return str(exc)
    return None


class _Transformer(cst.CSTTransformer):
    def __init__(self, plan: Plan):
        super().__init__()
        self.plan = plan
        self.starts = _touched_starts(plan)

    def on_visit(self, node: cst.CSTNode) -> bool:
        """Descend only into nodes where an operation starts (the rest is kept as it is)."""
        if self.starts is None or isinstance(node, cst.Param):  # a Param's range leaves out its default
            return True
        span = self.plan.tree.visit_span(node)
        if span is None:
            return True
        first = bisect.bisect_left(self.starts, (span.start.line, span.start.column))
        return first < len(self.starts) and self.starts[first] <= (span.end.line, span.end.column)

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> Any:
        key = id(original)
        for fn in self.plan.replace.get(key, ()):
            updated = fn(updated)
        if key in self.plan.list_ops and isinstance(updated, cst.List):
            updated = _edit_list(original, updated, self.plan.list_ops[key])
        if key in self.plan.imports and isinstance(updated, cst.ImportFrom):
            updated = _edit_import(updated, self.plan.imports[key], self.plan.still_used)
        if isinstance(original, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            if key in self.plan.removed:
                return cst.RemovalSentinel.REMOVE
            if key in self.plan.before or key in self.plan.after:
                return cst.FlattenSentinel([*self.plan.before.get(key, ()), updated,
                                            *self.plan.after.get(key, ())])
        return updated


def _touched_starts(plan: Plan) -> list[tuple[int, int]] | None:
    """The sorted start positions of the nodes the plan operates on; None (visit everything)
    when one of them has no recorded position."""
    keys = set(plan.replace) | set(plan.list_ops) | set(plan.imports) | plan.removed | set(plan.before) \
        | set(plan.after)
    if not keys:
        return []
    spans = plan.tree.spans(keys)
    if len(spans) < len(keys):
        return None
    return sorted((span.start.line, span.start.column) for span in spans.values())


def _edit_list(original: cst.List, updated: cst.List, ops) -> cst.List:
    """Insert/remove elements, keeping the list's comma and line-break style."""
    elements = list(updated.elements)
    position = {id(el): i for i, el in enumerate(original.elements)}
    separator = next((el.comma for el in elements[:-1] if isinstance(el.comma, cst.Comma)),
                     cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    before, after, removed = defaultdict(list), defaultdict(list), set()
    for op, element, new in ops:
        i = position[id(element)]
        if op == "remove":
            removed.add(i)
        else:
            (after if op == "after" else before)[i].append(cst.Element(new, comma=separator))
    out: list[cst.Element] = []
    for i, element in enumerate(elements):
        out.extend(before[i])
        if i not in removed:
            out.append(element)
        out.extend(after[i])
    for j, element in enumerate(out):
        if j == len(out) - 1:
            out[j] = element.with_changes(comma=elements[-1].comma)
        elif element is elements[-1] or not isinstance(element.comma, cst.Comma):
            out[j] = element.with_changes(comma=separator)
    return updated.with_changes(elements=out)


def _edit_import(node: cst.ImportFrom, names: list[str], still_used=lambda name: False) -> cst.ImportFrom:
    """Rename (``old->new``), add, or drop (``-bound``) names in a ``from ... import`` (an old
    name the script still uses elsewhere is kept, and the new one added)."""
    aliases = list(node.names)
    for name in dict.fromkeys(names):
        if name.startswith("-"):  # ``-m``: drop the binding ``m`` once nothing uses it
            if not still_used(name[1:]):
                aliases = [a for a in aliases if (a.asname.name.value if a.asname else code_of(a.name)) != name[1:]]
        elif "->" in name:
            old, new = name.split("->")
            present = any(code_of(a.name) == new for a in aliases)
            if still_used(old):
                if not present:
                    aliases.append(cst.ImportAlias(cst.Name(new)))
                continue
            if not present and not any(code_of(a.name) == old for a in aliases):
                aliases.append(cst.ImportAlias(cst.Name(new)))  # ``merge`` renamed to two functions
                continue
            aliases = [a.with_changes(name=cst.Name(new)) if code_of(a.name) == old else a
                       for a in aliases if not (present and code_of(a.name) == old)]
        else:
            aliases.append(cst.ImportAlias(cst.Name(name)))
    trailing = node.names[-1].comma
    separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    aliases = [a.with_changes(comma=trailing if j == len(aliases) - 1 else
                              (a.comma if isinstance(a.comma, cst.Comma) and a is not node.names[-1] else separator))
               for j, a in enumerate(aliases)]
    return node.with_changes(names=aliases)


def apply_edits(tree: SourceTree | cst.Module, batches: Sequence[tuple[SourceSpec, Sequence[Edit]]]
                ) -> cst.Module:
    """Apply each spec's edits to ``tree`` (the script the specs were extracted from)."""
    tree = tree if isinstance(tree, SourceTree) else SourceTree(tree)
    plan = Plan(tree)
    for spec, edits in batches:
        for edit in edits:
            _resolve(plan, spec, edit)
    result = tree.module.visit(_Transformer(plan))
    if plan.needs_keras_import:
        result = _add_import(result, "import keras")
    for line in dict.fromkeys(plan.extra_imports):
        if not any(isinstance(stmt, cst.SimpleStatementLine) and code_of(stmt).strip() == line for stmt in result.body):
            result = _add_import(result, line)
    return result


def _add_import(module: cst.Module, line: str) -> cst.Module:
    body = list(module.body)
    last = max((i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine)
                and any(isinstance(b, (cst.Import, cst.ImportFrom)) for b in s.body)), default=-1)
    body.insert(last + 1, cst.parse_statement(line + "\n"))
    return module.with_changes(body=body)
