"""The op table: for every op, its forward, its local derivatives and its rule as text.

This is the one place an op is defined. The operators on ``Value``, ``backward()``, the
Stepper's formulas, ``recompute()`` after a nudge and the exporters all read it, so adding an
op is one entry here (and a method on ``Value`` if it should have one).

Forward functions take and return plain floats and raise a ``MathError`` when the result
does not exist. Local derivative functions take the operands' data and the op's own output
(``out``) and return the derivative of the output with respect to each operand, always as a
tuple, one per operand (as tinygrad's rules return): ``(-1.0,)`` for ``neg``, ``(b, a)`` for
``*``. Next to each is the same derivative as text
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
    ``function`` marks the ops written as functions, ``tanh(x)``, and so methods of ``Value``.
    """

    name: str
    forward: Callable[..., float]
    local: Callable[..., tuple[float, ...]]
    template: str
    derivatives: tuple[str, ...]
    function: bool = False

    @property
    def arity(self) -> int:
        """How many operands the op takes: one local derivative for each."""
        return len(self.derivatives)

    def format(self, *operands: str) -> str:
        """The op written with these operands: ``format('a', 'b') == 'a * b'``.

        (No parentheses are added: ``micrograd.formulas.fill`` does that for numbers.)
        """
        return self.template.format(*operands)


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
        Op(name="+", forward=lambda a, b: a + b, local=lambda a, b, out: (1.0, 1.0),
           template="{0} + {1}", derivatives=("1", "1")),
        Op(name="-", forward=lambda a, b: a - b, local=lambda a, b, out: (1.0, -1.0),
           template="{0} - {1}", derivatives=("1", "-1")),
        Op(name="*", forward=lambda a, b: a * b, local=lambda a, b, out: (b, a),
           template="{0} * {1}", derivatives=("{1}", "{0}")),
        Op(name="/", forward=_div, local=lambda a, b, out: (1.0 / b, -out / b),
           template="{0} / {1}", derivatives=("1/{1}", "-{0}/{1}**2")),
        Op(name="**", forward=_pow, local=_pow_local,
           template="{0} ** {1}", derivatives=("{1} * {0}**({1} - 1)", "{out} * log({0})")),
        Op(name="neg", forward=lambda a: -a, local=lambda a, out: (-1.0,),
           template="-{0}", derivatives=("-1",)),
        Op(name="tanh", forward=math.tanh, local=lambda a, out: (1.0 - out * out,),
           template="tanh({0})", derivatives=("1 - {out}**2",), function=True),
        Op(name="exp", forward=_exp, local=lambda a, out: (out,),
           template="exp({0})", derivatives=("{out}",), function=True),
        Op(name="log", forward=_log, local=lambda a, out: (1.0 / a,),
           template="log({0})", derivatives=("1/{0}",), function=True),
        # As in micrograd's engine: ``self.grad += (out.data > 0) * out.grad``.
        Op(name="relu", forward=lambda a: a if a > 0 else 0.0,
           local=lambda a, out: (1.0 if a > 0 else 0.0,),
           template="relu({0})", derivatives=("({0} > 0)",), function=True),
        Op(name="sigmoid", forward=_sigmoid, local=lambda a, out: (out * (1.0 - out),),
           template="sigmoid({0})", derivatives=("{out} * (1 - {out})",), function=True),
        Op(name="sin", forward=_sin, local=lambda a, out: (math.cos(a),),
           template="sin({0})", derivatives=("cos({0})",), function=True),
        Op(name="cos", forward=_cos, local=lambda a, out: (-math.sin(a),),
           template="cos({0})", derivatives=("-sin({0})",), function=True),
    )
}

#: The ops written as functions, ``tanh(x)``: the names the expression language accepts.
FUNCTIONS: tuple[str, ...] = tuple(name for name, op in OPS.items() if op.function)


def table_op(name: str, arity: int) -> Op | None:
    """The op table's entry for a node with op ``name`` and ``arity`` operands, or None for an
    op of the user's own (a node made with ``Value(data, children, 'tanh2')``)."""
    op = OPS.get(name)
    if op is None or op.arity != arity:
        return None
    return op
