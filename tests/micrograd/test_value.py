"""The Value API: compatibility with classic micrograd, operators, ids, reuse and errors."""

from __future__ import annotations

import gc
import math
import weakref

import pytest

from micrograd import MathDomainError, MathError, MathOverflowError, MathZeroDivisionError
from micrograd.value import (
    CONSTANT,
    INPUT,
    OPERATION,
    Value,
    backward,
    topological_order,
    zero_grad,
)


def test_three_import_paths_give_one_class() -> None:
    from micrograd import Value as a
    from micrograd.engine import Value as b
    from micrograd.value import Value as c

    assert a is b is c


def test_label_spellings() -> None:
    assert Value(2.0, _label="a").label == "a"
    assert Value(2.0, label="a").label == "a"
    assert Value(2.0).label == ""
    assert Value(2.0).name.startswith("#")


def test_classic_attributes() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    d = a * b
    assert d.data == -6.0 and d.grad == 0.0
    assert d._prev == (a, b)
    assert d._op == "*" and a._op == ""
    d.grad = 1.0
    d._backward()
    assert a.grad == -3.0 and b.grad == 2.0


def test_ints_become_floats_and_bad_data_is_refused() -> None:
    assert Value(2).data == 2.0 and isinstance(Value(2).data, float)
    with pytest.raises(TypeError, match="real number"):
        Value("2")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Value(1 + 2j)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda a, b: a + b, 2.0 + -3.0),
        (lambda a, b: a - b, 2.0 - -3.0),
        (lambda a, b: a * b, 2.0 * -3.0),
        (lambda a, b: a / b, 2.0 / -3.0),
        (lambda a, b: a**b, 2.0**-3.0),
        (lambda a, b: -a, -2.0),
        (lambda a, b: +a, 2.0),
    ],
)
def test_operators_between_values(make, expected) -> None:
    assert make(Value(2.0), Value(-3.0)).data == pytest.approx(expected)


def test_numbers_on_either_side_become_constants() -> None:
    a = Value(2.0, label="a")
    for result, value in [
        (a + 1, 3.0), (1 + a, 3.0), (a - 1, 1.0), (1 - a, -1.0),
        (a * 3, 6.0), (3 * a, 6.0), (a / 4, 0.5), (4 / a, 2.0),
        (a**2, 4.0), (2**a, 4.0),
    ]:
        assert result.data == value
        constants = [p for p in result._prev if p is not a]
        assert [c.kind for c in constants] == [CONSTANT]
    assert (1 - a)._prev[1] is a  # the order of operands is kept


def test_unsupported_operand_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Value(1.0) + "x"  # type: ignore[operator]
    with pytest.raises(TypeError):
        "x" * Value(1.0)  # type: ignore[operator]


def test_value_exponent() -> None:
    x = Value(2.0, label="x")
    y = x**x
    backward(y)
    assert y.data == 4.0
    # d(x^x)/dx = x^x (ln x + 1)
    assert x.grad == pytest.approx(4.0 * (math.log(2.0) + 1.0))


def test_kinds_and_ids() -> None:
    a = Value(1.0)
    b = a + 2
    assert a.kind == INPUT and b.kind == OPERATION and b._prev[1].kind == CONSTANT
    assert a.id < b._prev[1].id < b.id
    with pytest.raises(ValueError, match="unknown kind"):
        Value(1.0, kind="weight")


def test_parents_keep_duplicates() -> None:
    x = Value(3.0, label="x")
    y = x * x
    assert y._prev == (x, x)
    backward(y)
    assert x.grad == 6.0


def test_reuse_cases() -> None:
    a = Value(3.0, label="a")
    b = a + a
    backward(b)
    assert a.grad == 2.0

    a = Value(3.0, label="a")
    b = a + a
    c = b + b
    backward(c)
    assert c.data == 12.0 and b.grad == 2.0 and a.grad == 4.0


def test_backward_twice_accumulates_into_leaves_only() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    e = a * b
    f = e + 1
    f.backward()
    f.backward()
    assert a.grad == -6.0 and b.grad == 4.0
    assert e.grad == 1.0 and f.grad == 1.0  # intermediates recomputed, not doubled
    zero_grad(f)
    assert a.grad == b.grad == e.grad == f.grad == 0.0
    f.backward()
    assert a.grad == -3.0


def test_backward_on_a_leaf() -> None:
    a = Value(5.0)
    a.backward()
    assert a.grad == 1.0


def test_constants_get_gradients_as_in_the_video() -> None:
    a = Value(2.0, label="a")
    c = a + 1
    c.backward()
    assert c._prev[1].grad == 1.0 and c._prev[1].kind == "constant"
    x = Value(-3.0, label="x")
    y = x**2
    backward(y)
    assert x.grad == -6.0
    # d(x**b)/db = x**b * log(x) does not exist at a negative base: nan, as in PyTorch.
    assert math.isnan(y._prev[1].grad)


def test_topological_order_is_deterministic_and_complete() -> None:
    a = Value(1.0)
    b = Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert order == [a, b, c, d, e]
    assert topological_order(e) == order


@pytest.mark.slow
def test_million_node_chain_backpropagates() -> None:
    x = Value(1.0, label="x")
    y = x
    for _ in range(1_000_000):
        y = y + x
    y.backward()
    assert y.data == 1_000_001.0
    assert x.grad == 1_000_001.0


def test_dropped_graph_is_freed_without_the_cycle_collector() -> None:
    gc.collect()
    gc.disable()
    try:
        x = Value(1.0)
        y = (x * 2 + 1).tanh() * x
        y.backward()
        # A probe hung on a leaf lives exactly as long as the graph holding it.
        probe = _Probe("x")
        marker = weakref.ref(probe)
        x.label = probe
        del x, y, probe
        assert marker() is None, "the graph was not freed by reference counting alone"
    finally:
        gc.enable()


class _Probe(str):
    """A weak-referenceable string: it lives exactly as long as the node holding it."""


def test_no_reference_cycles_per_node() -> None:
    gc.collect()
    x = Value(1.0)
    y = x
    for _ in range(1000):
        y = (y * 1.0001 + 0.1).tanh()
    y.backward()
    del x, y
    assert gc.collect() == 0


# --- numerics -------------------------------------------------------------------------------


def test_tanh_and_sigmoid_are_stable_for_any_finite_input() -> None:
    assert Value(1000).tanh().data == 1.0
    assert Value(-1000).tanh().data == -1.0
    assert Value(1000).sigmoid().data == 1.0
    assert Value(-1000).sigmoid().data == 0.0
    assert Value(1e308).sigmoid().data == 1.0
    y = Value(1000, label="big").tanh()
    y.backward()
    assert y._prev[0].grad == 0.0


def test_relu_derivative_at_zero_is_zero() -> None:
    x = Value(0.0)
    y = x.relu()
    y.backward()
    assert y.data == 0.0 and x.grad == 0.0
    x = Value(-0.0)
    x.relu().backward()
    assert x.grad == 0.0


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: Value(-1.0, label="p").log(), MathDomainError, ["log", "p = -1.0"]),
        (lambda: Value(0.0, label="z").log(), MathDomainError, ["log", "z = 0.0"]),
        (lambda: Value(1.0, label="a") / Value(0.0, label="b"), MathZeroDivisionError,
         ["/", "a = 1.0", "b = 0.0"]),
        (lambda: Value(1.0) / 0, MathZeroDivisionError, ["/", "division by zero"]),
        (lambda: Value(0.0, label="z") ** -1, MathZeroDivisionError, ["**", "z = 0.0"]),
        (lambda: Value(-8.0, label="q") ** 0.5, MathDomainError, ["**", "q = -8.0", "complex"]),
        (lambda: Value(1000.0, label="big").exp(), MathOverflowError, ["exp", "big = 1000.0"]),
        (lambda: Value(10.0) ** 1000, MathOverflowError, ["**", "too large"]),
        (lambda: Value(math.inf).sin(), MathDomainError, ["sin"]),
    ],
)
def test_math_errors_are_clear(make, error, words) -> None:
    with pytest.raises(error) as info:
        make()
    assert isinstance(info.value, MathError)
    assert isinstance(info.value, ArithmeticError | ValueError)
    for word in words:
        assert word in str(info.value)


def test_negative_base_with_integer_exponent_is_real() -> None:
    assert (Value(-2.0) ** 3).data == -8.0
    assert not isinstance((Value(-8.0) ** 2).data, complex)


def test_infinite_derivatives_are_inf_as_in_pytorch() -> None:
    x = Value(0.0, label="x")
    (x**0.5).backward()
    assert x.grad == math.inf
    x = Value(1e-200, label="x")
    (x**-1).backward()  # -1 / x**2 is past the largest float
    assert x.grad == -math.inf
    x = Value(-1e-120, label="x")
    (x**-2).backward()  # -2 / x**3 with x < 0: +inf
    assert x.grad == math.inf


def test_a_constant_base_needs_no_derivative() -> None:
    x = Value(0.5, label="x")
    y = 0.0**x
    y.backward()
    assert y.data == 0.0 and x.grad == 0.0
