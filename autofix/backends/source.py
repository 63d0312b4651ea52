"""Apply edits to a training script with one libcst transformer.

Each edit is resolved against the :class:`~autofix.source.facts.SourceSpec` it
was made for, into node-level operations (replace a call, insert or remove a
list element or a statement, extend a ``from ... import``); one transformer
pass then applies them all, so comments and formatting outside the edited
spans are kept.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Callable, Sequence

import libcst as cst

from ..edits import (Edit, InsertLayer, NewLayer, RemoveLayer, ReplaceLayer, SetCompileArg, SetFitArg,
                     SetLayerArg, SetLoss, SetOptimizerArg)
from ..source import legacy
from ..values import Opaque
from ..source.facts import Site, SourceSpec
from ..source.literal import code_of
from ..source.render import (LOSS_CLASSES, OPTIMIZER_CLASSES, call_text, callee_prefix, expression,
                             quote_of, rename_callee, set_argument)

Change = Callable[[cst.CSTNode], cst.CSTNode]


class NotApplicable(Exception):
    """An edit this script's shape does not allow (e.g. no fit() call to edit)."""


class _Plan:
    """Node-level operations, keyed by the identity of original nodes."""

    def __init__(self, module: cst.Module):
        self.module = module
        self.quote = _dominant_quote(module.code)
        self.replace: dict[int, list[Change]] = defaultdict(list)
        self.before: dict[int, list[cst.BaseStatement]] = defaultdict(list)
        self.after: dict[int, list[cst.BaseStatement]] = defaultdict(list)
        self.removed: set[int] = set()
        self.list_ops: dict[int, list[tuple[str, cst.Element, cst.BaseExpression | None]]] = defaultdict(list)
        self.imports: dict[int, list[str]] = defaultdict(list)
        self.needs_keras_import = False

    def change(self, node: cst.CSTNode, fn: Change) -> None:
        self.replace[id(node)].append(fn)


def _dominant_quote(code: str) -> str:
    """The quote most string arguments in the script use (double on a tie)."""
    single = len(re.findall(r"[=(\[,:]\s*'", code))
    double = len(re.findall(r'[=(\[,:]\s*"', code))
    return "'" if single > double else '"'


def _layer(spec: SourceSpec, qualname: str):
    try:
        return spec.layer(qualname)
    except KeyError:
        raise NotApplicable(f"no layer {qualname!r} in this script") from None


def _call_of(spec: SourceSpec, qualname: str) -> cst.Call:
    node = _layer(spec, qualname).origin.node
    if not isinstance(node, cst.Call):
        raise NotApplicable(f"layer {qualname!r} has no constructor call in the source")
    return node


def _import_owner(module: cst.Module, name: str) -> cst.ImportFrom | None:
    """The top-level ``from ... import`` that binds ``name``."""
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                if any((a.asname.name.value if a.asname else code_of(a.name)) == name for a in small.names):
                    return small
    return None


def _keras_prefix(plan: _Plan) -> str:
    """How this script spells the Keras package (``keras.``, ``tf.keras.``)."""
    for stmt in plan.module.body:
        for small in getattr(stmt, "body", ()):
            if isinstance(small, cst.Import):
                for alias in small.names:
                    bound = alias.asname.name.value if alias.asname else code_of(alias.name)
                    if code_of(alias.name) == "keras":
                        return f"{bound}."
                    if code_of(alias.name) == "tensorflow":
                        return f"{bound}.keras."
            if isinstance(small, cst.ImportFrom) and small.module is not None and not isinstance(
                    small.names, cst.ImportStar):
                if code_of(small.module) == "tensorflow" and any(code_of(a.name) == "keras" for a in small.names):
                    return "keras."
    plan.needs_keras_import = True
    return "keras."


def _layer_callee(plan: _Plan, spec: SourceSpec, anchor: str, class_name: str) -> str:
    """``layers.X`` / ``X`` / ``keras.layers.X``, following how ``anchor`` is written."""
    func = _call_of(spec, anchor).func
    prefix = callee_prefix(func)
    if prefix and "Input" not in code_of(func):
        return prefix + class_name
    if prefix == "" and isinstance(func, cst.Name):
        owner = _import_owner(plan.module, func.value)
        if owner is not None and _import_owner(plan.module, class_name) is None:
            if class_name not in plan.imports[id(owner)]:
                plan.imports[id(owner)].append(class_name)
        return class_name
    for layer in spec.layers:
        other = callee_prefix(layer.origin.node.func) if isinstance(layer.origin.node, cst.Call) else None
        if other and layer.class_name != "InputLayer":
            return other + class_name
    return f"{_keras_prefix(plan)}layers.{class_name}"


def _new_call(plan: _Plan, spec: SourceSpec, anchor: str, new: NewLayer) -> cst.BaseExpression:
    callee = _layer_callee(plan, spec, anchor, new.class_name)
    return cst.parse_expression(call_text(callee, new.kwargs, plan.quote))


# -- edit handlers -----------------------------------------------------------
def _set_layer_arg(plan: _Plan, spec: SourceSpec, edit: SetLayerArg) -> None:
    layer = _layer(spec, edit.layer)
    call = _call_of(spec, edit.layer)
    quote = quote_of(call, plan.quote)
    kind_name = "Input" if layer.class_name == "InputLayer" else layer.class_name
    plan.change(call, lambda node: set_argument(node, "layer", kind_name, edit.arg, edit.value, quote))


def _replace_layer(plan: _Plan, spec: SourceSpec, edit: ReplaceLayer) -> None:
    layer = _layer(spec, edit.layer)
    call = _call_of(spec, edit.layer)
    written = code_of(call.func).rsplit(".", 1)[-1]
    if legacy.layer_class(written) == edit.new.class_name and written != edit.new.class_name:
        _rename_class(plan, call, written, edit.new.class_name)
        for key, value in edit.new.kwargs.items():
            if key in layer.config:
                plan.change(call, lambda node, k=key, v=value: set_argument(
                    node, "layer", layer.class_name, k, v, quote_of(call, plan.quote)))
        return
    new = _new_call(plan, spec, edit.layer, edit.new)
    plan.change(call, lambda node: new)


def _rename_class(plan: _Plan, call: cst.Call, old: str, new: str) -> None:
    plan.change(call, lambda node: node.with_changes(func=rename_callee(node.func, new)))
    owner = _import_owner(plan.module, old) if isinstance(call.func, cst.Name) else None
    if owner is not None:
        plan.imports[id(owner)].append(f"{old}->{new}")


def _insert_layer(plan: _Plan, spec: SourceSpec, edit: InsertLayer) -> None:
    site = spec.sites.get(edit.anchor) or Site("inline")
    new = _new_call(plan, spec, edit.anchor, edit.new)
    if site.kind == "list":
        plan.list_ops[id(site.container)].append(("after" if edit.after else "before", site.element, new))
    elif site.kind == "add" and isinstance(site.stmt, cst.SimpleStatementLine):
        expr = site.stmt.body[0]
        add_call = expr.value if isinstance(expr, cst.Expr) else None
        if not isinstance(add_call, cst.Call):
            raise NotApplicable("model.add() statement has an unexpected shape")
        stmt = cst.SimpleStatementLine(
            [cst.Expr(add_call.with_changes(args=[cst.Arg(new)]))])
        (plan.after if edit.after else plan.before)[id(site.stmt)].append(stmt)
    elif site.kind == "functional" and site.apply is not None and site.target and edit.after:
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


def _remove_layer(plan: _Plan, spec: SourceSpec, edit: RemoveLayer) -> None:
    site = spec.sites.get(edit.layer) or Site("inline")
    if site.kind == "list":
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


def _compile_call(spec: SourceSpec) -> cst.Call:
    if spec.compile_call is None:
        raise NotApplicable("the model has no compile() call in this script")
    return spec.compile_call


def _set_loss(plan: _Plan, spec: SourceSpec, edit: SetLoss) -> None:
    origin = spec.compile.loss_origin if spec.compile else None
    node = origin.node if origin else None
    config = dict(edit.config)
    class_name = LOSS_CLASSES.get(edit.loss, edit.loss)
    if isinstance(node, cst.Call):
        plan.change(node, lambda n: _loss_object(n, class_name, config, plan.quote))
        return
    if node is not None and not config:
        plan.change(node, lambda n: expression(edit.loss, quote_of(n, plan.quote)))
        return
    value = cst.parse_expression(call_text(f"{_keras_prefix(plan)}losses.{class_name}", config, plan.quote)) \
        if config else expression(edit.loss, plan.quote)
    if node is not None:
        plan.change(node, lambda n: value)
    else:
        plan.change(_compile_call(spec), lambda n: set_argument(n, "compile", "", "loss", Opaque(code_of(value)), plan.quote))


def _loss_object(node: cst.Call, class_name: str, config: dict[str, Any], quote: str) -> cst.Call:
    if code_of(node.func).rsplit(".", 1)[-1] != class_name:
        node = node.with_changes(func=rename_callee(node.func, class_name))
    for key, value in config.items():
        node = set_argument(node, "loss", class_name, key, value, quote_of(node, quote))
    return node


def _set_optimizer_arg(plan: _Plan, spec: SourceSpec, edit: SetOptimizerArg) -> None:
    origin = spec.compile.optimizer_origin if spec.compile else None
    node = origin.node if origin else None
    optimizer = spec.compile.optimizer if spec.compile else None
    if isinstance(node, cst.Call):
        name = optimizer.get("class_name", "") if isinstance(optimizer, dict) else ""
        plan.change(node, lambda n: set_argument(n, "optimizer", name, edit.arg, edit.value, quote_of(n, plan.quote)))
        return
    if not isinstance(optimizer, str) or optimizer.lower() not in OPTIMIZER_CLASSES:
        raise NotApplicable("the optimizer is not a literal in this script")
    text = call_text(f"{_keras_prefix(plan)}optimizers.{OPTIMIZER_CLASSES[optimizer.lower()]}",
                     {edit.arg: edit.value}, plan.quote)
    if node is not None:
        plan.change(node, lambda n: cst.parse_expression(text))
    else:
        plan.change(_compile_call(spec), lambda n: set_argument(
            n, "compile", "", "optimizer", Opaque(text), plan.quote))


def _set_call_arg(plan: _Plan, call: cst.Call | None, kind: str, arg: str, value: Any) -> None:
    if call is None:
        raise NotApplicable(f"no {kind}() call in this script")
    plan.change(call, lambda n: set_argument(n, kind, "", arg, value, quote_of(n, plan.quote)))


def _resolve(plan: _Plan, spec: SourceSpec, edit: Edit) -> None:
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
        _set_call_arg(plan, _compile_call(spec), "compile", edit.arg, edit.value)
    elif isinstance(edit, SetFitArg):
        _set_call_arg(plan, spec.fit_call, "fit", edit.arg, edit.value)
    else:  # pragma: no cover - the edit set is closed
        raise NotApplicable(f"unknown edit {type(edit).__name__}")


def check_applicable(module: cst.Module, spec: SourceSpec, edits: Sequence[Edit]) -> str | None:
    """Why ``edits`` cannot be applied to this script, or None when they can."""
    try:
        plan = _Plan(module)
        for edit in edits:
            _resolve(plan, spec, edit)
    except NotApplicable as exc:
        return str(exc)
    return None


class _Transformer(cst.CSTTransformer):
    def __init__(self, plan: _Plan):
        super().__init__()
        self.plan = plan

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> Any:
        key = id(original)
        for fn in self.plan.replace.get(key, ()):
            updated = fn(updated)
        if key in self.plan.list_ops and isinstance(updated, cst.List):
            updated = _edit_list(original, updated, self.plan.list_ops[key])
        if key in self.plan.imports and isinstance(updated, cst.ImportFrom):
            updated = _edit_import(updated, self.plan.imports[key])
        if isinstance(original, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            if key in self.plan.removed:
                return cst.RemovalSentinel.REMOVE
            if key in self.plan.before or key in self.plan.after:
                return cst.FlattenSentinel([*self.plan.before.get(key, ()), updated,
                                            *self.plan.after.get(key, ())])
        return updated


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


def _edit_import(node: cst.ImportFrom, names: list[str]) -> cst.ImportFrom:
    """Rename (``old->new``) or add names in a ``from ... import``."""
    aliases = list(node.names)
    for name in names:
        if "->" in name:
            old, new = name.split("->")
            present = any(code_of(a.name) == new for a in aliases)
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


def apply_edits(module: cst.Module, batches: Sequence[tuple[SourceSpec, Sequence[Edit]]]) -> cst.Module:
    """Apply each spec's edits to ``module`` (the tree the specs were extracted from)."""
    plan = _Plan(module)
    for spec, edits in batches:
        for edit in edits:
            _resolve(plan, spec, edit)
    result = module.visit(_Transformer(plan))
    if plan.needs_keras_import:
        result = _add_import(result, "import keras")
    return result


def _add_import(module: cst.Module, line: str) -> cst.Module:
    body = list(module.body)
    last = max((i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine)
                and any(isinstance(b, (cst.Import, cst.ImportFrom)) for b in s.body)), default=-1)
    body.insert(last + 1, cst.parse_statement(line + "\n"))
    return module.with_changes(body=body)
