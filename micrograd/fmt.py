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
    # 0.99999999 rounds to "1": keep it reading as a float.
    return text if ("." in text or "e" in text) else text + ".0"
