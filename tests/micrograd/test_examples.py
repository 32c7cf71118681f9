"""Every file in examples/ loads, and its gradients agree with central differences."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from micrograd.check import check_gradients
from micrograd.expr import evaluate
from micrograd.stepper import Stepper
from micrograd.value import backward, topological_order

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.mg"))


def load(name: str):
    path = next(p for p in EXAMPLES if p.name == name)
    return evaluate(path.read_text(), filename=str(path))


def test_the_examples_are_there() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"neuron.mg", "basic.mg", "two_input_neuron.mg", "reuse.mg",
            "division_and_powers.mg", "tiny_mlp.mg"} <= names


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
