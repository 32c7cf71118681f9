"""The order within layers: a depth-first start that draws a tree without crossings, and
barycenter sweeps that untangle the rest."""

from __future__ import annotations

import networkx as nx
from layout_cases import neuron

from micrograd.layout.layers import Items, assign_layers, read_graph
from micrograd.layout.ordering import initial_order, reduce_crossings


def _ordered(g: nx.MultiDiGraph) -> tuple[list[int], Items, list[list[int]]]:
    """The graph's nodes, its items, and each layer's items in the starting order."""
    nodes, edges = read_graph(g)
    layer_of, depth = assign_layers(len(nodes), edges)
    it = Items(len(nodes), edges, layer_of, [4] * len(nodes))
    root = nodes.index(g.graph["root"]) if "root" in g.graph else -1
    return nodes, it, initial_order(len(nodes), it, depth + 1, root)


def test_a_tree_starts_with_argument_0_above_argument_1_and_keeps_that_order() -> None:
    g, ids = neuron()
    nodes, it, layer_items = _ordered(g)
    by_name = {name: nodes.index(i) for name, i in ids.items()}
    names = {i: name for name, i in by_name.items()}
    assert [[names[i] for i in items] for items in layer_items] == [
        ["x1", "w1", "x2", "w2"], ["x1w1", "x2w2"], ["s", "b"], ["n"], ["o"],
    ]
    before = [list(items) for items in layer_items]
    reduce_crossings(layer_items, it.left, it.right, 4)
    assert layer_items == before  # no crossings to remove


def test_sweeps_untangle_two_crossed_edges() -> None:
    layer_items = [[0, 1], [2, 3]]  # 0 -> 3 and 1 -> 2 cross
    left: list[list[int]] = [[], [], [1], [0]]
    right: list[list[int]] = [[3], [2], [], []]
    reduce_crossings(layer_items, left, right, 4)
    assert layer_items == [[0, 1], [3, 2]]
