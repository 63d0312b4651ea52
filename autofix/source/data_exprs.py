"""Expression evaluation of the data interpreter: names, operators, attributes, subscripts.

:class:`Expressions` is the base of :class:`~.data_flow.DataFlow`; calls are evaluated by
the subclass :class:`~.data_invoke.Calls` (its :meth:`call`).  A prediction that meets
held-out data in an operation is recorded as a :class:`~.data_objects.Use`.
"""

from __future__ import annotations

import ast
from typing import Any

from . import data_comprehension, data_index, data_order
from .data_index import Bound
from .data_objects import BUDGET, TOP, Flow, Func, Instance, OutOfBudget, Ref, Rng, Use, join, method_of, plain
from .data_values import Arr, binop, choose, compare, matmul, scalar
from .text import SourceText

BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
          ast.Pow: "**"}
_COMPARE = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
            ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b}
_LOGICAL = {ast.BitAnd: lambda a, b: a & b, ast.BitOr: lambda a, b: a | b, ast.BitXor: lambda a, b: a ^ b}
_PY_OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
           "//": lambda a, b: a // b, "%": lambda a, b: a % b, "**": lambda a, b: a ** b}


class Expressions:
    """Evaluates expressions in an environment (a dict of names); ``uses`` collects evaluation uses."""

    def __init__(self, text: SourceText):
        self.text = text
        self.globals: dict[str, Any] = {}
        self.uses: list[Use] = []
        self.steps = 0
        #: The legacy ``np.random`` module's generator (replaced by a seeded one at ``np.random.seed``).
        self.legacy = Rng()

    def tick(self) -> None:
        """One more statement or expression interpreted (OutOfBudget past :data:`BUDGET`)."""
        self.steps += 1
        if self.steps > BUDGET:
            raise OutOfBudget

    def call(self, node: ast.Call, env: dict) -> Any:
        raise NotImplementedError  # data_invoke.Calls

    def eval(self, node: ast.expr, env: dict) -> Any:
        self.steps += 1  # :meth:`tick`, inlined: the hottest call of the interpreter
        if self.steps > BUDGET:
            raise OutOfBudget
        kind = type(node)  # the commonest kinds first: names, constants, calls, attributes
        if kind is ast.Name:
            if node.id in env:
                return env[node.id]
            return self.globals.get(node.id, TOP) if env is not self.globals else TOP
        if kind is ast.Constant:
            return node.value
        if kind is ast.Call:
            return self.call(node, env)
        if kind is ast.Attribute:
            return self.attribute(self.eval(node.value, env), node.attr)
        if kind is ast.Tuple or kind is ast.List:
            if any(isinstance(el, ast.Starred) for el in node.elts):
                return TOP
            items = [self.eval(el, env) for el in node.elts]
            return tuple(items) if kind is ast.Tuple else items
        if kind is ast.Subscript:
            return self.subscript(self.eval(node.value, env), self.eval(node.slice, env), node)
        if kind is ast.Slice:
            parts = [self.eval(p, env) if p is not None else None for p in (node.lower, node.upper, node.step)]
            return slice(*[p if p is None or isinstance(p, int) else Bound(p, node) for p in parts])
        if kind is ast.BinOp:
            op = BINOPS.get(type(node.op))
            left, right = self.eval(node.left, env), self.eval(node.right, env)
            if op is None:
                return self.bitwise(node.op, left, right)
            return self.arith(op, left, right, node.right if isinstance(left, Arr) else node.left, node)
        if kind is ast.UnaryOp:
            operand = self.eval(node.operand, env)
            if isinstance(node.op, ast.USub):
                if plain(operand):
                    return -operand
                return self.arith("*", operand, -1, node, node) if isinstance(operand, Arr) else TOP
            if isinstance(node.op, ast.Not) and isinstance(operand, bool):
                return not operand
            if isinstance(node.op, ast.UAdd) and (plain(operand) or isinstance(operand, Arr)):
                return operand
            if isinstance(node.op, ast.Invert) and isinstance(operand, Arr) and operand.kind == "bool":
                return compare(operand, operand, lambda a, _b: ~a.astype(bool))
            return TOP
        if kind is ast.Compare:
            values = [self.eval(node.left, env), *(self.eval(c, env) for c in node.comparators)]
            if len(values) == 2 and all(plain(v) or isinstance(v, str) for v in values):
                return _compare_plain(node.ops[0], *values)
            if len(values) == 2 and type(node.ops[0]) in _COMPARE and all(
                    isinstance(v, Arr) or plain(v) for v in values):
                return self.elementwise(_COMPARE[type(node.ops[0])], *values)
            return self.meet(*values) if any(isinstance(v, Arr) for v in values) else TOP
        if kind is ast.IfExp:
            test = self.eval(node.test, env)
            if isinstance(test, bool):
                return self.eval(node.body if test else node.orelse, env)
            body, orelse = self.eval(node.body, env), self.eval(node.orelse, env)
            if all(isinstance(v, Arr) or plain(v) for v in (body, orelse)) and join(body, orelse) is TOP:
                return choose(test, *(v if isinstance(v, Arr) else scalar(v) for v in (body, orelse)))
            return join(body, orelse)
        if kind in (ast.ListComp, ast.GeneratorExp):
            return data_comprehension.evaluate(self, node, env)
        if kind in (ast.Lambda, ast.SetComp, ast.DictComp):
            return TOP  # their own names would shadow the script's: not followed
        for child in ast.iter_child_nodes(node):  # comprehensions, lambdas, f-strings: calls inside still count
            if isinstance(child, ast.expr):
                self.eval(child, env)
        return TOP

    def meet(self, *values: Any) -> Any:
        """A comparison/logical result of arrays: 0/1 values; a prediction meeting held-out data is a use."""
        arrays = [v for v in values if isinstance(v, Arr)]
        if not arrays:
            return TOP
        self.note_uses(values)
        result = arrays[0]
        for other in arrays[1:]:
            result = compare(result, other, lambda a, b: a == b)
        return compare(result, result, lambda a, b: a > 0.5) if len(arrays) == 1 else result

    def elementwise(self, fn, left: Any, right: Any) -> Arr:
        """A comparison or a logical operation of arrays (or an array and a number): 0/1 values."""
        self.note_uses((left, right))
        return compare(*(v if isinstance(v, Arr) else scalar(v) for v in (left, right)), fn)

    def bitwise(self, op: ast.operator, left: Any, right: Any) -> Any:
        """``a @ b``; ``&``, ``|``, ``^`` of boolean arrays (masks); anything else is opaque."""
        if isinstance(op, ast.MatMult):
            if not (isinstance(left, Arr) and isinstance(right, Arr)):
                return TOP
            self.note_uses((left, right))
            return matmul(left, right)
        logical = _LOGICAL.get(type(op))
        masks = all(isinstance(v, bool) or isinstance(v, Arr) and v.kind == "bool" for v in (left, right))
        if logical is None or not masks or not any(isinstance(v, Arr) for v in (left, right)):
            return TOP
        return self.elementwise(logical, left, right)

    def note_uses(self, values: Any, text: str = "", line: int = 0, nodes: Any = (), roles: Any = ()) -> None:
        """Record the held-out values among ``values`` when a prediction is among them; ``nodes`` and
        ``roles`` (aligned with ``values``, None where unknown) are the expressions written for them and
        their :class:`Use` roles."""
        if any(isinstance(v, Arr) and v.prediction for v in values):
            nodes = list(nodes) + [None] * (len(values) - len(nodes))
            roles = list(roles) + [None] * (len(values) - len(roles))
            for v, written, role in zip(values, nodes, roles):
                if isinstance(v, Arr) and v.split is not None and not v.prediction:
                    self.uses.append(Use(v, self.text.segment(written) if written is not None else text or v.split.text,
                                         line or (v.lines[-1] if v.lines else 0),
                                         self.text.origin(written) if written is not None else None, role))

    def arith(self, op: str, left: Any, right: Any, other: ast.expr, node: ast.expr | None = None) -> Any:
        """``left op right``; an elementwise operation on one split part is recorded on it."""
        if plain(left) and plain(right):
            try:
                return _PY_OPS[op](left, right)
            except Exception:
                return TOP
        if not (isinstance(left, Arr) or isinstance(right, Arr)) or not all(
                isinstance(v, Arr) or plain(v) for v in (left, right)):
            return TOP
        a = left if isinstance(left, Arr) else scalar(left)
        b = right if isinstance(right, Arr) else scalar(right)
        self.note_uses((a, b), line=node.lineno if node is not None else 0)
        result = binop(op, a, b)
        if node is not None:
            result = result.but(lines=result.lines + (node.lineno,))
        tagged = [v for v in (a, b) if v.split is not None]
        if len(tagged) == 1:
            mine, operand = (a, b) if a.split is not None else (b, a)
            key = (op, operand.lo) if operand.shape == () and operand.lo == operand.hi else (
                op, self.text.segment(other))
            result = result.but(split=mine.split.then(key, self._form(op, node, mine is a),
                                                      node.lineno if node else None,
                                                      self.text.segment(node) if node is not None else "",
                                                      (self.text.origin(node), mine is a)
                                                      if isinstance(node, ast.BinOp) else None))
        return result

    def _form(self, op: str, node: ast.AST | None, left: bool) -> str | None:
        """``"{} / 255"`` (``"255 - {}"`` when the array is on the right) for the operation ``node``
        writes; None for a unary minus or an operation not written as ``a op b``."""
        if isinstance(node, ast.BinOp):
            operand = node.right if left else node.left
        elif isinstance(node, ast.AugAssign):
            operand = node.value
        else:
            return None
        code = self.text.segment(operand).replace("{", "{{").replace("}", "}}")
        if not isinstance(operand, (ast.Constant, ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
            code = f"({code})"
        return f"{{}} {op} {code}" if left else f"{code} {op} {{}}"

    def attribute(self, owner: Any, attr: str) -> Any:
        if isinstance(owner, Ref):
            if owner.path in ("numpy.random", "np.random") and attr not in ("default_rng", "RandomState", "Generator"):
                return ("rng-method", self.legacy, attr)
            return Ref(f"{owner.path}.{attr}")
        if isinstance(owner, Instance):
            if attr in owner.attrs:
                return owner.attrs[attr]
            method = method_of(owner.cls, attr)
            return Func(method, owner) if method is not None else TOP
        if isinstance(owner, Rng):
            return ("rng-method", owner, attr)
        if isinstance(owner, Flow):
            return data_order.flow_attribute(owner, attr, 0)
        if isinstance(owner, Arr):
            if attr == "shape" and owner.shape is not None:
                return owner.shape
            if attr == "ndim" and owner.shape is not None:
                return len(owner.shape)
            if attr == "T" and owner.shape is not None and len(owner.shape) <= 1:
                return owner
            return ("arr-method", owner, attr)
        return TOP

    def subscript(self, value: Any, index: Any, node: ast.expr) -> Any:
        if isinstance(value, (tuple, list)) and isinstance(index, int) and -len(value) <= index < len(value):
            return value[index]
        if isinstance(value, (tuple, list)) and isinstance(index, slice) and all(
                p is None or isinstance(p, int) for p in (index.start, index.stop, index.step)):
            return value[index]
        if isinstance(value, Arr):
            return data_index.item(value, index, node, self.text)
        return TOP


def _compare_plain(op: ast.cmpop, a: Any, b: Any) -> Any:
    fn = _COMPARE.get(type(op))
    try:
        return fn(a, b) if fn is not None else TOP
    except TypeError:
        return TOP
