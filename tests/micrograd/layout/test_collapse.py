"""Contracting collapsed groups before layout (pure: no terminal)."""

from __future__ import annotations

from micrograd.expr import evaluate
from micrograd.graph import to_networkx
from micrograd.layout import contract, find_groups, group_output
from micrograd.presets import mlp


def test_nothing_collapsed_is_the_graph_itself() -> None:
    graph = to_networkx(evaluate("a = 1.0; b = a*a").output)
    contracted = contract(graph, find_groups(graph), set())
    assert contracted.graph is graph and not contracted.collapsed


def test_a_collapsed_neuron_becomes_its_output() -> None:
    program = mlp([2, 3, 1], seed=0, target=1.0)
    graph = to_networkx(program.output)
    groups = find_groups(graph)
    contracted = contract(graph, groups, {"L0.N1"})
    members = groups["L0.N1"]
    box = group_output(graph, members)
    assert graph.nodes[box]["label"] == "L0.N1"
    assert contracted.collapsed[box] == ("L0.N1", members)
    assert all(contracted.owner[m] == box for m in members)
    assert set(contracted.graph.nodes) == (set(graph.nodes) - set(members)) | {box}
    # the inputs still feed the box, and the box still feeds the next layer
    assert contracted.graph.in_degree(box) == 2
    assert contracted.graph.out_degree(box) == graph.out_degree(box)
    assert contracted.graph.graph["root"] == graph.graph["root"]


def test_every_group_collapsed_keeps_the_graph_acyclic_and_connected() -> None:
    import networkx as nx

    graph = to_networkx(mlp([3, 4, 4, 1], seed=1, target=0.5).output)
    groups = find_groups(graph)
    contracted = contract(graph, groups, set(groups))
    assert nx.is_directed_acyclic_graph(contracted.graph)
    assert nx.is_weakly_connected(contracted.graph)
    assert contracted.graph.number_of_nodes() < graph.number_of_nodes() / 3
