"""How numbers are written in formulas, tables and exports: short, and the same everywhere."""

from __future__ import annotations

import math


def fmt_number(x: float, digits: int = 4) -> str:
    """A float for people: ``2.0``, ``-6.0``, ``0.7071``, ``1.5e-07``, ``inf``, ``nan``.

    Whole numbers keep one decimal (``2.0``) so they still read as floats, as in the
    classic micrograd drawings; the rest get ``digits`` significant digits. (Exports call
    this for every number of a big graph, hence the cheap checks first.)
    """
    if type(x) is not float:
        x = float(x)
    if x.is_integer():
        if -1e15 < x < 1e15:
            return f"{x:.1f}"
    elif x != x or x == math.inf or x == -math.inf:
        return repr(x)  # nan, inf, -inf
    text = f"{x:.{digits}g}"
    # Never round a number that is not whole to one that is: 0.9999844 is "0.99998", not
    # "1.0" (up to 12 digits; past that it is 1.0 for every purpose here).
    while "." not in text and "e" not in text and digits < 12:
        digits += 1
        text = f"{x:.{digits}g}"
    return text if ("." in text or "e" in text) else text + ".0"


def rule_with_value(rule: str, value: float) -> str:
    """``d(a*b)/da = b`` with its value here: ``d(a*b)/da = b = -3.0``. A rule whose right
    side is already a number (``d(a+b)/da = 1``) stays as it is."""
    right_side = rule.rsplit(" = ", 1)[-1]
    try:
        float(right_side)
    except ValueError:
        return f"{rule} = {fmt_number(value)}"
    return rule
