"""Source-backend handler for :class:`~autofix.edits.UpgradeSource` (the Keras 1/2 -> 3 upgrade).

Each edit names one source position (found again with
:func:`~autofix.source._plan.node_at`) and one operation on the node there;
nothing else of the script changes, and expressions are kept as written
(``nb_epoch=E`` -> ``epochs=E``, never ``epochs=3``).
"""

from __future__ import annotations

import ast
from typing import Any

import libcst as cst

from ..edits import UpgradeSource
from . import keras1, legacy
from ._nodes import has_siblings, import_owner, keras_prefix, keyword_of, rename_class, without
from ._plan import NotApplicable, Plan, node_at
from .render import code_of, expression, quote_of, rename_callee




def _set_keyword(call: cst.Call, old: str | tuple, new: str, value: cst.BaseExpression | None = None) -> cst.Call:
    olds = (old,) if isinstance(old, str) else old
    args = [a.with_changes(keyword=a.keyword.with_changes(value=new), **({"value": value} if value else {}))
            if keyword_of(a) in olds else a for a in call.args]
    return call.with_changes(args=args)


def _append(call: cst.Call, key: str, value: cst.BaseExpression) -> cst.Call:
    args = list(call.args)
    equal = next((a.equal for a in args if a.keyword is not None), cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))
    new = cst.Arg(value=value, keyword=cst.Name(key), equal=equal)
    if args:
        last = args[-1]
        if isinstance(last.comma, cst.Comma):
            new = new.with_changes(comma=last.comma)
        args[-1] = last.with_changes(comma=next((a.comma for a in args[:-1] if isinstance(a.comma, cst.Comma)),
                                                cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))))
    return call.with_changes(args=[*args, new])


def _enclosing_call(plan: Plan, edit: UpgradeSource) -> cst.Call:
    return node_at(plan.tree, edit.at, cst.Call, f"call for {edit.old}")


def _once(plan: Plan, edit: UpgradeSource, node: cst.CSTNode) -> bool:
    key = ("upgrade", edit.op, id(node))
    if key in plan.script_index.done:
        return False
    plan.script_index.done.add(key)
    return True


def _rename_import(plan: Plan, bound: str, old: str, new: str) -> None:
    """Rename ``old`` -> ``new`` in the top-level ``from ... import`` binding ``bound``."""

    owner = import_owner(plan.module, bound)
    if owner is not None:
        plan.imports[id(owner)].append(f"{old}->{new}")
        plan.renamed[old] = plan.renamed.get(old, 0) + 1


def _written(plan: Plan, func: cst.BaseExpression) -> tuple[str, str]:
    """(name as written, the Keras name it is bound to) of a callee."""
    text = code_of(func).rsplit(".", 1)[-1]
    return text, plan.script_index.aliases.get(text, text)


# -- operations ---------------------------------------------------------------------------------
def _rename_arg(plan: Plan, edit: UpgradeSource) -> None:
    arg = node_at(plan.tree, edit.at, cst.Arg, f"{edit.old}= argument")
    if keyword_of(arg) != edit.old:
        raise NotApplicable(f"no {edit.old}= argument at {edit.at.render()}")
    value = None
    if edit.value is not None:
        value = expression(edit.value, quote_of(arg.value, plan.quote))
        if "math." in code_of(value):
            plan.extra_imports.append("import math")
    plan.change(arg, lambda n: n.with_changes(keyword=n.keyword.with_changes(value=edit.new),
                                              **({"value": value} if value is not None else {})))


def _drop_arg(plan: Plan, edit: UpgradeSource) -> None:
    call = _enclosing_call(plan, edit)
    if not any(keyword_of(a) == edit.old for a in call.args):
        raise NotApplicable(f"no {edit.old}= argument at {edit.at.render()}")
    plan.change(call, lambda n: without(n, {edit.old}))


def _rename_name(plan: Plan, edit: UpgradeSource) -> None:
    node = node_at(plan.tree, edit.at, cst.BaseExpression, edit.old)
    if isinstance(node, cst.Attribute) and node.attr.value == edit.old:
        plan.change(node, lambda n: n.with_changes(attr=n.attr.with_changes(value=edit.new)))
    elif isinstance(node, cst.Name):
        if node.value == edit.old:
            plan.change(node, lambda n: n.with_changes(value=edit.new))
        _rename_import(plan, node.value, edit.old, edit.new)
    else:
        raise NotApplicable(f"no {edit.old} at {edit.at.render()}")


def _replace_string(plan: Plan, edit: UpgradeSource) -> None:
    node = node_at(plan.tree, edit.at, cst.SimpleString, f"'{edit.old}'")
    if node.evaluated_value != edit.old:
        raise NotApplicable(f"no '{edit.old}' at {edit.at.render()}")
    quote = node.value[-1]
    plan.change(node, lambda n: n.with_changes(value=f"{n.prefix}{quote}{edit.new}{quote}"))


def _import_module(plan: Plan, edit: UpgradeSource) -> None:
    node = node_at(plan.tree, edit.at, cst.ImportFrom, f"from {edit.old} import")
    if node.module is None or code_of(node.module) != edit.old:
        raise NotApplicable(f"no 'from {edit.old} import' at {edit.at.render()}")
    plan.change(node, lambda n: n.with_changes(module=cst.parse_expression(edit.new)))


def _module_ref(plan: Plan, edit: UpgradeSource) -> None:

    node = node_at(plan.tree, edit.at, cst.Attribute, edit.old)
    if code_of(node) != edit.old:
        raise NotApplicable(f"no {edit.old} at {edit.at.render()}")
    replacement = cst.parse_expression(keras_prefix(plan) + edit.new)
    plan.change(node, lambda n: replacement)


def _drop_import(plan: Plan, edit: UpgradeSource) -> None:
    node = node_at(plan.tree, edit.at, cst.ImportFrom, f"import of {edit.old}")
    if isinstance(node.names, cst.ImportStar):
        raise NotApplicable("a star import")
    bound = [(a.asname.name.value if a.asname else code_of(a.name)) for a in node.names]
    if edit.old not in bound:
        raise NotApplicable(f"no import of {edit.old} at {edit.at.render()}")
    if len(bound) > 1:
        def drop(n: cst.ImportFrom) -> cst.ImportFrom:
            names = list(n.names)
            keep = [a for a in names if (a.asname.name.value if a.asname else code_of(a.name)) != edit.old]
            if keep[-1] is not names[-1]:
                keep[-1] = keep[-1].with_changes(comma=names[-1].comma)
            return n.with_changes(names=keep)

        plan.change(node, drop)
        return
    line = node_at(plan.tree, edit.at, cst.SimpleStatementLine, "import statement")
    alone = len(line.body) == 1 and not _import_has_siblings(plan, edit)
    if len(line.body) == 1 and not alone:
        plan.removed.add(id(line))
    else:
        plan.change(node, lambda n: cst.Pass())


def _import_has_siblings(plan: Plan, edit: UpgradeSource) -> bool:
    """Whether the import statement at ``edit.at`` shares its block with other statements."""
    index = plan.script_index
    stmt = next((n for n in ast.walk(index.tree) if isinstance(n, ast.ImportFrom)
                 and (n.lineno, index.origin(n).col) == (edit.at.line, edit.at.col)), None)
    return stmt is not None and has_siblings(index, stmt)


def _drop_positional(n: cst.Call, arg: cst.Arg) -> cst.Call:
    """``n`` without the positional ``arg`` (the comma before a last argument goes with it)."""
    args = list(n.args)
    index = args.index(arg)
    if index == len(args) - 1 and index > 0:
        args[index - 1] = args[index - 1].with_changes(comma=args[index].comma)
    del args[index]
    return n.with_changes(args=args)


def _merge_call(n: cst.Call, written: str, old: str, target: str, mode: str, present: set) -> cst.Call:
    """A Keras 1 ``merge``/``Merge`` call as the Keras 3 ``target``: ``mode`` dropped,
    ``concat_axis`` -> ``axis``, ``dot_axes`` -> ``axes`` (``written``: the callee as written)."""
    n = without(n, {"mode"})
    positional = [a for a in n.args if a.keyword is None]
    if len(positional) == 2 and not positional[1].star:  # ``merge([a, b], 'sum')``: the mode
        n = _drop_positional(n, positional[1])
    n = _set_keyword(_set_keyword(n, "concat_axis", "axis"), "dot_axes", "axes")
    if target == "Dot" and "dot_axes" not in present:
        n = _append(n, "axes", cst.parse_expression("-1"))
    if mode == "cos":
        n = _append(n, "normalize", cst.Name("True"))
    if written == old or isinstance(n.func, cst.Name):  # ``m([a, b])`` of ``merge as m`` too
        n = n.with_changes(func=rename_callee(n.func, target))
    return n


def _import_renamed(plan: Plan, func: cst.BaseExpression, old: str, target: str) -> None:
    """The import of a renamed callee: ``old`` renamed (or, for an alias, ``target`` imported)."""
    text, _ = _written(plan, func)
    if isinstance(func, cst.Name) and text == old:
        _rename_import(plan, text, old, target)
    elif isinstance(func, cst.Name):
        _unalias_import(plan, text, target)


def _merge(plan: Plan, edit: UpgradeSource) -> None:
    """``merge([a, b], mode='concat', concat_axis=1)`` -> ``concatenate([a, b], axis=1)``."""
    call = _enclosing_call(plan, edit)
    if not _once(plan, edit, call):
        return
    text, _ = _written(plan, call.func)
    present = {keyword_of(a) for a in call.args}
    plan.change(call, lambda n: _merge_call(n, text, edit.old, edit.new, edit.value, present))
    _import_renamed(plan, call.func, edit.old, edit.new)


def _merge_lambda(plan: Plan, edit: UpgradeSource) -> None:
    """``merge([a, b], mode=f, output_shape=s)`` -> ``Lambda(f, output_shape=s)([a, b])``."""
    call = _enclosing_call(plan, edit)
    if not _once(plan, edit, call):
        return

    def change(n: cst.Call) -> cst.Call:
        inputs = next(a for a in n.args if a.keyword is None)
        mode = next(a for a in n.args if keyword_of(a) == "mode")
        rest = [mode.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT) if a is mode else a
                for a in n.args if a is not inputs]
        layer = n.with_changes(func=rename_callee(n.func, edit.new), args=rest)
        return cst.Call(func=layer, args=[inputs.with_changes(comma=cst.MaybeSentinel.DEFAULT)])

    plan.change(call, change)
    _import_renamed(plan, call.func, edit.old, edit.new)


def _statement(plan: Plan, where: Any, what: str) -> cst.SimpleStatementLine:
    line = node_at(plan.tree, where, cst.SimpleStatementLine, what)
    if len(line.body) != 1:
        raise NotApplicable(f"{what} shares its line with other statements")
    return line


def _model_class(plan: Plan, sequential: cst.Call) -> str:
    """How the script names Keras's ``Model``, next to how it named ``Sequential`` (importing it
    from where ``Sequential`` came when needed)."""
    if isinstance(sequential.func, cst.Attribute):
        return code_of(sequential.func.value) + ".Model"
    owner = import_owner(plan.module, "Model")
    if owner is not None:
        if "keras" not in code_of(owner.module or cst.Name("")):
            raise NotApplicable("Model is imported from outside Keras")
        return "Model"
    if any(isinstance(n, ast.Name) and n.id == "Model" for n in ast.walk(plan.script_index.tree)):
        raise NotApplicable("the script binds Model to something else")
    owner = import_owner(plan.module, code_of(sequential.func))
    if owner is None:
        raise NotApplicable("Sequential is not imported with from ... import")
    plan.imports[id(owner)].append("Model")
    return "Model"


def _merge_models(plan: Plan, edit: UpgradeSource) -> None:
    """A Sequential that starts with ``Merge([a, b], mode=...)`` of models, rewritten functionally
    (:mod:`autofix.source.upgrade_merge_models`): ``x = Sequential()`` goes (its comments move to
    the next line), each ``x.add(L)`` becomes ``x_x = L(x_x)``, and ``x = Model(inputs, x_x)``
    follows the last one."""
    value = edit.value
    lines = [_statement(plan, at, f"{value.model}.add(...)") for at in value.adds]
    if not _once(plan, edit, lines[0]):
        return
    start = _statement(plan, value.sequential, f"{value.model} = Sequential()")
    sequential = start.body[0].value if isinstance(start.body[0], cst.Assign) else None
    if not isinstance(sequential, cst.Call):
        raise NotApplicable(f"no {value.model} = Sequential() at {value.sequential.render()}")
    merge = node_at(plan.tree, edit.at, cst.Call, "Merge call")
    text, _ = _written(plan, merge.func)
    present = {keyword_of(a) for a in merge.args}
    tensor = cst.Name(value.tensor)

    def assign(line: cst.SimpleStatementLine, expr: cst.BaseExpression) -> cst.SimpleStatementLine:
        return line.with_changes(body=[cst.Assign(targets=[cst.AssignTarget(tensor)], value=expr)])

    def first(line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
        call = _merge_call(line.body[0].value.args[0].value, text, edit.old, edit.new, value.mode, present)
        models = call.args[0].value
        outputs = [e.with_changes(value=cst.parse_expression(f"{code_of(e.value)}.outputs[0]"))
                   for e in models.elements]
        call = call.with_changes(args=[call.args[0].with_changes(value=models.with_changes(elements=outputs)),
                                       *call.args[1:]])
        return assign(line, call).with_changes(leading_lines=[*start.leading_lines, *line.leading_lines])

    def later(line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
        return assign(line, cst.Call(func=line.body[0].value.args[0].value, args=[cst.Arg(tensor)]))

    plan.removed.add(id(start))
    plan.change(lines[0], first)
    for line in lines[1:]:
        plan.change(line, later)
    inputs = ", ".join(f"{name}.inputs[0]" for name in value.inputs)
    model = _model_class(plan, sequential)
    plan.after[id(lines[-1])].append(cst.parse_statement(f"{value.model} = {model}([{inputs}], {value.tensor})\n"))
    _import_renamed(plan, merge.func, edit.old, edit.new)


def _unalias_import(plan: Plan, bound: str, new: str) -> None:
    """``from keras.layers import merge as m``: import ``new`` (one alias cannot stand for two
    functions) and drop ``merge as m`` once no call uses ``m``."""
    owner = import_owner(plan.module, bound)
    if owner is not None:
        if import_owner(plan.module, new) is None:
            plan.imports[id(owner)].append(new)
        plan.imports[id(owner)].append(f"-{bound}")
        plan.renamed[bound] = plan.renamed.get(bound, 0) + 1


def _decay(plan: Plan, edit: UpgradeSource) -> None:
    """``SGD(lr=0.1, decay=1e-6)`` -> ``SGD(learning_rate=InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-6))``."""

    call = _enclosing_call(plan, edit)
    decay = next((a for a in call.args if keyword_of(a) == "decay"), None)
    if decay is None:
        raise NotApplicable(f"no decay= argument at {edit.at.render()}")
    schedule = f"{keras_prefix(plan)}optimizers.schedules.InverseTimeDecay"
    rate = code_of(decay.value)

    def wrap(value: str) -> cst.BaseExpression:
        return cst.parse_expression(f"{schedule}({value}, decay_steps=1, decay_rate={rate})")

    def change(n: cst.Call) -> cst.Call:
        n = without(n, {"decay"})
        for index, arg in enumerate(n.args):
            if keyword_of(arg) in ("lr", "learning_rate") or (index == 0 and arg.keyword is None and not arg.star):
                args = list(n.args)
                args[index] = arg.with_changes(value=wrap(code_of(arg.value)))
                return n.with_changes(args=args)
        if edit.value is None:
            raise NotApplicable("no learning rate to decay")
        return _append(n, "learning_rate", wrap(edit.value))

    plan.change(call, change)


def _upgrade_layer(plan: Plan, edit: UpgradeSource) -> None:
    """A Keras 1 layer call: the kernel merged into ``kernel_size``, the class renamed,
    ``Deconvolution2D``'s ``output_shape`` (Keras 3 infers it) dropped."""

    call = _enclosing_call(plan, edit)
    if not _once(plan, edit, call):
        return
    text, written = _written(plan, call.func)
    if edit.old and edit.old in (keras1.KERNEL_KEYWORDS.keys() | legacy.LEGACY_CLASSES.keys()):
        written = edit.old
    new = edit.new if edit.new and edit.new[:1].isupper() else legacy.layer_class(written)
    positional = [a for a in call.args if a.keyword is None]
    drop_shape = written.startswith("Deconvolution")
    if drop_shape and len(positional) > 1 + len(keras1.KERNEL_KEYWORDS.get(written, ())) + 1:
        raise NotApplicable(f"{written}() passes arguments after output_shape positionally")

    def change(n: cst.Call) -> cst.Call:
        n = keras1.merge_kernel(n, written)
        if drop_shape:
            n = without(n, {"output_shape"})
            pos = [a for a in n.args if a.keyword is None]
            if len(pos) == 3:  # filters, kernel_size, output_shape
                n = _drop_positional(n, pos[2])
        return n

    plan.change(call, change)
    if text == written and new != written:
        rename_class(plan, call, written, new)
    elif written in legacy.LEGACY_CLASSES:  # ``from keras.layers import Deconvolution2D as Deconv``
        _rename_import(plan, text, written, new)


OPS = {"rename_arg": _rename_arg, "drop_arg": _drop_arg, "rename_name": _rename_name,
       "replace_string": _replace_string, "import_module": _import_module, "module_ref": _module_ref,
       "drop_import": _drop_import, "merge": _merge, "decay": _decay, "upgrade_layer": _upgrade_layer,
       "merge_models": _merge_models, "merge_lambda": _merge_lambda}


def upgrade_source(plan: Plan, spec: Any, edit: UpgradeSource) -> None:
    """Plan one :class:`UpgradeSource` edit."""
    OPS[edit.op](plan, edit)
