"""Collapsing groups of nodes (a neuron, a named sub-expression) into one box.

The canvas lays out a contracted copy of the graph: each collapsed group becomes its output
node, which stands for the whole group, and edges inside the group disappear. Pure: tested
without a terminal.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

import networkx as nx

from micrograd.graph import expression_groups, neuron_groups

#: Graphs with more nodes than this open with their groups collapsed.
COLLAPSE_ABOVE = 2_000


@dataclass(frozen=True)
class Contracted:
    """The graph to lay out, and how its boxes map back to the real nodes."""

    graph: nx.MultiDiGraph
    #: Every node id -> the id of the box that shows it (itself, or its group's output).
    owner: dict[Hashable, Hashable]
    #: A collapsed group's box id -> (group name, member ids).
    collapsed: dict[Hashable, tuple[str, list[Hashable]]] = field(default_factory=dict)


def find_groups(graph: nx.MultiDiGraph) -> dict[str, list[Hashable]]:
    """The groups a learner can collapse: neurons if there are any, else named expressions."""
    return neuron_groups(graph) or expression_groups(graph)


def group_output(graph: nx.MultiDiGraph, members: list[Hashable]) -> Hashable:
    """The member the rest of the graph reads: the last one in topological order."""
    member_set = set(members)
    for node in reversed(members):
        if any(child not in member_set for child in graph.successors(node)) or (
            graph.out_degree(node) == 0
        ):
            return node
    return members[-1]


def contract(
    graph: nx.MultiDiGraph, groups: dict[str, list[Hashable]], collapsed: set[str]
) -> Contracted:
    """``graph`` with every group named in ``collapsed`` replaced by its output node."""
    owner: dict[Hashable, Hashable] = {node: node for node in graph.nodes}
    boxes: dict[Hashable, tuple[str, list[Hashable]]] = {}
    for name in collapsed:
        members = groups.get(name)
        if not members:
            continue
        output = group_output(graph, members)
        boxes[output] = (name, members)
        for member in members:
            owner[member] = output
    if not boxes:
        return Contracted(graph, owner)
    result = nx.MultiDiGraph(**graph.graph)
    for node, attrs in graph.nodes(data=True):
        if owner[node] == node:
            result.add_node(node, **attrs)
    for parent, child, key in graph.edges(keys=True):
        source, target = owner[parent], owner[child]
        if source == target:
            continue  # inside a collapsed group
        if result.has_edge(source, target, key):
            key = max(result[source][target]) + 1  # keep parallel edges apart
        result.add_edge(source, target, key=key)
    if "root" in graph.graph:
        result.graph["root"] = owner[graph.graph["root"]]
    return Contracted(result, owner, boxes)
