"""Routes: each edge its own line into its argument's row, listed by node for highlighting."""

from __future__ import annotations

from layout_cases import neuron, square

from micrograd.layout import compute_layout


def test_x_times_x_gets_two_distinct_lines() -> None:
    lay = compute_layout(square())
    (x,), (y,) = lay.layers
    first, second = lay.edges  # keys 0 and 1
    assert (first.key, second.key) == (0, 1)
    assert first.points[-1][1] < second.points[-1][1]  # argument 0 enters above argument 1
    bx, by = lay.boxes[x], lay.boxes[y]
    row0, row1 = first.points[-1][1], second.points[-1][1]
    assert lay.edge_row(row0, bx.right, by.x) == "─┬─▶"
    assert lay.edge_row(row1, bx.right, by.x) == " └─▶"


def test_edges_of_lists_inputs_then_outputs() -> None:
    g, ids = neuron()
    lay = compute_layout(g)
    routes = lay.edges_of(ids["n"])
    assert [(r.source, r.target) for r in routes] == [
        (ids["s"], ids["n"]), (ids["b"], ids["n"]), (ids["n"], ids["o"]),
    ]
    assert [r.target for r in lay.edges_of(ids["x1"])] == [ids["x1w1"]]
    assert lay.edges_of(-1) == []
