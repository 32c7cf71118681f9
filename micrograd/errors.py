"""The engine's errors: each names the op, the operand values and their labels.

They subclass the built-in exception a Python user would expect (``ValueError`` for a
math domain error, ``ZeroDivisionError`` and ``OverflowError``, both ``ArithmeticError``),
so ``except ValueError`` and ``except ArithmeticError`` keep working.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class MathError(ArithmeticError):
    """An op cannot be computed for these operands.

    ``op`` is the op's name, ``operands`` the Values (or numbers) it was given,
    and ``reason`` says what went wrong in words.
    """

    def __init__(self, op: str, operands: Sequence[Any], reason: str) -> None:
        self.op = op
        self.operands = tuple(operands)
        self.reason = reason
        super().__init__(f"{op}: {reason} ({describe_operands(self.operands)})")


class MathDomainError(MathError, ValueError):
    """The operands are outside the op's domain: ``log(-1)``, ``(-8) ** 0.5``."""


class MathZeroDivisionError(MathError, ZeroDivisionError):
    """Division by zero, or zero raised to a negative power."""


class MathOverflowError(MathError, OverflowError):
    """The result is too large for a float: ``exp(1000)``."""


def describe_operands(operands: Sequence[Any]) -> str:
    """``a = 2.0, b = -3.0`` for labeled Values, ``2.0, -3.0`` for the rest."""
    parts = []
    for operand in operands:
        label = getattr(operand, "label", "")
        data = getattr(operand, "data", operand)
        parts.append(f"{label} = {data!r}" if label else repr(data))
    return ", ".join(parts)
