"""Node helpers every source edit handler shares (rewrite, script edits, Keras upgrades).

They sit below the handler modules (:mod:`.rewrite`, :mod:`.script_edits`,
:mod:`.upgrade_edits`) so that none of those imports another for a helper.
"""

from __future__ import annotations

import ast

import libcst as cst

from ._plan import Plan
from .render import code_of, rename_callee
from .script_index import ScriptIndex


def keyword_of(arg: cst.Arg) -> str | None:
    return arg.keyword.value if arg.keyword is not None else None

def without(call: cst.Call, drop: set[str]) -> cst.Call:
    """``call`` without its keyword arguments named in ``drop`` (commas kept tidy)."""
    args = list(call.args)
    keep = [a for a in args if keyword_of(a) not in drop]
    if len(keep) == len(args):
        return call
    if keep and keep[-1] is not args[-1]:
        keep[-1] = keep[-1].with_changes(comma=args[-1].comma)
    return call.with_changes(args=keep)

def import_owner(module: cst.Module, name: str) -> cst.ImportFrom | None:
    """The top-level ``from ... import`` that binds ``name``."""
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                if any((a.asname.name.value if a.asname else code_of(a.name)) == name for a in small.names):
                    return small
    return None

def imported_names(module: cst.Module) -> frozenset[str]:
    """The names the module's top-level imports bind (``keras``, ``np``, ``layers``...)."""
    names = set()
    for stmt in module.body:
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
            if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                names.update((a.asname.name.value if a.asname else code_of(a.name).split(".")[0])
                             for a in small.names)
    return frozenset(names)


def keras_prefix(plan: Plan) -> str:
    """How this script spells the Keras package (``keras.``, ``tf.keras.``)."""
    for stmt in plan.module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):  # a def/class/if body is an IndentedBlock
            continue
        for small in stmt.body:
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

def rename_class(plan: Plan, call: cst.Call, old: str, new: str) -> None:
    plan.change(call, lambda node: node.with_changes(func=rename_callee(node.func, new)))
    owner = import_owner(plan.module, old) if isinstance(call.func, cst.Name) else None
    if owner is not None:
        plan.imports[id(owner)].append(f"{old}->{new}")
        plan.renamed[old] = plan.renamed.get(old, 0) + 1

def has_siblings(index: ScriptIndex, stmt: ast.stmt) -> bool:
    """Whether ``stmt`` shares its block with other statements (removing it keeps the block valid)."""
    return index.block_sizes.get(id(stmt), 0) > 1
