"""The video's three backward bugs (micrograd/bugs.py), each checked against numbers worked
out here independently: closed forms for small graphs, and a buggy backward written out by
hand in this file (its own chain rules, not the op table's)."""

from __future__ import annotations

import math
import random

import pytest

from micrograd import Value
from micrograd.bugs import (
    BUGS,
    EQUALS,
    NO_ZERO_GRAD,
    ORDER,
    BuggyStepper,
    backward_in_creation_order,
    backward_twice_without_zero_grad,
    backward_with_equals,
    next_bug,
)
from micrograd.check import check_gradients
from micrograd.stepper import Stepper
from micrograd.value import topological_order


def lesson4():
    """The video's second bug hunt: a and b each used twice."""
    a = Value(-2.0, label="a")
    b = Value(3.0, label="b")
    d = a * b
    d.label = "d"
    e = a + b
    e.label = "e"
    f = d * e
    f.label = "f"
    return a, b, d, e, f


def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    return (x1, x2, w1, w2, b), n, o


# --- an independent buggy backward, written out by hand --------------------------------------


def _by_hand_locals(node: Value) -> list[float]:
    a, b = node._a, node._b
    if node._op == "+":
        return [1.0, 1.0]
    if node._op == "*":
        return [b.data, a.data]
    if node._op == "-":
        return [1.0, -1.0]
    if node._op == "tanh":
        return [1.0 - math.tanh(a.data) ** 2]
    raise AssertionError(node._op)


def by_hand(root: Value, *, assign: bool = False, forward_order: bool = False,
            passes: int = 1) -> dict[Value, float]:
    """The classic backward loop, with the chosen bug; returns every node's grad, and
    leaves the graph's grads as they were."""
    nodes = sorted(topological_order(root), key=lambda n: n.id)
    grad = {n: 0.0 for n in nodes}
    for _ in range(passes):
        grad[root] = 1.0
        for node in (nodes if forward_order else nodes[::-1]):
            if not node._prev:
                continue
            for parent, local in zip(node._prev, _by_hand_locals(node), strict=True):
                if assign:
                    grad[parent] = local * grad[node]
                else:
                    grad[parent] += local * grad[node]
    return grad


def random_graph(rng: random.Random) -> Value:
    leaves = [Value(rng.uniform(-2, 2), label=f"x{k}") for k in range(3)]
    pool = list(leaves)
    for _ in range(rng.randint(3, 9)):
        a, b = rng.choice(pool), rng.choice(pool)
        pool.append(rng.choice([a + b, a * b, a - b, (a * 0.3).tanh()]))
    return pool[-1]


FUNCTIONS = {EQUALS: (backward_with_equals, dict(assign=True)),
             ORDER: (backward_in_creation_order, dict(forward_order=True)),
             NO_ZERO_GRAD: (backward_twice_without_zero_grad, dict(passes=2))}


# --- closed forms -------------------------------------------------------------------------------


def test_equals_keeps_only_the_last_share_the_videos_a_plus_a() -> None:
    a = Value(3.0, label="a")
    b = a + a
    backward_with_equals(b)
    assert a.grad == 1.0  # right: 1 + 1 = 2
    x = Value(3.0)
    y = x * x
    backward_with_equals(y)
    assert x.grad == 3.0  # right: 2x = 6


def test_lesson4_graph_by_closed_form() -> None:
    a, b, d, e, f = lesson4()
    # f = ab(a + b): df/da = 2ab + b² = -3, df/db = a² + 2ab = -8.
    backward_with_equals(f)
    assert (a.grad, b.grad) == (3.0, -2.0)  # d's step (b, a) overwrote e's (d, d)
    backward_in_creation_order(f)
    assert (a.grad, b.grad, d.grad, e.grad) == (0.0, 0.0, 1.0, -6.0)
    backward_twice_without_zero_grad(f)
    # second pass: d.grad = 2e, e.grad = 2d, so a gets 2d + 2e*b more: 3 times the truth.
    assert (a.grad, b.grad, d.grad, e.grad, f.grad) == (-9.0, -24.0, 2.0, -12.0, 1.0)


def test_wrong_order_on_the_neuron_gives_every_leaf_zero() -> None:
    leaves, n, o = neuron()
    backward_in_creation_order(o)
    assert [leaf.grad for leaf in leaves] == [0.0] * 5
    assert n.grad == pytest.approx(0.5)


@pytest.mark.parametrize("bug", list(BUGS))
def test_each_function_equals_the_hand_written_buggy_backward(bug: str) -> None:
    function, how = FUNCTIONS[bug]
    rng = random.Random(bug)
    for _ in range(40):
        root = random_graph(rng)
        expected = by_hand(root, **how)
        function(root)
        for node in topological_order(root):
            assert node.grad == pytest.approx(expected[node], rel=1e-12, abs=1e-12)


# --- the Stepper with a bug ---------------------------------------------------------------------


@pytest.mark.parametrize("bug", list(BUGS))
def test_the_stepper_ends_where_the_function_and_the_hand_written_one_do(bug: str) -> None:
    function, how = FUNCTIONS[bug]
    rng = random.Random(f"stepper {bug}")
    for _ in range(30):
        root = random_graph(rng)
        expected = by_hand(root, **how)
        stepper = BuggyStepper(root, bug)
        stepper.finish()
        stepped = {node: node.grad for node in stepper.order}
        function(root)
        for node in stepper.order:
            assert stepped[node] == node.grad
            assert stepped[node] == pytest.approx(expected[node], rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("bug", list(BUGS))
def test_back_undoes_every_buggy_step_exactly(bug: str) -> None:
    *_, f = lesson4()
    stepper = BuggyStepper(f, bug)
    states = []
    while True:
        states.append([(n.data, n.grad) for n in stepper.order])
        if stepper.step() is None:
            break
    for position in range(len(stepper), -1, -1):
        stepper.seek(position)
        assert [(n.data, n.grad) for n in stepper.order] == states[position]


def test_no_zero_grad_has_a_second_seed_and_pass() -> None:
    *_, f = lesson4()
    stepper = BuggyStepper(f, NO_ZERO_GRAD)
    assert len(stepper) == 3 * 3 + 2 == len(Stepper(f)) + 4
    stepper.seek(2 * 3 + 1)  # the end of the first pass: the true grads
    true = Stepper(f)
    true.finish()
    assert [n.grad for n in stepper.order] == [n.grad for n in true.order]


def test_the_lines_say_what_the_bug_did() -> None:
    a, b, d, e, f = lesson4()
    stepper = BuggyStepper(f, EQUALS)
    stepper.finish()
    last = stepper.current.lines
    assert last[0].startswith("a.grad = dd/da * d.grad")
    assert last[0].endswith("(a.grad: -6.0 → 3.0, lost -6.0)")
    *_, f = lesson4()
    stepper = BuggyStepper(f, ORDER)
    stepper.seek(stepper.forward_steps + 2)  # d's step, first after the seed
    assert stepper.current.node.label == "d"
    assert "d.grad lacks f's share: not there yet" in stepper.current.lines[0]


def test_true_grads_shown_only_where_the_bug_differs_at_the_end() -> None:
    a, b, d, e, f = lesson4()
    stepper = BuggyStepper(f, EQUALS)
    stepper.seek(len(stepper) - 1)
    assert stepper.true_grad(a) is None  # not at the end: a grad in the making
    stepper.finish()
    assert (stepper.true_grad(a), stepper.true_grad(b)) == (-3.0, -8.0)
    assert stepper.true_grad(d) is None  # d.grad = 1.0 is right


@pytest.mark.parametrize("bug", list(BUGS))
def test_the_gradient_check_fails_with_each_bug(bug: str) -> None:
    *_, f = lesson4()
    assert check_gradients(f).ok()
    result = check_gradients(f, backward=BUGS[bug].backward)
    assert not result.ok()
    wrong = {row.leaf.label for row in result.rows if not row.ok()}
    assert wrong == {"a", "b"}


def test_the_gradient_check_passes_where_a_bug_changes_nothing() -> None:
    x = Value(3.0, label="x")
    y = x * 2.0  # x used once, no op node below the output: = and += agree
    assert check_gradients(y, backward=backward_with_equals).ok()


def test_a_custom_op_is_refused_in_one_line() -> None:
    x = Value(0.5, label="x")
    out = Value(math.tanh(0.5), (x,), "tanh2")
    out._backward = lambda: None
    with pytest.raises(ValueError, match="op of your own"):
        BuggyStepper(out, EQUALS)


def test_the_key_cycles_off_then_each_bug() -> None:
    seen = [None]
    while (bug := next_bug(seen[-1])) is not None:
        seen.append(bug)
    assert seen == [None, EQUALS, ORDER, NO_ZERO_GRAD]


def test_the_modules_examples_hold() -> None:
    import doctest

    import micrograd.bugs

    assert doctest.testmod(micrograd.bugs).failed == 0
