"""The video's and classic micrograd's code runs unchanged: its tests, its demo, custom ops."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd.value
from micrograd.engine import Value
from micrograd.export import to_dot, to_json, to_trace
from micrograd.graph import paused_gc
from micrograd.nn import MLP, Neuron
from micrograd.stepper import BackwardStep, Stepper
from micrograd.value import topological_order

FIXTURE = Path(__file__).parent / "fixtures" / "demo_moons.csv"


# --- classic micrograd's test/test_engine.py, its numbers (from PyTorch) --------------------


def test_sanity_check() -> None:
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert y.data == -20.0
    assert x.grad == 46.0


def test_more_ops() -> None:
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
    g.backward()
    tol = 1e-6
    assert abs(g.data - 24.70408163265306) < tol
    assert abs(a.grad - 138.83381924198252) < tol
    assert abs(b.grad - 645.5772594752186) < tol


# --- classic micrograd's demo.ipynb, with random.seed(1337) ---------------------------------


def _demo_data() -> tuple[list[list[float]], list[int]]:
    rows = [line for line in FIXTURE.read_text().splitlines() if not line.startswith("#")]
    assert rows[0] == "x0,x1,y"
    X, y = [], []
    for row in rows[1:]:
        x0, x1, label = row.split(",")
        X.append([float(x0), float(x1)])
        y.append(int(label))
    return X, y


def _classic_weights(seed: int, sizes: list[int]) -> list[float]:
    """Classic micrograd's starting parameters, by its own recipe: for every neuron, its
    weights drawn uniform(-1, 1) from the random module, then its bias at 0."""
    random.seed(seed)
    params: list[float] = []
    for nin, nout in zip(sizes, sizes[1:], strict=False):
        for _ in range(nout):
            params += [random.uniform(-1, 1) for _ in range(nin)]
            params.append(0.0)
    return params


def test_random_seed_gives_classic_micrograds_starting_weights() -> None:
    expected = _classic_weights(1337, [2, 16, 16, 1])
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    assert [p.data for p in model.parameters()] == expected
    assert len(expected) == 337
    random.seed(1337)
    assert [p.data for p in Neuron(3).parameters()] == _classic_weights(1337, [3, 1])


def test_seed_keeps_its_own_generator() -> None:
    random.seed(5)
    state = random.getstate()
    a = MLP(2, [3, 1], seed=7)
    assert random.getstate() == state  # seed= leaves the random module alone
    b = MLP(2, [3, 1], seed=7)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]


@pytest.mark.slow
def test_demo_notebook_trains_to_its_printed_losses() -> None:
    """The notebook's cells, as written, on our engine: its loss at step 0 and step 99."""
    X, y = _demo_data()
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    assert str(model).startswith("MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)")
    assert len(model.parameters()) == 337

    def loss() -> tuple[Value, float]:
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores, strict=True)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (s.data > 0) for yi, s in zip(y, scores, strict=True)]
        return total_loss, sum(accuracy) / len(accuracy)

    printed = {}
    # The collector paused, as the training screen trains: the graphs have no reference
    # cycles, and its passes over their nodes were a third of the time.
    with paused_gc():
        for k in range(100):
            total_loss, acc = loss()
            model.zero_grad()
            total_loss.backward()
            learning_rate = 1.0 - 0.9 * k / 100
            for p in model.parameters():
                p.data -= learning_rate * p.grad
            printed[k] = (total_loss.data, acc)
    # The notebook prints: step 0 loss 0.8958441028683222, accuracy 50.0%;
    # step 99 loss 0.010978370135492717, accuracy 100.0%.
    assert printed[0] == (0.8958441028683222, 0.5)
    assert printed[99][0] == pytest.approx(0.010978370135492717, rel=1e-9)
    assert printed[99][1] == 1.0


# --- custom ops, the video's way ------------------------------------------------------------


def _video_tanh_neuron() -> tuple[Value, dict[str, Value]]:
    """The video's neuron, with tanh written as a custom op: the node made by hand, its
    backward assigned as a closure."""
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    x = n
    t = (math.exp(2 * x.data) - 1) / (math.exp(2 * x.data) + 1)
    out = Value(t, (x,), "tanh2")
    out.label = "o"

    def _backward() -> None:
        x.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out, {v.label: v for v in (x1, x2, w1, w2, b, n)}


def test_a_custom_op_backpropagates() -> None:
    o, v = _video_tanh_neuron()
    o.backward()
    assert o.data == pytest.approx(0.7071, abs=1e-4)
    assert v["n"].grad == pytest.approx(0.5, abs=1e-6)
    assert v["x1"].grad == pytest.approx(-1.5, abs=1e-6)
    assert v["w1"].grad == pytest.approx(1.0, abs=1e-6)
    assert v["x2"].grad == pytest.approx(0.5, abs=1e-6)
    assert v["w2"].grad == 0.0
    assert o.has_custom_backward and not v["n"].has_custom_backward


def test_a_custom_op_steps_in_the_stepper_and_undoes() -> None:
    o, v = _video_tanh_neuron()
    s = Stepper(o)
    s.finish()
    assert v["x1"].grad == pytest.approx(-1.5, abs=1e-6)
    forward = s.history[s.forward_steps - 1]
    assert forward.formula == "o = tanh2(n) = tanh2(0.8814) = 0.7071"
    custom = s.history[s.forward_steps + 1]
    assert isinstance(custom, BackwardStep) and custom.custom and custom.node is o
    assert custom.lines == ("n.grad += 0.5 (by o's own _backward)   (n.grad: 0.0 → 0.5)",)
    assert s.contributions(v["n"]) == [(o, pytest.approx(0.5))]
    s.seek(s.forward_steps + 1)
    assert v["n"].grad == 0.0  # undone exactly
    s.finish()
    assert v["n"].grad == pytest.approx(0.5)


def test_a_custom_op_in_the_exports() -> None:
    o, _ = _video_tanh_neuron()
    o.backward()
    before = [(n.data, n.grad) for n in topological_order(o)]
    trace = to_trace(o)
    assert "o = tanh2(n) = tanh2(0.8814) = 0.7071" in trace
    assert "n.grad += 0.5 (by o's own _backward)" in trace
    assert [(n.data, n.grad) for n in topological_order(o)] == before
    assert 'label="custom _backward"' in to_dot(o)
    assert '"op": "tanh2"' in to_json(o)


def test_ordinary_nodes_backward_is_the_op_tables_rule() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    e = a * b
    e.grad = 2.0
    e._backward()  # classic micrograd's per-node step
    assert (a.grad, b.grad) == (-6.0, 4.0)
    a._backward()  # a leaf passes nothing on
    assert not e.has_custom_backward


def test_assigning_backward_checks_it_is_a_function() -> None:
    with pytest.raises(TypeError, match="function"):
        Value(1.0)._backward = 3  # type: ignore[assignment]


def test_an_unknown_op_without_a_backward_says_what_to_do() -> None:
    x = Value(1.0, label="x")
    y = Value(2.0, (x,), "mystery")
    with pytest.raises(ValueError, match="assign its _backward"):
        y.backward()
    with pytest.raises(ValueError, match="assign its _backward"):
        Stepper(y).finish()


def test_operands_are_one_or_two() -> None:
    x = Value(1.0)
    assert x._prev == ()
    assert (-x)._prev == (x,)
    assert (x * x)._prev == (x, x)
    with pytest.raises(ValueError, match="at most two operands"):
        Value(1.0, (x, x, x), "+")
    with pytest.raises(TypeError, match="must be Values"):
        Value(1.0, (x, 2.0), "+")  # type: ignore[arg-type]


# --- backward()'s inline rules are the op table's ----------------------------------------------

INLINED = ["+", "-", "*", "relu", "tanh"]
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e308, -1e-308]),
)


@settings(max_examples=400, deadline=None)
@given(op=st.sampled_from(INLINED), a=numbers, b=numbers, grad=numbers, start=numbers)
def test_inline_rules_equal_the_op_table(
    op: str, a: float, b: float, grad: float, start: float
) -> None:
    """On any floats (inf, nan, -0.0 included), backward()'s inline rule for each op adds
    exactly what the op table's rule adds."""

    def grads(inline: bool) -> list[str]:
        x = Value(a, label="x")
        w = Value(b, label="w")
        y = {"+": lambda: x + w, "-": lambda: x - w, "*": lambda: x * w,
             "relu": x.relu, "tanh": x.tanh}[op]()
        y.grad, x.grad, w.grad = grad, start, start
        if inline:
            micrograd.value.pass_back([y])
        else:
            y._chain_rule()
        return [repr(x.grad), repr(w.grad)]

    assert grads(inline=True) == grads(inline=False)


def test_a_copy_of_a_custom_op_runs_the_originals_function_on_its_own_numbers() -> None:
    from micrograd.snapshot import copied_backward

    o, v = _video_tanh_neuron()
    n = v["n"]
    n_copy = Value(n.data, label="n")
    o_copy = Value(o.data, (n_copy,), o._op, "o")
    o_copy._backward = copied_backward(o, o_copy)
    o_copy.backward()
    assert n_copy.grad == pytest.approx(0.5, abs=1e-6)
    assert (n.grad, o.grad) == (0.0, 0.0) and n.data == pytest.approx(0.8814, abs=1e-4)
    assert o_copy._op == "tanh2" and o_copy.has_custom_backward
