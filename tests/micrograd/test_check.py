"""micrograd.check: central differences agree with backward(), and the graph is left alone."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd.value
from micrograd.check import SMALL, GradRow, check_gradients
from micrograd.errors import MathDomainError
from micrograd.nn import MLP, Neuron, l2, max_margin_loss
from micrograd.ops import OPS
from micrograd.value import Value, topological_order


def classic_neuron() -> tuple[Value, dict[str, Value]]:
    leaves = {
        "x1": Value(2.0, label="x1"),
        "x2": Value(0.0, label="x2"),
        "w1": Value(-3.0, label="w1"),
        "w2": Value(1.0, label="w2"),
        "b": Value(6.8813735870195432, label="b"),
    }
    v = leaves
    o = (v["x1"] * v["w1"] + v["x2"] * v["w2"] + v["b"]).tanh()
    o.label = "o"
    return o, leaves


def snapshot(root: Value) -> list[tuple[int, float, float]]:
    return [(node.id, node.data, node.grad) for node in topological_order(root)]


def test_classic_neuron_passes() -> None:
    o, leaves = classic_neuron()
    o.backward()
    before = snapshot(o)
    result = check_gradients(o)
    # Leaves come in topological order, which is creation order.
    assert [row.leaf.label for row in result.rows] == ["x1", "x2", "w1", "w2", "b"]
    assert all(row.rel_error < 1e-6 for row in result.rows)
    assert result.ok(tol=1e-6)
    by_label = {row.leaf.label: row for row in result.rows}
    assert by_label["x1"].analytic == pytest.approx(-1.5)
    assert by_label["x1"].numerical == pytest.approx(-1.5, rel=1e-8)
    assert by_label["w2"].analytic == 0.0
    assert snapshot(o) == before  # data and grads exactly as they were


def test_graph_and_grads_are_restored_without_a_prior_backward() -> None:
    o, _ = classic_neuron()
    before = snapshot(o)
    result = check_gradients(o)
    assert result.ok()
    assert snapshot(o) == before
    assert all(node.grad == 0.0 for node in topological_order(o))


def test_accumulated_grads_do_not_leak_into_the_check() -> None:
    """Two backward() calls double the leaves' grads; the check still sees one backward."""
    o, leaves = classic_neuron()
    o.backward()
    o.backward()
    assert leaves["x1"].grad == pytest.approx(-3.0)
    result = check_gradients(o)
    assert result.rows[0].analytic == pytest.approx(-1.5)
    assert result.ok()
    assert leaves["x1"].grad == pytest.approx(-3.0)  # the caller's grads, untouched


def _break_rule(monkeypatch: pytest.MonkeyPatch, op: str, local: object) -> None:
    """Put a wrong local derivative into the op table, and have backward() read the table
    for every op (not its inline rules for the common ones)."""
    monkeypatch.setattr(micrograd.value, "INLINE_RULES", False)
    monkeypatch.setitem(OPS, op, dataclasses.replace(OPS[op], local=local))


def test_a_wrong_gradient_is_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    """Break backward()'s rule for tanh (forget to square); the check must notice."""
    o, _ = classic_neuron()
    _break_rule(monkeypatch, "tanh", lambda a, out: (1.0 - out,))
    result = check_gradients(o)
    assert not result.ok()
    assert result.worst is not None and result.worst.rel_error > 0.1
    monkeypatch.undo()
    assert check_gradients(o).ok()


def test_swapped_product_rule_is_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    _break_rule(monkeypatch, "*", lambda a, b, out: (a, b))  # should be (b, a)
    result = check_gradients(a * b)
    assert [row.ok() for row in result.rows] == [False, False]
    assert [row.analytic for row in result.rows] == [2.0, -3.0]
    assert [row.numerical for row in result.rows] == pytest.approx([-3.0, 2.0])


def test_constants_are_checked_when_asked() -> None:
    x = Value(3.0, label="x")
    y = 2 * x + 1  # two constant leaves
    result = check_gradients(y)
    assert [row.leaf for row in result.rows] == [x]  # by default, the variables
    assert result.rows[0].analytic == 2.0
    two, one = y._prev[0]._prev[0], y._prev[1]
    result = check_gradients(y, [two, one])
    assert [row.analytic for row in result.rows] == [3.0, 1.0]
    assert result.ok()


def test_explicit_leaves_must_be_leaves_of_the_graph() -> None:
    x = Value(3.0, label="x")
    h = x * x
    h.label = "h"
    y = h + x
    assert check_gradients(y, [x]).rows[0].analytic == 7.0
    with pytest.raises(ValueError, match="h is made by an op"):
        check_gradients(y, [h])
    with pytest.raises(ValueError, match="z is not part of the graph"):
        check_gradients(y, [Value(1.0, label="z")])
    with pytest.raises(ValueError, match="h must be"):
        check_gradients(y, h=0.0)


def test_a_leaf_root() -> None:
    x = Value(5.0)
    (row,) = check_gradients(x).rows
    assert row.analytic == 1.0 and row.numerical == pytest.approx(1.0)


def test_math_error_while_nudging_is_recorded_and_the_graph_restored() -> None:
    x = Value(1e-7, label="x")
    w = Value(2.0, label="w")
    y = x.log() * w
    y.backward()
    before = snapshot(y)
    result = check_gradients(y, h=1e-6)  # x - h < 0: log fails
    assert snapshot(y) == before
    row_x, row_w = result.rows
    assert isinstance(row_x.error, MathDomainError)
    assert "log" in str(row_x.error)
    assert math.isnan(row_x.numerical) and math.isnan(row_x.rel_error)
    assert row_x.analytic == pytest.approx(2e7)
    assert row_w.error is None and row_w.ok()
    assert result.failed == [row_x]
    assert result.worst is row_x
    assert not result.ok()


def test_small_gradients_are_compared_absolutely() -> None:
    row_noise = GradRow(Value(0.0), 0.0, 1e-10, 1e-10, 1e-10 / SMALL)
    assert row_noise.ok()
    # sin at a peak: the slope is 0, the central difference only rounding noise.
    x = Value(math.pi / 2)
    result = check_gradients(x.sin())
    assert result.rows[0].abs_error < 1e-9 and result.ok()


def test_relu_kink_fails_honestly() -> None:
    x = Value(0.0)
    result = check_gradients(x.relu())
    assert result.rows[0].analytic == 0.0
    assert result.rows[0].numerical == pytest.approx(0.5)
    assert not result.ok()


def test_an_mlp_loss_passes() -> None:
    X = [[0.5, -1.0], [-0.3, 0.8], [1.2, 0.1]]
    y = [1, -1, 1]
    model = MLP(2, [4, 4, 1], activation="tanh", seed=0)
    loss = max_margin_loss([model(x) for x in X], y) + l2(model.parameters())
    result = check_gradients(loss)
    assert len(result.rows) == len(model.parameters())
    assert result.ok(), result.worst


@given(
    x=st.lists(st.floats(-3, 3), min_size=3, max_size=3),
    activation=st.sampled_from(["tanh", "sigmoid", "linear"]),
    seed=st.integers(0, 1000),
)
@settings(max_examples=40, deadline=None)
def test_neurons_pass_everywhere(x: list[float], activation: str, seed: int) -> None:
    inputs = [Value(xi) for xi in x]
    out = Neuron(3, activation=activation, seed=seed)(inputs)
    assert check_gradients(out).ok()


def test_large_leaves_get_a_step_scaled_to_their_size() -> None:
    a = Value(1e11, label="a")
    b = a * 2
    result = check_gradients(b)
    row = result.rows[0]
    assert row.error is None and row.step == 1e5
    assert row.numerical == pytest.approx(2.0) and result.ok()


def test_a_leaf_that_cannot_be_nudged_is_an_error_row_not_a_crash() -> None:
    a = Value(math.inf, label="a")
    result = check_gradients(a * 2)
    assert result.rows[0].error is not None and not result.ok()
