"""Every file in examples/ loads, and its gradients agree with central differences."""

from __future__ import annotations

import math
import runpy
from pathlib import Path

import pytest

from micrograd.check import check_gradients
from micrograd.expr import evaluate
from micrograd.stepper import Stepper
from micrograd.value import backward, topological_order

FOLDER = Path(__file__).resolve().parents[2] / "examples"
# The .mg files and the video's Python (read by the expression reader, never run by it).
EXAMPLES = sorted([*FOLDER.glob("*.mg"), *FOLDER.glob("video_*.py")])


def load(name: str):
    path = next(p for p in EXAMPLES if p.name == name)
    return evaluate(path.read_text(), filename=str(path))


def test_the_examples_are_there() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"neuron.mg", "basic.mg", "two_input_neuron.mg", "reuse.mg",
            "division_and_powers.mg", "tiny_mlp.mg", "video_expression.py", "video_neuron.py",
            "video_neuron_exp.py"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_gradients_match_central_differences(path: Path) -> None:
    program = evaluate(path.read_text(), filename=str(path))
    result = check_gradients(program.output)
    assert result.rows, "an example with no variable leaves teaches nothing"
    assert result.ok(tol=1e-5), result.worst


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_stepper_equals_backward(path: Path) -> None:
    program = evaluate(path.read_text(), filename=str(path))
    backward(program.output)
    expected = [node.grad for node in topological_order(program.output)]
    Stepper(program.output).finish()
    assert [node.grad for node in topological_order(program.output)] == expected


def test_known_values() -> None:
    neuron = load("neuron.mg")
    neuron.output.backward()
    names = neuron.names
    assert neuron.output.data == pytest.approx(0.7071067811865476)
    for name, grad in {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}.items():
        assert names[name].grad == pytest.approx(grad), name

    reuse = load("reuse.mg")
    reuse.output.backward()
    assert reuse.names["a"].grad == 4.0 and reuse.output.data == 12.0

    basic = load("basic.mg")
    basic.output.backward()
    assert basic.names["a"].grad == pytest.approx(-0.0040228520490775965)

    two = load("two_input_neuron.mg")
    two.output.backward()
    assert two.output.data == pytest.approx(0.9999844212166156)
    assert two.names["w1"].grad == pytest.approx(3.1157324070330006e-05)

    powers = load("division_and_powers.mg")
    x, y = 3.0, 2.0
    q = x / y
    r = (x**2 + y**x) / (q + 1)
    assert powers.output.data == pytest.approx(math.sqrt(r) - math.exp(-q))


@pytest.mark.parametrize("name", ["video_neuron.py", "video_neuron_exp.py"])
def test_the_video_neurons_have_the_videos_gradients(name: str) -> None:
    program = load(name)
    Stepper(program.output).finish()
    names = program.names
    assert program.output.label == "o"
    assert program.output.data == pytest.approx(0.7071067811865476)
    for node, grad in {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5, "n": 0.5}.items():
        assert names[node].grad == pytest.approx(grad), node
    assert names["x1w1x2w2"].label == "x1*w1 + x2*w2"


def test_the_video_expression_has_the_videos_gradients() -> None:
    program = load("video_expression.py")
    Stepper(program.output).finish()
    grads = {name: node.grad for name, node in program.names.items()}
    assert grads == {"a": 6.0, "b": -4.0, "c": -2.0, "e": -2.0, "d": -2.0, "f": 4.0, "L": 1.0}


@pytest.mark.parametrize("name", ["video_expression.py", "video_neuron.py", "video_neuron_exp.py"])
def test_the_video_files_run_as_python_to_the_same_numbers(name: str, capsys) -> None:
    """The files are real Python too: run, they print the grads the reader's graph gets."""
    ran = runpy.run_path(str(FOLDER / name))
    assert capsys.readouterr().out.strip()
    program = load(name)
    Stepper(program.output).finish()
    for node_name, node in program.names.items():
        assert ran[node_name].data == node.data, node_name
        assert ran[node_name].grad == pytest.approx(node.grad, rel=1e-12), node_name
        assert ran[node_name].label == node.label, node_name
