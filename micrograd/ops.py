"""The op table: for every op, its forward, its local derivatives and its rule as text.

This is the one place an op is defined. The operators on ``Value``, ``backward()``, the
Stepper's formulas, ``recompute()`` after a nudge and the exporters all read it, so adding an
op is one entry here (and a method on ``Value`` if it should have one).

Forward functions take and return plain floats and raise a ``MathError`` when the result
does not exist. Local derivative functions take the operands' data and the op's own output
(``out``) and return the derivative of the output with respect to each operand: one float
for a unary op, a pair for a binary op. Next to each is the same derivative as text
(``derivatives``), which ``micrograd.formulas`` writes out in the graph's own names.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from micrograd.errors import MathDomainError, MathOverflowError, MathZeroDivisionError


@dataclass(frozen=True)
class Op:
    """One op: how to compute it, how to differentiate it, and how to show both.

    ``template`` writes the op over its operands: ``'{0} * {1}'``. ``derivatives`` holds the
    local derivative with respect to each operand as a template over the same operands and
    the op's own result ``{out}``: for ``*`` it is ``('{1}', '{0}')`` (d(a*b)/da = b), for
    tanh ``('1 - {out}**2',)``. ``micrograd.formulas`` fills both in with the graph's own
    names and then with numbers, so every place that shows a rule writes it the same way.
    """

    name: str
    arity: int
    forward: Callable[..., float]
    local: Callable[..., object]
    template: str
    derivatives: tuple[str, ...]

    def format(self, *operands: str) -> str:
        """The op written with these operands: ``format('a', 'b') == 'a * b'``.

        (No parentheses are added: ``micrograd.formulas.fill`` does that for numbers.)
        """
        return self.template.format(*operands)

    def local_derivatives(self, inputs: tuple[float, ...], out: float) -> tuple[float, ...]:
        """The local derivative for every operand, always as a tuple."""
        result = self.local(*inputs, out)
        return (result,) if self.arity == 1 else result  # type: ignore[return-value]


# --- forward functions that can fail -----------------------------------------------------


def _div(a: float, b: float) -> float:
    if b == 0:
        raise MathZeroDivisionError("/", (a, b), "division by zero")
    return a / b


def _pow(a: float, b: float) -> float:
    if a == 0 and b < 0:
        raise MathZeroDivisionError("**", (a, b), "0 cannot be raised to a negative power")
    if a < 0 and not b.is_integer():
        raise MathDomainError(
            "**", (a, b), "a negative base needs an integer exponent (the result would be complex)"
        )
    try:
        return a**b
    except OverflowError:
        raise MathOverflowError("**", (a, b), "the result is too large for a float") from None


def _exp(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:
        raise MathOverflowError("exp", (a,), "the result is too large for a float") from None


def _log(a: float) -> float:
    if a <= 0:
        raise MathDomainError("log", (a,), "log is only defined for values > 0")
    return math.log(a)


def _sigmoid(a: float) -> float:
    # Two forms, so that exp() never sees a large positive number.
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _sin(a: float) -> float:
    if math.isinf(a):
        raise MathDomainError("sin", (a,), "sin is not defined for infinity")
    return math.sin(a)


def _cos(a: float) -> float:
    if math.isinf(a):
        raise MathDomainError("cos", (a,), "cos is not defined for infinity")
    return math.cos(a)


# --- local derivatives that need care ----------------------------------------------------


def _pow_local(a: float, b: float, out: float) -> tuple[float, float]:
    # d/da = b * a**(b-1). At a == 0 with 0 < b < 1 it is infinite, and a**(b-1) can be too
    # large for a float: both give inf, as in PyTorch (a float cannot say more).
    if b == 0:
        da = 0.0
    elif a == 0 and b < 1:
        da = math.inf
    else:
        try:
            da = b * a ** (b - 1)
        except OverflowError:
            # |a**(b-1)| is past the largest float; only its sign is left to work out.
            power_sign = 1.0 if a > 0 or (b - 1) % 2 == 0 else -1.0
            da = math.copysign(math.inf, b * power_sign)
    # d/db = a**b * log(a) needs a > 0. At a == 0 the limit is 0; for a < 0 it is
    # undefined (a**b is only real at integer b), and like PyTorch we give nan.
    if a > 0:
        db = out * math.log(a)
    elif a == 0:
        db = 0.0
    else:
        db = math.nan
    return da, db


OPS: dict[str, Op] = {
    op.name: op
    for op in (
        Op("+", 2, lambda a, b: a + b, lambda a, b, out: (1.0, 1.0),
           template="{0} + {1}", derivatives=("1", "1")),
        Op("-", 2, lambda a, b: a - b, lambda a, b, out: (1.0, -1.0),
           template="{0} - {1}", derivatives=("1", "-1")),
        Op("*", 2, lambda a, b: a * b, lambda a, b, out: (b, a),
           template="{0} * {1}", derivatives=("{1}", "{0}")),
        Op("/", 2, _div, lambda a, b, out: (1.0 / b, -out / b),
           template="{0} / {1}", derivatives=("1/{1}", "-{0}/{1}**2")),
        Op("**", 2, _pow, _pow_local,
           template="{0} ** {1}", derivatives=("{1} * {0}**({1} - 1)", "{out} * log({0})")),
        Op("neg", 1, lambda a: -a, lambda a, out: -1.0,
           template="-{0}", derivatives=("-1",)),
        Op("tanh", 1, math.tanh, lambda a, out: 1.0 - out * out,
           template="tanh({0})", derivatives=("1 - {out}**2",)),
        Op("exp", 1, _exp, lambda a, out: out,
           template="exp({0})", derivatives=("{out}",)),
        Op("log", 1, _log, lambda a, out: 1.0 / a,
           template="log({0})", derivatives=("1/{0}",)),
        # As in micrograd's engine: ``self.grad += (out.data > 0) * out.grad``.
        Op("relu", 1, lambda a: a if a > 0 else 0.0, lambda a, out: 1.0 if a > 0 else 0.0,
           template="relu({0})", derivatives=("({0} > 0)",)),
        Op("sigmoid", 1, _sigmoid, lambda a, out: out * (1.0 - out),
           template="sigmoid({0})", derivatives=("{out} * (1 - {out})",)),
        Op("sin", 1, _sin, lambda a, out: math.cos(a),
           template="sin({0})", derivatives=("cos({0})",)),
        Op("cos", 1, _cos, lambda a, out: -math.sin(a),
           template="cos({0})", derivatives=("-sin({0})",)),
    )
}

#: The ops written as functions, ``tanh(x)``: the names the expression language accepts.
FUNCTIONS: tuple[str, ...] = ("tanh", "exp", "log", "relu", "sigmoid", "sin", "cos")
