"""Node ranges computed a statement at a time give what libcst's PositionProvider gives for the module."""

from __future__ import annotations

import ast

import libcst as cst
import pytest

from autofix.source._plan import SourceTree
from autofix.source.positions import whole_positions
from autofix.source.walk import nodes
from autofix.spec import Origin

SCRIPTS = {
    "nested": '''# header comment

import keras  # trailing
from keras import layers


@decorator(
    arg=1)
def build(units=8):
    """Doc."""
    model = keras.Sequential()
    # a comment before a line
    for i in range(2):
        if i:
            model.add(layers.Dense(units,
                                   activation='relu'))
        elif units:
            model.add(layers.Dropout(0.5)); x = 1
        else:
            pass
    try:
        model.compile(loss="mse")
    except ValueError:
        raise
    finally:
        y = 2
    return model


class Trainer:
    def fit(self, model):
        model.fit(x, y, epochs=5)  # fit
# footer comment

''',
    "crlf_no_trailing_newline": "import keras\r\nif x:\r\n    m = keras.Sequential()\r\nm.fit(x, epochs=1)",
    "one_line_block": "def f():\n    return g(1, 'a')\n\nf()\n",
    "suite": "if x: y = f(1)\nelse: y = 2\n",
    "only_comments": "# nothing\n\n# here\n",
}


def _queries(ranges):
    """Origins of every node's range and of its start point (``Origin`` columns are 1-based)."""
    for span in ranges.values():
        yield Origin("t.py", span.start.line, span.start.column + 1, span.end.line, span.end.column + 1)
        yield Origin("t.py", span.start.line, span.start.column + 1)


@pytest.mark.parametrize("name", sorted(SCRIPTS))
@pytest.mark.parametrize("kind", [cst.CSTNode, cst.Call, cst.Arg, cst.BaseExpression, cst.SimpleStatementLine,
                                  cst.FunctionDef, cst.IndentedBlock])
def test_lookups_match_the_whole_module_positions(name, kind):
    code = SCRIPTS[name]
    module = cst.parse_module(code)
    full = whole_positions(module)
    order = list(full)

    def reference(start, end):  # the innermost node containing start..end, PositionProvider's ranges
        exact = [n for n in order if isinstance(n, kind) and (full[n].start.line, full[n].start.column) == start
                 and (full[n].end.line, full[n].end.column) == end]
        if exact:
            return exact[0]
        inside = [(i, n) for i, n in enumerate(order) if isinstance(n, kind)
                  and (full[n].start.line, full[n].start.column) <= start
                  and end <= (full[n].end.line, full[n].end.column)]
        if not inside:
            return None
        return max(inside, key=lambda e: ((full[e[1]].start.line, full[e[1]].start.column),
                                          (-full[e[1]].end.line, -full[e[1]].end.column), e[0]))[1]

    for where in _queries(full):
        tree = SourceTree(module, code)  # fresh: each lookup takes the lazy path
        start = (where.line, where.col - 1)
        end = (where.end_line or where.line, (where.end_col or where.col) - 1)
        assert tree.find(where, kind) is reference(start, end), (where, kind)
    tree = SourceTree(module, code)
    assert {id(n): s for n, s in tree.ranges.items()} == {id(n): s for n, s in full.items()}


def test_a_lookup_generates_only_the_line_it_is_in():
    code = SCRIPTS["nested"]
    module = cst.parse_module(code)
    full = whole_positions(module)
    call = next(n for n in full if isinstance(n, cst.Call) and "Dropout" in module.code_for_node(n))
    span = full[call]
    tree = SourceTree(module, code)
    where = Origin("t.py", span.start.line, span.start.column + 1, span.end.line, span.end.column + 1)
    assert tree.find(where, cst.Call) is call
    assert all(chunk.ranges is None for chunk in tree._chunks)  # no top-level statement was generated
    assert len(tree._known) < len(full) / 5
    assert tree.enclosing(call, cst.FunctionDef) is next(n for n in full if isinstance(n, cst.FunctionDef))


def test_source_of_is_the_scripts_text():
    code = SCRIPTS["nested"]
    tree = SourceTree.parse(code)
    call = tree.find(Origin("t.py", 15, 23, 16, 54), cst.Call)
    assert tree.source_of(call) == "layers.Dense(units,\n                                   activation='relu')"
    assert tree.source_of(call.args[0].value) == "units"


def test_nodes_lists_what_ast_walk_does_less_contexts_and_operators():
    code = SCRIPTS["nested"] + "z = -a + b < c and not d\nglobal g\nprint(f'{x!r:>{w}}', {**m, 'k': 1})\n"
    tree = ast.parse(code)
    skipped = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    assert list(nodes(tree)) == [n for n in ast.walk(tree) if not isinstance(n, skipped)]
