"""How numbers are written in formulas, tables and exports: short, and the same everywhere."""

from __future__ import annotations

import math


def fmt_number(x: float, digits: int = 4) -> str:
    """A float for people: ``2.0``, ``-6.0``, ``0.7071``, ``1.5e-07``, ``inf``, ``nan``.

    Whole numbers keep one decimal (``2.0``) so they still read as floats, as in the
    classic micrograd drawings; the rest get ``digits`` significant digits.
    """
    if math.isnan(x) or math.isinf(x):
        return repr(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{x:.1f}"
    text = f"{x:.{digits}g}"
    # 0.99999999 rounds to "1": keep it reading as a float.
    return text if any(c in text for c in ".einf") else text + ".0"
