"""Numbers are written the same way everywhere: short, and still reading as floats."""

import math

import pytest

from micrograd.fmt import fmt_number


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (2.0, "2.0"), (-6.0, "-6.0"), (0.0, "0.0"), (-0.0, "0.0"), (3, "3.0"),
        (0.7071067811865476, "0.7071"), (6.8813735870195432, "6.881"),
        (0.99999999, "0.99999999"), (0.9999844212166156, "0.99998"), (1 - 1e-15, "1.0"),
        (1.5e-7, "1.5e-07"), (123456.7, "1.235e+05"), (1e20, "1e+20"),
        (math.inf, "inf"), (-math.inf, "-inf"), (math.nan, "nan"),
    ],
)
def test_fmt_number(x: float, text: str) -> None:
    assert fmt_number(x) == text


def test_more_digits_on_request() -> None:
    assert fmt_number(0.7071067811865476, 8) == "0.70710678"
