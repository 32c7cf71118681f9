"""The Python a learner pastes: augmented and tuple assignment, names bound again, the
notebook's boilerplate and display lines skipped (and reported), and hints that say what to
do. Nothing in the text is ever run; the same text run as Python gives the same graph."""

from __future__ import annotations

import contextlib
import io
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from micrograd.errors import MathError
from micrograd.expr import ExprError, Program, evaluate
from micrograd.notebook import NETWORK_HINT, Skipped, skipped_summary
from micrograd.value import Value, topological_order

README = Path(__file__).resolve().parents[2] / "README.md"


def error_of(source: str) -> ExprError:
    with pytest.raises(ExprError) as info:
        evaluate(source, filename="pasted.py")
    return info.value


def run_as_python(source: str) -> dict[str, object]:
    """The text run as Python with this engine (our own test text: trusted)."""
    namespace: dict[str, object] = {"Value": Value, "draw_dot": lambda root, **options: None}
    kept = [line for line in source.splitlines()
            if not line.startswith(("import numpy", "import matplotlib", "%", "from graphviz"))]
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile("\n".join(kept), "pasted.py", "exec"), namespace)
    return namespace


def shape(root: Value) -> list[tuple[object, ...]]:
    """A graph as plain data: each node's class, op, operands (by place), data and grad (as
    ``repr``, so nan equals nan and -0.0 differs from 0.0), in topological order (creation
    order): equal shapes are equal graphs, sharing included."""
    order = topological_order(root)
    place = {node: i for i, node in enumerate(order)}
    return [(type(node).__name__, node._op, tuple(place[p] for p in node._prev),
             repr(node.data), repr(node.grad)) for node in order]


# --- augmented assignment ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "op", "data"),
    [("c += a", "+", 5.0), ("c -= a", "-", 1.0), ("c *= a", "*", 6.0), ("c /= a", "/", 1.5),
     ("c **= 2", "**", 9.0)],
)
def test_each_augmented_assignment_makes_a_new_node_the_name_then_names(
    statement: str, op: str, data: float
) -> None:
    program = evaluate(f"a = Value(2.0)\nc = Value(3.0)\n{statement}\nd = c * 1\n")
    c = program.names["c"]
    assert c._op == op and c.data == data and c.label == "c"
    assert c._prev[0] is program.names["c@2"]  # the old c is the left operand
    assert program.names["c@2"].label == "c@2" and program.names["c@2"].data == 3.0
    assert program.output._prev[0] is c  # later statements read the new c


def test_augmented_assignment_on_a_number_and_an_expression() -> None:
    program = evaluate("c = Value(3.0)\nc += 1\nc *= c + 1\n")
    old, new = program.names["c@2"], program.names["c"]
    assert old._op == "+" and old._prev[1].kind == "constant" and old.data == 4.0
    assert new._op == "*" and new._prev[0] is old and new._prev[1]._prev[0] is old
    assert new.data == 20.0


@pytest.mark.parametrize(
    ("source", "line", "col", "message"),
    [
        ("a = Value(1.0)\nc += a\n", 2, 1, "c += ... needs an earlier c = ...: unknown name 'c'"),
        ("a = Value(1.0)\na += \n", 2, 5, "expected an expression after '+='"),
        ("a = Value(1.0)\na += 1, 2\n", 2, 7, "a += takes one value"),
        ("a = Value(1.0)\na **= b\n", 2, 7, "unknown name 'b'"),
        ("a = Value(1.0)\na.data += 1\n", 2, 3, "a.data is not understood here"),
        ("a = Value(1.0)\na, b += 1\n", 2, 6, "expected '=' after a, b, found '+='"),
        ("a = Value(0.0)\na /= a\n", 2, 3, "cannot compute a / a: division by zero"),
        ("a = Value(1.0)\na += += 1\n", 2, 6, "expected an expression after '+='"),
    ],
)
def test_augmented_assignment_errors_say_where(
    source: str, line: int, col: int, message: str
) -> None:
    error = error_of(source)
    assert message in error.message
    assert (error.line, error.col) == (line, col), error.message


# --- tuple assignment and chained names -------------------------------------------------


def test_tuple_assignment_binds_each_name_its_value() -> None:
    program = evaluate("x1, x2 = Value(1.0), Value(2.0)\nw1, w2, b = -3.0, 1.0, 0.5\n"
                       "y = x1*w1 + x2*w2 + b\n")
    names = program.names
    assert [names[n].data for n in ("x1", "x2", "w1", "w2", "b")] == [1.0, 2.0, -3.0, 1.0, 0.5]
    assert names["x1"].label == "x1" and names["w2"].label == "w2"
    assert program.output.data == -0.5


def test_every_value_is_made_before_any_name_is_bound_as_in_python() -> None:
    source = "a = Value(2.0)\nb = Value(3.0)\na, b = b * 2, a + 1\nc = a * b\n"
    program = evaluate(source)
    python = run_as_python(source)
    assert program.names["a"].data == 6.0 and program.names["b"].data == 3.0
    assert program.names["b"]._prev[0] is program.names["a@1"]  # the old a
    assert shape(program.output) == shape(python["c"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "line", "col", "message"),
    [
        ("a, b = Value(1.0)\n", 1, 18, "fewer values than names: a, b take 2 values, found 1"),
        ("a, b = Value(1.0), Value(2.0), Value(3.0)\n", 1, 30,
         "more values than names: a, b take 2 values"),
        ("a = Value(1.0), Value(2.0)\n", 1, 15, "more values than names: a takes 1 value"),
        ("a, 1 = 2, 3\n", 1, 4, "expected a name after ','"),
        ("a, = Value(1.0)\n", 1, 4, "expected a name after ','"),
        ("a, b\n", 1, 5, "expected '=' after a, b, found the end of the line"),
        ("a = Value(1.0)\nb, c = (a * 2, a * 3)\n", 2, 14, "a tuple in parentheses"),
        ("a, tanh = 1.0, 2.0\n", 1, 4, "'tanh' is a function and cannot be assigned"),
        ("a, b = 1.0, \n", 1, 12, "expected an expression after ','"),
        ("a = b = Value(1.0)\n", 1, 7, "a = b = ... gives one node two names"),
        ("a = Value(1.0)\nb, c = a * 2, a\n", 2, 4, "c = a makes no new node"),
    ],
)
def test_tuple_and_chained_assignment_errors_say_where(
    source: str, line: int, col: int, message: str
) -> None:
    error = error_of(source)
    assert message in error.message
    assert (error.line, error.col) == (line, col), error.message


# --- names bound again --------------------------------------------------------------------


def test_a_name_bound_again_names_the_new_node_and_the_old_one_keeps_its_place() -> None:
    program = evaluate(
        "a = Value(2.0)\n"       # line 1
        "b = a * 3\n"            # line 2: uses the first a
        "a = Value(5.0)\n"       # line 3
        "c = a + b\n"            # the second a, and b (made from the first a)
    )
    first, second = program.names["a@1"], program.names["a"]
    assert list(program.names) == ["a@1", "b", "a", "c"]
    assert (first.label, first.data, second.label, second.data) == ("a@1", 2.0, "a", 5.0)
    assert program.names["b"]._prev[0] is first
    assert program.output._prev == (second, program.names["b"])
    assert program.output.data == 11.0
    assert program.unused_warning() == ""  # both bindings lead to c


def test_labels_of_earlier_bindings_are_distinct_and_readable() -> None:
    program = evaluate(
        "x = Value(1.0, label='x')\n"      # labeled as its name: renamed with it
        "y = Value(2.0, label='input')\n"  # a label of its own: kept
        "x = x * 2; x = x + 1\n"           # two bindings on one line
        "y = y * x\n"
    )
    labels = [node.label for node in program.names.values()]
    assert list(program.names) == ["x@1", "y@2", "x@3", "x", "y"]
    assert labels == ["x@1", "input", "x@3", "x", "y"]
    program = evaluate("c = Value(1.0); c = c * 2; c = c + 1; d = c * 3\n")
    assert list(program.names) == ["c@1", "c@1:17", "c", "d"]
    labels = [node.label for node in topological_order(program.output) if node.label]
    assert sorted(labels) == ["c", "c@1", "c@1:17", "d"]


def test_the_unused_warning_names_earlier_bindings_the_output_does_not_use() -> None:
    program = evaluate("a = Value(2.0)\nb = a * 3\na = Value(5.0)\nc = a * 2\n")
    assert program.unused_names() == ["a@1", "b"]
    assert program.unused_warning().startswith("a@1, b are not used by the output c")


def test_backward_marks_the_binding_of_its_moment() -> None:
    program = evaluate("L = Value(2.0)\nL = L * 3\nL.backward()\nL = L + 1\n")
    assert program.output is program.names["L@2"] and program.output.data == 6.0


# --- skipped lines, each reported ----------------------------------------------------------


SKIPPED_CELLS = """\
import math
import random
import numpy as np
import matplotlib.pyplot as plt
%matplotlib inline
from graphviz import Digraph
from micrograd.engine import Value
a = Value(2.0, label='a')
b = a.tanh(); b.label = 'b'
1 - b.data**2
b.grad
a.data, b.data
a * b
-a
(a + 1)
a.tanh()
tanh(a)
Value(3.0)
b
print(b.data)
b.grad = 1.0
a.grad += (1 - b.data**2) * b.grad
b._backward()
"""


def test_every_skipped_line_is_reported_with_why() -> None:
    program = evaluate(SKIPPED_CELLS, filename="cells.py")
    assert program.output is program.names["b"]
    assert len(topological_order(program.output)) == 2  # the display lines built nothing
    assert program.output.grad == 0.0  # the grads by hand were read, not run
    reported = {(s.line, s.col, s.text) for s in program.skipped}
    lines = SKIPPED_CELLS.splitlines()
    expected = {(number, 1, text) for number, text in enumerate(lines, 1)
                if number not in (8, 9)}
    assert reported == expected
    why = {s.line: s.why for s in program.skipped}
    assert why[1] == why[3] == "a notebook's boilerplate; nothing in the file is run"
    assert why[5] == "a notebook command, not Python"
    assert "draws the graph itself" in why[6] and why[7] == "Value and its ops are built in"
    assert why[10] == why[19] == "a display line: its value is not used"
    assert why[16].endswith("(to keep it, write y = a.tanh())")
    assert why[20] == "the explorer shows every value"
    assert why[21] == why[22] == "the explorer computes every grad itself"
    assert why[23] == "the explorer steps backward itself"
    assert str(program.skipped[0]) == (
        "line 1: skipped import math (a notebook's boilerplate; nothing in the file is run)")


def test_a_skipped_statement_shares_its_line_and_long_text_is_cut() -> None:
    program = evaluate("a = Value(1.0); a.grad   # by hand\nb = a * 2; print(b, 'x' * 80)\n"
                       f"{' + '.join(['a'] * 40)}\n")
    assert [(s.line, s.col, s.text) for s in program.skipped] == [
        (1, 17, "a.grad"), (2, 12, "print(b, 'x' * 80)"),
        (3, 1, " + ".join(["a"] * 40)[:57] + "...")]
    assert skipped_summary(program.skipped) == "skipped, not run: lines 1-3"
    many = [Skipped(n, 1, "x", "y") for n in range(1, 30, 2)]
    assert skipped_summary(many) == "skipped, not run: lines 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, ..."
    assert skipped_summary([]) == ""


@pytest.mark.parametrize(
    ("source", "line", "col", "message"),
    [
        ("a = Value(1.0)\n1 - w.data**2\n", 2, 5, "unknown name 'w'"),
        ("a = Value(1.0)\na.data * 'x'\n", 2, 10, "a string can only be a label here"),
        ("a = Value(1.0)\n(a + 1\n", 2, 7, "unclosed '(' opened at col 1"),
        ("a = Value(1.0)\n2 = a\n", 2, 1, "a statement starts with a name"),
        ("a = Value(1.0)\n-a.__class__\n", 2, 4, "unknown method '__class__'"),
        ("a = Value(1.0)\na.data()\n", 2, 7, "missing an operator before '('"),
        ("a = Value(1.0)\na * open('f')\n", 2, 5, "unknown function 'open'"),
        ("a = Value(1.0)\n(lambda: a)\n", 2, 2, "'lambda' is not understood here"),
        ("a = Value(1.0)\nimport os\n", 2, 8, "only imports of micrograd and a notebook's"),
        ("a = Value(1.0)\nimport torch\n", 2, 8, "PyTorch cells are not read here"),
        ("a = Value(1.0)\n  %matplotlib inline\n", 2, 3, "unexpected '%'"),
        ("a = Value(1.0)\nb.grad\n", 2, 1, "unknown name 'b'"),
    ],
)
def test_a_display_line_is_still_read_and_checked(
    source: str, line: int, col: int, message: str
) -> None:
    error = error_of(source)
    assert message in error.message
    assert (error.line, error.col) == (line, col), error.message


def test_only_skipped_lines_is_still_an_empty_program() -> None:
    assert "the program is empty" in error_of("import math\n%matplotlib inline\n").message


# --- hints that say what to do -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line", "col", "message"),
    [
        ("import math\nclass Value:\n    def __init__(self, data):\n", 2, 1,
         "this file defines its own Value; delete that cell: micrograd-tui uses its own engine, "
         "which behaves the same"),
        ("a = Value(1.0)\n  def __add__(self, other):\n", 2, 3,
         "this file defines its own engine (__add__); delete that cell"),
        ("a = Value(1.0)\ndef trace(root):\n", 2, 1, "its own engine (trace)"),
        ("a = Value(1.0)\ndef draw_dot(root):\n", 2, 1, "its own engine (draw_dot)"),
        ("a = Value(1.0)\nclass MLP:\n", 2, 1, f"defines its own MLP; delete that cell: "
         f"{NETWORK_HINT}"),
        ("a = Value(1.0)\nn = MLP(3, [4, 4, 1])\n", 2, 5, "MLP(...) is not run here; for a "
         "network, open one with micrograd-tui --preset mlp"),
        ("a = Value(1.0)\nMLP(3, [4, 4, 1])\n", 2, 1, "--preset mlp"),
        ("x = [2.0, 3.0]\n", 1, 5, "lists and subscripts ([...]) are not understood here; "
         "for a network"),
        ("a = Value(1.0)\nfor k in range(20):\n", 2, 1, f"loops are not run here; {NETWORK_HINT}"),
        ("a = Value(1.0)\nwhile a:\n", 2, 1, "loops are not run here"),
        ("a = Value(1.0)\ndef f(x):\n", 2, 1, "'def' is not understood here"),
    ],
)
def test_hints_say_what_to_do(source: str, line: int, col: int, message: str) -> None:
    error = error_of(source)
    assert message in error.message
    assert (error.line, error.col) == (line, col), error.message
    assert "\n" not in str(error)


# --- the snippets of the issue: as Python, to the last bit ---------------------------------


CLASSIC_README = """\
from micrograd.engine import Value

a = Value(-4.0)
b = Value(2.0)
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
print(f'{g.data:.4f}') # prints 24.7041, the outcome of this forward pass
g.backward()
print(f'{a.grad:.4f}') # prints 138.8338, i.e. the numerical value of dg/da
print(f'{b.grad:.4f}') # prints 645.5773, i.e. the numerical value of dg/db
"""


def test_classic_micrograds_readme_example() -> None:
    program = evaluate(CLASSIC_README, filename="classic.py")
    g = program.output
    assert g is program.names["g"]
    g.backward()
    a, b = program.names["a"], program.names["b"]
    assert (f"{g.data:.4f}", f"{a.grad:.4f}", f"{b.grad:.4f}") == (
        "24.7041", "138.8338", "645.5773")
    python = run_as_python(CLASSIC_README)
    assert shape(g) == shape(python["g"])  # type: ignore[arg-type]
    assert [s.line for s in program.skipped] == [1, 15, 17, 18]
    names = program.names  # as the README says: c@5, c@7, then c
    assert names["c@7"]._prev[0] is names["c@5"] and names["c"]._prev[0] is names["c@7"]


def readme_block(marker: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    (block,) = [block for block in blocks if marker in block]
    return block


def test_the_readmes_simple_neuron_opens_through_the_door() -> None:
    source = readme_block("x1, x2 = Value(1.0), Value(2.0)")
    program = evaluate(source, filename="neuron.py")
    assert program.output is program.names["o"]
    program.output.backward()
    python = run_as_python(source)
    assert shape(program.output) == shape(python["o"])  # type: ignore[arg-type]
    assert program.names["w1"].grad == python["w1"].grad  # type: ignore[attr-defined]
    assert [s.text for s in program.skipped][0] == "from micrograd.value import Value"


def test_the_readmes_pasted_forms_open_through_the_door_as_they_run() -> None:
    source = readme_block("n += Value(6.8813735870195432)")
    program = evaluate(source, filename="forms.py")
    assert program.output is program.names["o"]
    program.output.backward()
    python = run_as_python(source)
    assert shape(program.output) == shape(python["o"])  # type: ignore[arg-type]
    assert [s.line for s in program.skipped] == [1, 2, 9, 10]
    readme = README.read_text(encoding="utf-8")
    quoted = "line 1, col 18: fewer values than names: a, b take 2\n  values, found 1"
    assert quoted in readme
    assert str(error_of("a, b = Value(1.0)\n")) in readme.replace("\n  ", " ")


# The lecture's graph cells as a learner pastes them, one after the other: the same names
# bound again and again, the grads by hand, the displays, the nudge of the inputs by hand
# left out (a.data += ... is refused: the explorer nudges a leaf itself).
LECTURE = """\
import math
import numpy as np
import matplotlib.pyplot as plt
%matplotlib inline

a = 2.0
b = -3.0
c = 10.0
d = a*b + c
print(d)

h = 0.0001
a = 2.0
b = -3.0
c = 10.0
d1 = a*b + c
c += h
d2 = a*b + c
print('d1', d1)
print('d2', d2)
print('slope', (d2 - d1)/h)

a = Value(2.0, label='a')
b = Value(-3.0, label='b')
c = Value(10.0, label='c')
e = a*b; e.label = 'e'
d = e + c; d.label = 'd'
f = Value(-2.0, label='f')
L = d * f; L.label = 'L'
L

from graphviz import Digraph
draw_dot(L)

L.grad = 1.0
f.grad = 4.0
d.grad = -2.0
draw_dot(L)

x1 = Value(2.0, label='x1')
x2 = Value(0.0, label='x2')
w1 = Value(-3.0, label='w1')
w2 = Value(1.0, label='w2')
b = Value(6.8813735870195432, label='b')
x1w1 = x1*w1; x1w1.label = 'x1*w1'
x2w2 = x2*w2; x2w2.label = 'x2*w2'
x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
n = x1w1x2w2 + b; n.label = 'n'
o = n.tanh(); o.label = 'o'
draw_dot(o)
o.grad = 1.0
n.grad = 0.5
1 - o.data**2
o._backward()
n._backward()
o.backward()

a = Value(3.0, label='a')
b = a + a   ; b.label = 'b'
b.backward()
draw_dot(b)

a = Value(-2.0, label='a')
b = Value(3.0, label='b')
d = a * b    ; d.label = 'd'
e = a + b    ; e.label = 'e'
f = d * e    ; f.label = 'f'
f.backward()
draw_dot(f)
"""


def test_lecture_cells_pasted_one_after_another() -> None:
    program = evaluate(LECTURE, filename="lecture.py")
    f = program.output
    assert f is program.names["f"] and f.label == "f"
    f.backward()
    assert (program.names["a"].grad, program.names["b"].grad) == (-3.0, -8.0)
    python = run_as_python(LECTURE)
    assert shape(f) == shape(python["f"])  # type: ignore[arg-type]
    # Each earlier cell's graph is still there, under its own names.
    names = program.names
    assert names["L"].data == -8.0 and names["o"].data == pytest.approx(0.7071067811865476)
    assert names["c@15"].label == "c@15" and names["c@17"]._prev[0] is names["c@15"]
    assert names["a@23"].label == "a@23" and names["e@26"]._prev[0] is names["a@23"]
    assert names["b@59"]._prev == (names["a@58"], names["a@58"])
    skipped_lines = {s.line for s in program.skipped}
    assert skipped_lines == {1, 2, 3, 4, 10, 19, 20, 21, 30, 32, 35, 36, 37, 51, 52, 53, 54, 55}
    # Only the last graph is shown: the warning names the earlier cells' bindings.
    assert "are not used by the output f" in program.unused_warning()


def test_each_cell_alone_gives_the_same_numbers_as_python() -> None:
    """Each graph cell of the lecture opened alone: the output as Python makes it."""
    cells = [cell for cell in LECTURE.split("\n\n") if "Value(" in cell]
    for cell in cells:
        program = evaluate(cell, filename="cell.py")
        if program.output.label in ("L", "o"):
            continue  # the drawn output is L or o: nothing marks it for Python to compare
        program.output.backward()
        python = run_as_python(cell)
        assert shape(program.output) == shape(python[program.output.label])  # type: ignore


# --- the property: the door and Python agree ----------------------------------------------

NAMES = ("a", "b", "c", "d")
NUMBERS = (-3.0, -1.5, 0.5, 2.0, 3.0)
LEAVES = (-2.0, -0.5, 0.25, 1.0, 1.5)


@st.composite
def expressions(draw: st.DrawFn, defined: list[str], depth: int = 2, top: bool = True) -> str:
    """An expression over the names in ``defined``: never a bare name at the top (``c = a``
    makes no node) and never an op on two numbers (Python folds those into one float)."""
    if not top and (depth == 0 or draw(st.booleans())):
        return draw(st.sampled_from(defined))
    inner = expressions(defined, depth - 1 if depth else 0, top=False)
    number = st.sampled_from(NUMBERS).map(repr)
    kind = draw(st.sampled_from(("vv", "vn", "nv", "neg", "method", "pow")))
    if kind == "vv":
        return f"({draw(inner)} {draw(st.sampled_from('+-*/'))} {draw(inner)})"
    if kind == "vn":
        return f"({draw(inner)} {draw(st.sampled_from('+-*/'))} {draw(number)})"
    if kind == "nv":
        return f"({draw(number)} {draw(st.sampled_from('+-*'))} {draw(inner)})"
    if kind == "neg":
        return f"(-{draw(inner)})"
    if kind == "method":
        return f"{draw(inner)}.{draw(st.sampled_from(('tanh', 'relu', 'exp')))}()"
    return f"({draw(inner)} ** {draw(st.sampled_from((2, 3)))})"


@st.composite
def programs(draw: st.DrawFn) -> tuple[str, str]:
    """A straight-line program of the pasted forms, and the name that holds its output."""
    leaf = st.sampled_from(LEAVES).map(lambda x: f"Value({x!r})")
    lines = [f"a = {draw(leaf)}"]
    defined, last = ["a"], "a"
    for _ in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(("leaf", "assign", "tuple", "augmented", "display")))
        target = draw(st.sampled_from(NAMES))
        value = st.one_of(leaf, expressions(defined))
        if kind == "leaf":
            lines.append(f"{target} = {draw(leaf)}")
        elif kind == "assign":
            lines.append(f"{target} = {draw(expressions(defined))}")
        elif kind == "tuple":
            other = draw(st.sampled_from([n for n in NAMES if n != target]))
            lines.append(f"{target}, {other} = {draw(value)}, {draw(value)}")
            defined = sorted({*defined, other})
            last = other
        elif kind == "augmented":
            target = draw(st.sampled_from(defined))
            operand = draw(st.one_of(st.sampled_from(defined), st.sampled_from(NUMBERS).map(repr),
                                     expressions(defined)))
            symbol = draw(st.sampled_from(("+=", "-=", "*=", "/=", "**=")))
            lines.append(f"{target} {symbol} {'2' if symbol == '**=' else operand}")
        else:
            lines.append(draw(st.one_of(expressions(defined), st.just(f"{target}.data * 2")
                                        if target in defined else st.just("a.grad"))))
            continue
        if kind != "tuple":
            last = target
        defined = sorted({*defined, target})
    return "\n".join(lines) + "\n", last


def finite(root: Value) -> bool:
    return all(math.isfinite(node.data) and math.isfinite(node.grad)
               for node in topological_order(root))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_straight_line_programs_give_the_same_graph_as_python(case: tuple[str, str]) -> None:
    source, output = case
    try:
        python = run_as_python(source)
        expected = python[output]
        assert isinstance(expected, Value)
        expected.backward()
    except (MathError, ArithmeticError):
        assume(False)  # Python fails too: the door says so in its own words (tested above)
        return
    assume(finite(expected))
    program: Program = evaluate(source, filename="random.py")
    assert program.output is program.names[output]
    program.output.backward()
    assert shape(program.output) == shape(expected), source
