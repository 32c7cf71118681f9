"""The video's Python, read and never run: ``Value(...)``, labels, ``backward()``, imports of
micrograd; everything else is an ExprError with a position and a hint, and nothing runs."""

from __future__ import annotations

import pytest

from micrograd.expr import PYTHON_HINT, ExprError, evaluate
from micrograd.value import CONSTANT, INPUT

VIDEO_L = """\
from micrograd.engine import Value
a = Value(2.0, label='a')
b = Value(-3.0, label='b')
e = a*b; e.label = 'e'
d = e + Value(10.0, label='c'); d.label = 'd'
L = d * Value(-2.0, label='f'); L.label = 'L'
"""


def error_of(source: str, filename: str | None = None) -> ExprError:
    with pytest.raises(ExprError) as info:
        evaluate(source, filename=filename)
    return info.value


def test_the_video_expression_builds_and_backpropagates() -> None:
    program = evaluate(VIDEO_L)
    program.output.backward()
    assert program.output.label == "L" and program.output.data == -8.0
    names = program.names
    assert names["a"].grad == 6.0 and names["b"].grad == -4.0
    assert names["e"].grad == -2.0 and names["d"].grad == -2.0
    assert names["a"].kind == INPUT


def test_labels_come_from_value_calls_and_label_statements() -> None:
    program = evaluate(
        "x = Value(1.5, label='first')\n"
        "y = Value(data=-2.0, _label=\"second\")\n"
        "z = x * y\n"
        "z.label = 'x times y'\n"
    )
    assert program.names["x"].label == "first"
    assert program.names["y"].label == "second" and program.names["y"].data == -2.0
    assert program.names["z"].label == "x times y"
    assert program.output is program.names["z"]


def test_a_value_without_a_label_takes_its_name() -> None:
    program = evaluate("a = Value(3.0)\nb = Value(-1)\nc = a + b\n")
    assert program.names["a"].label == "a" and program.names["b"].data == -1.0
    assert program.names["a"].kind == INPUT


def test_method_calls_on_expressions_and_exp_built_tanh() -> None:
    program = evaluate(
        "n = Value(0.8813735870195432, label='n')\n"
        "e = (2*n).exp()\n"
        "o = (e - 1) / (e + 1)\n"
    )
    program.output.backward()
    assert program.output.data == pytest.approx(0.7071067811865476)
    assert program.names["n"].grad == pytest.approx(0.5)
    (two_n,) = program.names["e"]._prev
    assert any(node.kind == CONSTANT and node.data == 2.0 for node in two_n._prev)


def test_backward_and_draw_dot_name_the_output() -> None:
    program = evaluate("a = Value(2.0)\nb = a * 3\nc = b + 1\nb.backward()\n")
    assert program.output is program.names["b"]
    program = evaluate("a = Value(2.0)\nb = a * 3\nc = b + 1\ndraw_dot(b, rankdir='TB')\n")
    assert program.output is program.names["b"]
    program = evaluate("a = Value(2.0)\nb = a * 3\nexplore(a)\n")
    assert program.output is program.names["a"]


def test_skipped_lines_imports_grads_and_prints() -> None:
    program = evaluate(
        "import micrograd\n"
        "from micrograd.engine import Value\n"
        "from micrograd.draw import draw_dot\n"
        "from tui import explore\n"
        "a = Value(2.0, label='a')\n"
        "b = a.tanh(); b.label = 'b'\n"
        "b.grad = 1.0\n"
        "a.grad = (1 - b.data**2) * b.grad\n"
        "print(a.grad, f'{b.data:.4f}', (1, 2))\n"
        "b.backward()\n"
        "a\n"  # a notebook cell's last line shows a value: not a new output
    )
    assert program.output is program.names["b"]
    assert program.output.grad == 0.0  # the grads by hand were read, not run


def test_the_hint_comes_with_python_text() -> None:
    error = error_of("a = Value(2.0)\nif a:\n")
    assert (error.line, error.col) == (2, 1)
    assert "'if' is not understood here" in error.message
    assert PYTHON_HINT in error.message
    # plain expression-language text gets no hint about Python
    assert PYTHON_HINT not in error_of("a = 2\nb = foo(a)\n").message
    # a .py file always does
    assert PYTHON_HINT in error_of("a = 2\nb = foo(a)\n", filename="x.py").message


@pytest.mark.parametrize(
    ("source", "line", "col", "message"),
    [
        ("import os\n", 1, 8, "only imports of micrograd and a notebook"),
        ("from os import system\n", 1, 6, "only imports of micrograd and a notebook"),
        ("import micrograd; import os\n", 1, 26, "only imports of micrograd and"),
        ("a = Value(2.0)\nb = __import__('os')\n", 2, 5, "unknown function '__import__'"),
        ("a = Value(2.0)\nexec('print(1)')\n", 2, 1, "'exec' is not understood here"),
        ("a = Value(2.0)\neval('1')\n", 2, 1, "eval(...) is not run here"),
        ("a = Value(2.0)\nb = lambda: a\n", 2, 5, "'lambda' is not understood here"),
        ("a = Value(2.0)\nb = a.__class__\n", 2, 7, "unknown method '__class__'"),
        ("a = Value(2.0)\na.__class__ = 1\n", 2, 3, "a.__class__ is not understood here"),
        ("a = Value(2.0)\nb = a.data * 2\n", 2, 7, ".data is not understood inside"),
        ("a = Value(2.0)\na.data += 0.01 * a.grad\n", 2, 3, "a.data is not understood here"),
        ("a = Value(2.0)\nb = a + 'x'\n", 2, 9, "a string can only be a label here"),
        ("a = Value('2.0')\n", 1, 11, "Value() takes a number here"),
        ("a = Value(2.0, grad=1.0)\n", 1, 16, "Value() takes a number and label='...'"),
        ("a = Value(2.0, label=3)\n", 1, 22, "label is a string"),
        ("a = Value(2.0, label='a\n", 1, 22, "unclosed string"),
        ("a = Value(2.0, label='a\\nb')\n", 1, 22, "backslash escapes"),
        ("a = Value(2.0, label='\x1b[31m')\n", 1, 22, "control characters"),
        ("a = Value(2.0, label='" + "x" * 101 + "')\n", 1, 22, "the label is too long"),
        ("a = Value(2.0)\na.label = b\n", 2, 11, "a label is a string in quotes"),
        ("a = Value(2.0)\nb.label = 'b'\n", 2, 1, "'b'"),
        ("a = Value(2.0)\ndef f(x):\n", 2, 1, "'def' is not understood here"),
        ("a = Value(2.0)\nclass C:\n", 2, 1, "'class' is not understood here"),
        ("a = Value(2.0)\nb = [a]\n", 2, 5, "lists and subscripts"),
        ("a = Value(2.0)\nzz\n", 2, 3, "expected '=' after the name 'zz'"),
        ("a = Value(2.0)\nprint(a\n", 2, 6, "unclosed '(' of print"),
        ("Value = 3\n", 1, 1, "'Value' is the leaf maker and cannot be assigned"),
        ("a = Value(2.0)\nb = open('f')\n", 2, 5, "unknown function 'open'"),
        ("a = Value(2.0)\nimport micrograd as m, os\n", 2, 1, ""),
    ],
)
def test_anything_outside_the_subset_is_refused_with_a_position(
    source: str, line: int, col: int, message: str
) -> None:
    if not message:  # 'import micrograd as m, os' is skipped whole: names after it are not modules
        evaluate(source)
        return
    error = error_of(source)
    assert message in error.message
    assert (error.line, error.col) == (line, col), error.message
    assert "\n" not in str(error)


def test_nothing_is_run(tmp_path, monkeypatch) -> None:
    """Text that would have side effects if run is refused and has none."""
    marker = tmp_path / "ran"
    monkeypatch.chdir(tmp_path)
    for source in (
        f"a = Value(2.0)\n__import__('os').system('touch {marker}')\n",
        f"import os\nos.system('touch {marker}')\n",
        f"a = Value(2.0)\nexec(\"open('{marker}', 'w')\")\n",
        f"a = Value(2.0)\nprint(open('{marker}', 'w'))\n",
    ):
        try:
            evaluate(source, filename="hostile.py")
        except ExprError:
            pass
        assert not marker.exists(), source
