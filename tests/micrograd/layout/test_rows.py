"""Rows: edges pulled straight, so a long chain stays one band."""

from __future__ import annotations

from layout_cases import wide_sum

from micrograd.layout import compute_layout


def test_a_long_sum_stays_a_straight_band() -> None:
    lay = compute_layout(wide_sum(300))
    assert lay.height < 40  # the chain of sums runs straight; each product hangs beside it
    assert len(lay.layers) > 300
