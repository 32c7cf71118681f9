"""Groups the explorer can collapse: a named node with its unnamed helpers, and neurons."""

from __future__ import annotations

from micrograd.expr import evaluate
from micrograd.graph import expression_groups, neuron_groups, to_networkx
from micrograd.presets import mlp


def labels(graph, ids) -> list[str]:
    return [graph.nodes[i]["name"] for i in ids]


def test_named_node_owns_its_unnamed_helpers() -> None:
    program = evaluate("x1 = 2.0; x2 = 0.0; w1 = -3.0; w2 = 1.0; b = 6.88\n"
                       "n = x1*w1 + x2*w2 + b\no = tanh(n)")
    graph = to_networkx(program.output)
    groups = expression_groups(graph)
    assert list(groups) == ["n"]
    assert len(groups["n"]) == 4  # two products, the partial sum, n itself
    assert all(graph.nodes[i]["op"] for i in groups["n"])  # no leaves


def test_a_shared_helper_belongs_to_nobody() -> None:
    program = evaluate("a = 1.0; b = 2.0\nc = (a*b) + 1\nd = c * 3\ne = c + d")
    groups = expression_groups(to_networkx(program.output))
    assert list(groups) == ["c"]  # d and e have no unnamed helpers of their own


def test_fully_labeled_graph_has_no_expression_groups() -> None:
    program = evaluate("a = 2.0; b = a*a; c = b + b")
    assert expression_groups(to_networkx(program.output)) == {}


def test_mlp_neurons_are_groups() -> None:
    program = mlp([2, 3, 1], seed=0, target=1.0)
    graph = to_networkx(program.output)
    groups = neuron_groups(graph)
    assert list(groups) == ["L0.N0", "L0.N1", "L0.N2", "L1.N0"]
    members = [i for ids in groups.values() for i in ids]
    assert len(members) == len(set(members))  # no node in two neurons
