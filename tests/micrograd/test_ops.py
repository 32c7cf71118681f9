"""Every op's local derivatives against central differences, over each op's valid domain."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from micrograd.ops import FUNCTIONS, OPS
from micrograd.value import Value, backward

H = 1e-6

finite = st.floats(min_value=-20, max_value=20, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.05, max_value=20, allow_nan=False, allow_infinity=False)
away_from_zero = finite.filter(lambda x: abs(x) > 0.05)


def central(f, x: float) -> float:
    return (f(x + H) - f(x - H)) / (2 * H)


def close(analytic: float, numeric: float) -> bool:
    return math.isclose(analytic, numeric, rel_tol=1e-4, abs_tol=1e-5)


def grads_of(make, *values: float) -> list[float]:
    leaves = [Value(v) for v in values]
    backward(make(*leaves))
    return [leaf.grad for leaf in leaves]


UNARY = {
    "neg": (lambda v: -v, finite),
    "tanh": (lambda v: v.tanh(), finite),
    "exp": (lambda v: v.exp(), finite),
    "log": (lambda v: v.log(), positive),
    "relu": (lambda v: v.relu(), away_from_zero),
    "sigmoid": (lambda v: v.sigmoid(), finite),
    "sin": (lambda v: v.sin(), finite),
    "cos": (lambda v: v.cos(), finite),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_derivative_matches_central_differences(name: str) -> None:
    make, domain = UNARY[name]

    @given(domain)
    def check(x: float) -> None:
        (analytic,) = grads_of(make, x)
        numeric = central(lambda t: make(Value(t)).data, x)
        assert close(analytic, numeric), (name, x, analytic, numeric)

    check()


BINARY = {
    "+": (lambda a, b: a + b, finite, finite),
    "-": (lambda a, b: a - b, finite, finite),
    "*": (lambda a, b: a * b, finite, finite),
    "/": (lambda a, b: a / b, finite, away_from_zero),
    "**": (lambda a, b: a**b, positive, st.floats(min_value=-3, max_value=3)),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_derivatives_match_central_differences(name: str) -> None:
    make, left, right = BINARY[name]

    @given(left, right)
    def check(a: float, b: float) -> None:
        assume(abs(make(Value(a), Value(b)).data) < 1e6)
        da, db = grads_of(make, a, b)
        assert close(da, central(lambda t: make(Value(t), Value(b)).data, a)), (name, a, b)
        assert close(db, central(lambda t: make(Value(a), Value(t)).data, b)), (name, a, b)

    check()


@given(st.floats(min_value=-5, max_value=5).filter(lambda x: abs(x) > 0.05),
       st.integers(min_value=1, max_value=4))
def test_power_of_negative_base_with_integer_exponent(a: float, n: int) -> None:
    (da,) = grads_of(lambda x: x**n, a)
    assert close(da, n * a ** (n - 1))


def test_every_op_is_in_the_table_once_with_a_rule_per_operand() -> None:
    assert set(FUNCTIONS) <= set(OPS)
    for name, op in OPS.items():
        assert op.name == name
        assert len(op.derivatives) == op.arity
        assert op.format(*"ab"[: op.arity])


@pytest.mark.parametrize("name", sorted(OPS))
def test_operators_compute_what_the_table_says(name: str) -> None:
    op = OPS[name]
    a, b = Value(1.3), Value(0.7)
    if op.arity == 2:
        node = BINARY[name][0](a, b)
        assert node.data == op.forward(1.3, 0.7)
    else:
        node = UNARY[name][0](a)
        assert node.data == op.forward(1.3)
    assert node._op == name
