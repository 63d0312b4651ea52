"""Keras 1 ``Merge([model_a, model_b])`` of whole models: the merging Sequential, rewritten functionally.

Keras 1 let a ``Sequential`` start with ``Merge([a, b], mode=...)`` of other
models; Keras 3's Sequential has one input, so the merging model becomes a
functional one, statement by statement::

    model = Sequential()                          model_x = add([a.outputs[0], b.outputs[0]])
    model.add(Merge([a, b], mode='sum'))    ->    model_x = Dense(4)(model_x)
    model.add(Dense(4))                           model = Model([a.inputs[0], b.inputs[0]], model_x)

The inputs are the leaf Sequentials' inputs, in order and deduplicated as
Keras 1's ``get_source_inputs`` did (a nested merging model contributes its
own leaves).  A leaf needs its input shape in Keras 3 (a first layer with
``input_shape=``/``input_dim=``; Keras 3's ``Embedding`` ignores
``input_length=``, so it becomes ``input_shape=(length,)``).  Anything the
code does not show (a leaf without a shape, adds elsewhere, a name bound
twice) is reported with its reason and left as written.

This module reads stdlib ``ast`` only (:class:`MergedModels`); the libcst
side is :func:`autofix.source.upgrade_edits._merge_models`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from ..edits import UpgradeSource
from ..spec import Origin
from ..values import Opaque

#: Keras 1 ``merge(mode=...)`` -> Keras 3 function / layer class.
MERGE_FUNCTIONS = {"sum": "add", "mul": "multiply", "concat": "concatenate", "ave": "average", "max": "maximum",
                   "dot": "dot", "cos": "dot"}
MERGE_CLASSES = {"sum": "Add", "mul": "Multiply", "concat": "Concatenate", "ave": "Average", "max": "Maximum",
                 "dot": "Dot", "cos": "Dot"}
#: Keras 1 merge keywords the rewrites map (``mode``, ``concat_axis`` -> ``axis``, ``dot_axes`` -> ``axes``).
MERGE_KWARGS = frozenset({"mode", "concat_axis", "dot_axes", "name"})

#: First-layer keywords that give a Keras 3 Sequential its InputLayer.
SHAPE_KEYWORDS = frozenset({"input_shape", "input_dim"})
#: Nodes that open a scope of their own (their names are not the module's).
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp,
           ast.GeneratorExp)


@dataclass(frozen=True)
class MergedModel:
    """The value of a ``merge_models`` edit: the merging Sequential ``model`` (assigned at
    ``sequential``; its ``add`` statements at ``adds``, the Merge first), the tensor name the
    rewrite chains (``tensor``), the leaf models whose inputs the Model takes, and the mode."""

    model: str
    tensor: str
    sequential: Origin
    adds: tuple[Origin, ...]
    inputs: tuple[str, ...]
    mode: str


@dataclass(frozen=True)
class Rewrite:
    """What one model of a Merge needs: its edits (a merging model's: its own rewrite and its leaves'
    input shapes), the leaf inputs it contributes, whether it is unsafe (``cos``), or the
    ``reason`` it cannot be rewritten."""

    edits: tuple = ()
    inputs: tuple[str, ...] = ()
    unsafe: bool = False
    reason: str = ""
    #: a merging model (its edits are its own finding's), not a leaf
    merged: bool = False


class MergedModels:
    """The merging Sequentials of one script (built on first use by the upgrade scanner)."""

    def __init__(self, tree: ast.Module, scanner: Any):
        self.scanner = scanner
        self.module = tree
        self.parents: dict[int, ast.AST] = {}
        self.blocks: dict[int, tuple[list[ast.stmt], int]] = {}
        #: (id of a scope, name) -> the nodes that bind it there / its ``name.add(...)`` calls there
        self.bound: dict[tuple[int, str], list[ast.AST]] = {}
        self.adds: dict[tuple[int, str], list[ast.Call]] = {}
        self.names: set[str] = set()
        self.done: dict[tuple[int, str], Rewrite] = {}
        #: edits already carried by an earlier finding (a shared leaf's input shape is fixed once)
        self.claimed: set = set()
        #: id of a node -> the function, lambda, comprehension, class or module whose names it reads
        self.scopes: dict[int, ast.AST] = {}
        stack: list[tuple[ast.AST, ast.AST]] = [(tree, tree)]
        while stack:
            node, scope = stack.pop()
            self.scopes[id(node)] = scope
            self._index(node, scope)
            inner = node if isinstance(node, _SCOPES) else scope
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
                stack.append((child, inner))

    def _index(self, node: ast.AST, scope: ast.AST) -> None:
        """Record ``node``'s block position and what it binds or ``.add``-s in ``scope``."""
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                for index, stmt in enumerate(block):
                    if isinstance(stmt, ast.stmt):
                        self.blocks[id(stmt)] = (block, index)
        if isinstance(node, ast.Name):
            self.names.add(node.id)
            if not isinstance(node.ctx, ast.Load):
                self.bound.setdefault((id(scope), node.id), []).append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.arg)):
            name = node.arg if isinstance(node, ast.arg) else node.name  # a parameter binds in its function
            self.names.add(name)
            self.bound.setdefault((id(scope), name), []).append(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add" \
                and isinstance(node.func.value, ast.Name):
            self.adds.setdefault((id(scope), node.func.value.id), []).append(node)

    # -- helpers ----------------------------------------------------------------------------
    def _key(self, name: str, at: ast.AST) -> tuple[int, str]:
        """(scope, name) of the binding ``name`` read at ``at`` refers to (innermost scope binding it)."""
        scope = self.scopes.get(id(at), self.module)
        while scope is not self.module and (id(scope), name) not in self.bound:
            scope = self.scopes.get(id(scope), self.module)
        return id(scope), name

    def _add_statement(self, call: ast.Call) -> ast.Expr | None:
        """The ``X.add(layer)`` statement whose only argument is ``call``, else None."""
        add = self.parents.get(id(call))
        stmt = self.parents.get(id(add))
        if isinstance(add, ast.Call) and add.args == [call] and not add.keywords and isinstance(stmt, ast.Expr) \
                and isinstance(add.func, ast.Attribute) and add.func.attr == "add" \
                and isinstance(add.func.value, ast.Name) and id(stmt) in self.blocks:
            return stmt
        return None

    def _is_sequential(self, stmt: ast.stmt | None, name: str) -> bool:
        """Whether ``stmt`` is ``name = Sequential()`` (a Keras Sequential, no layers given)."""
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id == name and isinstance(stmt.value, ast.Call)):
            return False
        path = self.scanner.keras(stmt.value.func) or ""
        return path.rsplit(".", 1)[-1] == "Sequential" and not stmt.value.args and not stmt.value.keywords

    def _merge_of(self, layer: ast.expr) -> bool:
        return isinstance(layer, ast.Call) and (self.scanner.keras(layer.func) or "").rsplit(".", 1)[-1] == "Merge"

    def _first_merge(self, key: tuple[int, str]) -> ast.Call | None:
        """The ``Merge(...)`` that model ``key`` adds first, else None."""
        adds = sorted(self.adds.get(key, ()), key=lambda c: (c.lineno, c.col_offset))
        first = adds[0].args[0] if adds and len(adds[0].args) == 1 else None
        return first if first is not None and self._merge_of(first) else None

    def _tensor_name(self, model: str) -> str:
        base = f"{model}_x"
        name, count = base, 1
        while name in self.names:
            count += 1
            name = f"{base}{count}"
        self.names.add(name)
        return name

    # -- the analysis -----------------------------------------------------------------------
    def rewrite(self, merge: ast.Call) -> Rewrite:
        """How the merging Sequential whose first layer is ``merge`` is rewritten, or why not."""
        stmt = self._add_statement(merge)
        if stmt is None:
            return Rewrite(reason="it is not the argument of a model.add(...) statement")
        model = stmt.value.func.value.id
        key = self._key(model, stmt)
        if key not in self.done:
            self.done[key] = Rewrite(reason=f"{model} merges itself")  # a cycle stops here
            self.done[key] = self._rewrite(merge, stmt, model, key)
        return self.done[key]

    def _rewrite(self, merge: ast.Call, stmt: ast.Expr, model: str, key: tuple[int, str]) -> Rewrite:
        block, index = self.blocks[id(stmt)]
        if index == 0 or not self._is_sequential(block[index - 1], model) or len(self.bound.get(key, ())) != 1:
            return Rewrite(reason=f"it is not the first layer added right after `{model} = Sequential()` (the "
                                  f"only binding of {model})")
        chain = [stmt]
        for later in block[index + 1:]:
            call = later.value if isinstance(later, ast.Expr) else None
            if not (isinstance(call, ast.Call) and call in self.adds.get(key, ()) and len(call.args) == 1
                    and not call.keywords):
                break
            if self._merge_of(call.args[0]):
                return Rewrite(reason=f"{model} merges again after its first layer")
            chain.append(later)
        if len(self.adds[key]) != len(chain):
            return Rewrite(reason=f"{model}.add(...) is also called outside the statements that follow "
                                  f"`{model} = Sequential()`")
        keywords = {k.arg: k.value for k in merge.keywords}
        mode = keywords.get("mode")
        mode_text = mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else (
            "sum" if mode is None else None)

        if len(merge.args) != 1 or not isinstance(merge.args[0], (ast.List, ast.Tuple)) \
                or not all(isinstance(e, ast.Name) for e in merge.args[0].elts):
            return Rewrite(reason="its models are not one list of names")
        if None in keywords or set(keywords) - MERGE_KWARGS or mode_text not in MERGE_FUNCTIONS:
            other = sorted(k for k in keywords if k not in MERGE_KWARGS and k is not None)
            return Rewrite(reason=f"{', '.join(other)} have no Keras 3 equivalent" if other else
                           "its mode has no Keras 3 merge function")
        edits: list = []
        inputs: list[str] = []
        unsafe = mode_text == "cos"
        for element in merge.args[0].elts:
            part = self._part(element.id, stmt)
            if part.reason:
                return part
            if not part.merged:  # a nested merging model's edits are its own finding's
                edits.extend(part.edits)
            inputs.extend(part.inputs)
            unsafe = unsafe or part.unsafe
        inputs = list(dict.fromkeys(inputs))
        origin = self.scanner.origin
        value = MergedModel(model, self._tensor_name(model), origin(block[index - 1]),
                            tuple(origin(s) for s in chain), tuple(inputs), mode_text)
        edits.append(UpgradeSource("merge_models", origin(merge), "Merge", MERGE_FUNCTIONS[mode_text], value))
        return Rewrite(tuple(dict.fromkeys(edits)), tuple(inputs), unsafe, merged=True)

    def _part(self, name: str, merge_stmt: ast.Expr) -> Rewrite:
        """One model a Merge takes: a nested merging model, or a leaf Sequential with its input shape."""
        key = self._key(name, merge_stmt)
        nested = self._first_merge(key)
        if nested is not None:
            inner = self.rewrite(nested)
            return Rewrite(reason=f"{name} cannot be rewritten: {inner.reason}") if inner.reason else inner
        binding = self.bound.get(key, ())
        stmt = self.parents.get(id(binding[0])) if len(binding) == 1 else None
        if not self._is_sequential(stmt, name):
            return Rewrite(reason=f"{name} is not a Sequential built once with model.add(...)")
        adds = sorted(self.adds.get(key, ()), key=lambda c: (c.lineno, c.col_offset))
        if not adds or any(self._add_statement(c.args[0] if len(c.args) == 1 else c) is None for c in adds) \
                or adds[-1].lineno >= merge_stmt.lineno:
            return Rewrite(reason=f"{name} is not fully built with model.add(...) statements before the Merge")
        first = adds[0].args[0]
        keywords = {k.arg: k for k in first.keywords} if isinstance(first, ast.Call) else {}
        embedding = isinstance(first, ast.Call) and (self.scanner.keras(first.func) or "").endswith("Embedding")
        if SHAPE_KEYWORDS & keywords.keys() - ({"input_dim"} if embedding else set()):  # Embedding's: the vocabulary
            return Rewrite(inputs=(name,))
        length = keywords.get("input_length")
        if length is not None and embedding:
            shape = Opaque(f"({self.scanner.text.segment(length.value)},)")
            return Rewrite((UpgradeSource("rename_arg", self.scanner.origin(length), "input_length", "input_shape",
                                          shape),), (name,))
        return Rewrite(reason=f"the first layer of {name} shows no input shape (input_shape=/input_dim=), which "
                              f"Keras 3 needs to build {name}'s input")
