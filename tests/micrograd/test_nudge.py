"""Nudging a leaf: the output changes by about grad * h, and failures change nothing."""

from __future__ import annotations

import pytest

from micrograd import MathDomainError, Value
from micrograd.nudge import nudge


def test_output_changes_by_about_grad_times_h() -> None:
    x1 = Value(2.0, label="x1")
    w1 = Value(-3.0, label="w1")
    b = Value(6.8813735870195432, label="b")
    o = (x1 * w1 + b).tanh()
    o.label = "o"
    result = nudge(o, x1, 0.001)
    assert result.grad == pytest.approx(-1.5)
    assert result.measured == pytest.approx(result.predicted, rel=0.01)
    assert x1.data == 2.001
    # the grads now belong to the new point
    expected = Value(2.001) * -3.0 + 6.8813735870195432
    t = expected.tanh().data
    assert w1.grad == pytest.approx(2.001 * (1 - t * t))
    assert "Δo" in result.text() and "grad * h" in result.text()


def test_nudge_out_of_the_domain_changes_nothing() -> None:
    x = Value(0.001, label="x")
    y = x.log()
    with pytest.raises(MathDomainError):
        nudge(y, x, -0.01)
    assert x.data == 0.001 and y.data == pytest.approx(-6.907755, abs=1e-6)


def test_only_leaves_can_be_nudged() -> None:
    x = Value(1.0, label="x")
    y = x + 2
    result = nudge(y, y._prev[1], 0.1)  # a constant is a leaf with a gradient too
    assert y._prev[1].data == pytest.approx(2.1) and y.data == pytest.approx(3.1)
    assert result is not None
    with pytest.raises(ValueError, match="not a leaf"):
        nudge(y, y, 0.1)
    with pytest.raises(ValueError, match="not in the graph"):
        nudge(y, Value(3.0, label="z"), 0.1)


def test_failed_nudge_leaves_the_grads_as_they_were() -> None:
    x = Value(0.001, label="x")
    y = x.log()
    y.label = "y"
    y.grad = 0.25  # some state a caller (the Stepper) left
    with pytest.raises(MathDomainError, match="at y"):
        nudge(y, x, -0.01)
    assert y.grad == 0.25 and x.grad == 0.0


def test_the_readout_tells_measured_from_predicted_and_a_smaller_h_comes_closer() -> None:
    """Issue 22: 'Δf = 0.14, grad * h = 0.14' hid 0.1403, and at h = 0.001 nothing showed
    the slope come closer. Lesson 1's f: Δf and grad * h differ where they differ."""
    from micrograd.expr import evaluate
    from micrograd.nudge import slope_table
    from micrograd.value import topological_order

    def leaf_x():
        program = evaluate("x = 3.0\nf = 3*x*x - 4*x + 5")
        x = next(n for n in topological_order(program.output) if n.label == "x")
        return program.output, x

    f, x = leaf_x()
    assert nudge(f, x, 0.01).text() == (
        "Δf = 0.1403, grad * h = 0.14 (x: 3.0 → 3.01) · Δf/h = 14.03, grad 14.0")
    f, x = leaf_x()
    assert nudge(f, x, 0.001).text() == (
        "Δf = 0.014003, grad * h = 0.014 (x: 3.0 → 3.001) · Δf/h = 14.003, grad 14.0")
    f, x = leaf_x()
    rows = slope_table(f, x)
    assert rows == ["h = 0.1:  (f(x+h) - f(x))/h = 14.3  error 0.3",
                    "h = 0.01:  (f(x+h) - f(x))/h = 14.03  error 0.03",
                    "h = 0.001:  (f(x+h) - f(x))/h = 14.003  error 0.003",
                    "h = 0.0001:  (f(x+h) - f(x))/h = 14.0003  error 0.0003"]
    assert x.data == 3.0 and f.data == 20.0  # the graph is left as it was
