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
    if x == 0:
        return "0.0"  # also for -0.0: a learner would only wonder where the sign came from
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
