"""Drawing the edge layer: any window of a row agrees with the whole row, and lines of two
sources cross without a junction."""

from __future__ import annotations

import random

from layout_cases import random_dag

from micrograd.layout import compute_layout


def test_edge_row_windows_agree_with_the_full_row() -> None:
    lay = compute_layout(random_dag(7, 80))
    rnd = random.Random(0)
    for y in range(lay.height):
        full = lay.edge_row(y, 0, lay.width)
        for _ in range(5):
            x0 = rnd.randrange(0, lay.width)
            x1 = rnd.randrange(x0, lay.width + 1)
            assert lay.edge_row(y, x0, x1) == full[x0:x1]


def test_crossings_are_drawn_as_crossings_not_junctions() -> None:
    """Where lines of two sources meet, the horizontal passes over: never a ┼ or a ├."""
    for seed in range(30):
        lay = compute_layout(random_dag(seed, 40))
        sources: dict[tuple[int, int], set[int]] = {}
        for route in lay.edges:
            for cell in route.cells():
                sources.setdefault(cell, set()).add(route.source)
        for (x, y), srcs in sources.items():
            if len(srcs) > 1:
                assert lay.edge_row(y, x, x + 1) == "─"
