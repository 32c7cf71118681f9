"""backward() on known values, recompute(), and the Stepper: equal to backward, exact undo."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micrograd import MathDomainError
from micrograd.stepper import BACKWARD, FORWARD, Stepper, recompute
from micrograd.value import Value, backward, topological_order


def classic_neuron() -> dict[str, Value]:
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    s = x1w1 + x2w2
    s.label = "x1*w1 + x2*w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "n": n, "o": o}


def test_classic_neuron_known_values() -> None:
    v = classic_neuron()
    v["o"].backward()
    assert v["o"].data == pytest.approx(0.7071, abs=1e-4)
    expected = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5, "n": 0.5}
    for name, grad in expected.items():
        assert v[name].grad == pytest.approx(grad, abs=1e-12), name


def test_seed_readme_examples() -> None:
    a = Value(2.0, _label="a")
    b = Value(-3.0, _label="b")
    c = Value(10.0, _label="c")
    f = (a * b + c).tanh()
    f.backward()
    t = math.tanh(4.0)
    assert a.grad == pytest.approx(-3.0 * (1 - t * t))
    assert b.grad == pytest.approx(2.0 * (1 - t * t))
    assert c.grad == pytest.approx(1 - t * t)


# --- random graphs ---------------------------------------------------------------------------

SAFE_UNARY = ("tanh", "sigmoid", "sin", "cos", "neg", "relu")
SAFE_BINARY = ("+", "-", "*")


@st.composite
def graphs(draw) -> Value:
    """A random graph over a few leaves, with reuse, built only from ops defined everywhere."""
    leaves = [Value(draw(st.floats(-2, 2)), label=f"x{i}") for i in range(draw(st.integers(1, 4)))]
    nodes = list(leaves)
    for _ in range(draw(st.integers(1, 25))):
        if draw(st.booleans()):
            a = draw(st.sampled_from(nodes))
            nodes.append(getattr(a, "__neg__" if (n := draw(st.sampled_from(SAFE_UNARY))) == "neg"
                                 else n)())
        else:
            a, b = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
            op = draw(st.sampled_from(SAFE_BINARY))
            if draw(st.booleans()):
                b = draw(st.floats(-2, 2))  # a constant
            nodes.append({"+": a + b, "-": a - b, "*": a * b}[op])
    return nodes[-1]


def state(root: Value) -> list[tuple[float, float]]:
    return [(node.data, node.grad) for node in topological_order(root)]


@given(graphs())
def test_stepper_finish_equals_backward(root: Value) -> None:
    backward(root)
    expected = state(root)
    stepper = Stepper(root)
    assert all(node.grad == 0.0 for node in topological_order(root))
    stepper.finish()
    assert stepper.at_end and len(stepper.history) == len(stepper)
    assert state(root) == expected


@given(graphs(), st.data())
def test_stepping_back_restores_exactly(root: Value, data) -> None:
    stepper = Stepper(root)
    snapshots = [state(root)]
    while stepper.step() is not None:
        snapshots.append(state(root))
    target = data.draw(st.integers(0, len(stepper)))
    stepper.seek(target)
    assert state(root) == snapshots[target]
    while stepper.back() is not None:
        assert state(root) == snapshots[stepper.position]
    assert stepper.at_start


def test_timeline_shape_and_text() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    d = a * b
    d.label = "d"
    s = Stepper(d)
    assert len(s) == 3 and s.phase == FORWARD and s.current is None
    assert s.next_node() is d
    step = s.step()
    assert step.formula == "d = a * b = 2.0 * -3.0 = -6.0"
    assert s.is_computed(d) and not s.grad_touched(d)
    step = s.step()
    assert s.phase == BACKWARD and step.seed and d.grad == 1.0
    step = s.step()
    assert step.lines == (
        "a.grad += dd/da * d.grad = b * d.grad = -3.0 * 1.0 = -3.0   (a.grad: 0.0 → -3.0)",
        "b.grad += dd/db * d.grad = a * d.grad = 2.0 * 1.0 = 2.0   (b.grad: 0.0 → 2.0)",
    )
    assert s.at_end and s.step() is None
    assert s.grad_touched(a)
    s.back()
    assert a.grad == 0.0 and not s.grad_touched(a)
    s.reset()
    assert not s.is_computed(d) and d.grad == 0.0


def test_a_constant_gets_its_gradient_named_by_its_value() -> None:
    x = Value(3.0, label="x")
    y = x + 1
    y.label = "y"
    s = Stepper(y)
    s.finish()
    lines = s.current.lines
    assert lines[0] == "x.grad += dy/dx * y.grad = 1 * y.grad = 1 * 1.0 = 1.0   (x.grad: 0.0 → 1.0)"
    assert lines[1] == (
        "(1.0).grad += dy/d(1.0) * y.grad = 1 * y.grad = 1 * 1.0 = 1.0   "
        "((1.0).grad: 0.0 → 1.0; the 1.0 in y)"  # which constant: two may be named (1.0)
    )
    assert y._prev[1].grad == 1.0


def test_duplicate_parents_each_get_a_term() -> None:
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    s = Stepper(y)
    s.finish()
    terms = s.current.terms
    assert [t.before for t in terms] == [0.0, 3.0]
    assert [t.after for t in terms] == [3.0, 6.0]
    s.back()
    assert x.grad == 0.0


def test_recompute_after_a_leaf_changes() -> None:
    v = classic_neuron()
    v["x1"].data = 1.0
    recompute(v["o"])
    assert v["n"].data == pytest.approx(1.0 * -3.0 + 0.0 + 6.8813735870195432)
    assert v["o"].data == pytest.approx(math.tanh(v["n"].data))


def test_failed_recompute_changes_nothing() -> None:
    x = Value(2.0, label="x")
    y = x * 3
    z = y.log() + y
    before = state(z)
    x.data = -1.0
    with pytest.raises(MathDomainError, match="log"):
        recompute(z)
    x.data = 2.0
    assert state(z) == before


def test_unknown_op_in_backward_is_clear() -> None:
    a = Value(1.0)
    weird = Value(2.0, (a,), "sqrt")
    with pytest.raises(ValueError, match="'sqrt'"):
        weird.backward()


def test_recompute_reports_overflow_instead_of_inf() -> None:
    x = Value(1.0, label="x")
    y = x * 1e300
    z = y * 10.0
    x.data = 1e10
    with pytest.raises(ArithmeticError, match="too large"):
        recompute(z)
    x.data = 1.0
    assert z.data == 1e301
