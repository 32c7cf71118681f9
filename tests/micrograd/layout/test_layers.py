"""Layers and buses: each node one layer before its first user, inputs spread over a box's
rows, and ids that do not follow the edges still laid out."""

from __future__ import annotations

import networkx as nx
from layout_cases import check_layout, neuron

from micrograd.layout import compute_layout


def test_inputs_sit_just_before_their_first_user_and_the_output_is_rightmost() -> None:
    g, ids = neuron()
    lay = compute_layout(g)
    layer = {name: lay.boxes[i].layer for name, i in ids.items()}
    assert layer["o"] == len(lay.layers) - 1
    assert layer["x1"] == layer["w1"] == layer["x1w1"] - 1
    assert layer["b"] == layer["n"] - 1  # the bias waits for its sum, not in column 0
    assert lay.boxes[ids["x1"]].y < lay.boxes[ids["w1"]].y  # argument 0 above argument 1


def test_tall_boxes_spread_their_inputs() -> None:
    g = nx.MultiDiGraph([(0, 2, 0), (1, 2, 1)])
    lay = compute_layout(g, box_height=7)
    rows = [r.points[-1][1] - lay.boxes[2].y for r in lay.edges]
    assert rows == [2, 4]  # centred, two rows apart, the output leaves from row 3


def test_ids_against_the_edges_still_work() -> None:
    """Ids that are not a topological order (not from the engine) fall back to a sort."""
    g = nx.MultiDiGraph([(5, 1, 0), (4, 1, 1), (1, 0, 0)])
    lay = compute_layout(g)
    check_layout(g, lay)
    assert lay.boxes[0].layer == 2
