"""compute_layout end to end: boxes never overlap, every edge is routed cleanly left to right,
the edge layer draws what the routes say, and the same graph always gets the same drawing."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from layout_cases import (
    check_drawing,
    check_layout,
    graph_of,
    mlp_like,
    neuron,
    random_dag,
    square,
    wide_sum,
)

from micrograd.layout import Layout, compute_layout
from micrograd.value import Value

# --- graphs ----------------------------------------------------------------------------------


def diamond() -> nx.MultiDiGraph:
    a = Value(2.0, label="a")
    b = a + a
    return graph_of(b + b)


def chain(n: int) -> nx.MultiDiGraph:
    v = Value(0.5, label="x")
    for _ in range(n - 1):
        v = v.tanh()
    return graph_of(v)


@st.composite
def dags(draw: st.DrawFn) -> nx.MultiDiGraph:
    n = draw(st.integers(1, 28))
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(n))
    for v in range(1, n):
        arity = draw(st.integers(0, 2))
        for key in range(arity):
            g.add_edge(draw(st.integers(0, v - 1)), v, key=key)
    return g


def render(lay: Layout, names: dict[int, str] | None = None) -> str:
    """The whole drawing as text: boxes (frame and name) over the edge layer."""
    rows = []
    for y in range(lay.height):
        row = list(lay.edge_row(y, 0, lay.width))
        for box in lay.boxes_in(y, y + 1, 0, lay.width):
            line = y - box.y
            if line == 0:
                name = (names or {}).get(box.node, str(box.node))
                text = "┌" + f" {name} ".ljust(box.width - 2, "─") + "┐"
            elif line == box.height - 1:
                text = "└" + "─" * (box.width - 2) + "┘"
            else:
                text = "│" + " " * (box.width - 2) + "│"
            row[box.x : box.right] = text
        rows.append("".join(row).rstrip())
    return "\n".join(rows)


# --- the shapes the explorer shows -----------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [lambda: neuron()[0], square, diamond, lambda: chain(2000), lambda: wide_sum(500),
     lambda: mlp_like(4, [3, 2])],
    ids=["neuron", "x*x", "diamond", "chain-2000", "sum-of-500-products", "mlp"],
)
def test_known_graphs_lay_out_cleanly(make) -> None:
    g = make()
    lay = compute_layout(g)
    check_layout(g, lay)
    if g.number_of_nodes() < 200:
        check_drawing(lay)


@pytest.mark.parametrize("seed", range(40))
def test_random_dags_lay_out_cleanly(seed: int) -> None:
    g = random_dag(seed, 10 + seed * 3)
    lay = compute_layout(g)
    check_layout(g, lay)
    check_drawing(lay)


@given(dags())
def test_any_small_dag_lays_out_cleanly(g: nx.MultiDiGraph) -> None:
    lay = compute_layout(g)
    check_layout(g, lay)
    check_drawing(lay)


def test_a_times_b_is_drawn_exactly() -> None:
    g = nx.MultiDiGraph([(0, 2, 0), (1, 2, 1)], root=2)
    lay = compute_layout(g)
    assert render(lay, {0: "a", 1: "b", 2: "c"}) == "\n".join([
        "┌ a ─────────────┐",
        "│                │─┐",
        "│                │ │  ┌ c ─────────────┐",
        "└────────────────┘ └─▶│                │",
        "                   ┌─▶│                │",
        "┌ b ─────────────┐ │  └────────────────┘",
        "│                │─┘",
        "│                │",
        "└────────────────┘",
    ])
    assert (lay.width, lay.height) == (40, 9)
    assert lay.edge_row(3, 18, 22) == " └─▶"
    assert lay.edge_row(3, 0, 0) == ""
    assert lay.edge_row(100, 5, 9) == "    "


def test_bigger_boxes_for_some_nodes() -> None:
    g, ids = neuron()
    big = {ids["s"]: (30, 9), ids["b"]: (10, 3)}
    lay = compute_layout(g, size=lambda v: big.get(v, (18, 4)))
    check_layout(g, lay)
    check_drawing(lay)
    box = lay.boxes[ids["s"]]
    assert (box.width, box.height) == (30, 9)
    assert lay.boxes[ids["n"]].x >= box.right + 4
    with pytest.raises(ValueError, match="at least 1"):
        compute_layout(g, size=lambda v: (0, 4))


def test_empty_single_and_cyclic_graphs() -> None:
    empty = compute_layout(nx.MultiDiGraph())
    assert (empty.boxes, empty.edges, empty.width, empty.height) == ({}, [], 0, 0)
    assert empty.edge_row(0, 0, 3) == "   " and empty.boxes_in(0, 9, 0, 9) == []
    one = compute_layout(_single(7))
    assert one.layers == [[7]] and one.boxes[7].x == 0 and one.width == 18
    with pytest.raises(ValueError, match="cycle"):
        compute_layout(nx.MultiDiGraph([(0, 1, 0), (1, 0, 0)]))


def _single(node: int) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(node)
    return g


# --- determinism -----------------------------------------------------------------------------


def _relabelled(g: nx.MultiDiGraph, mapping: dict[int, int]) -> nx.MultiDiGraph:
    h = nx.MultiDiGraph()
    h.add_nodes_from(mapping[v] for v in reversed(list(g.nodes)))  # other insertion order
    h.add_edges_from((mapping[u], mapping[v], k) for u, v, k in reversed(list(g.edges(keys=True))))
    if "root" in g.graph:
        h.graph["root"] = mapping[g.graph["root"]]
    return h


def _renamed(lay: Layout, mapping: dict[int, int]) -> tuple:
    boxes = sorted(
        (mapping[v], b.x, b.y, b.width, b.height, b.layer, b.order) for v, b in lay.boxes.items()
    )
    edges = sorted((mapping[r.source], mapping[r.target], r.key, tuple(r.points))
                   for r in lay.edges)
    layers = [[mapping[v] for v in layer] for layer in lay.layers]
    return boxes, edges, layers, lay.width, lay.height


@pytest.mark.parametrize("seed", range(6))
def test_same_structure_same_drawing(seed: int) -> None:
    g = random_dag(100 + seed, 60) if seed else neuron()[0]
    first = compute_layout(g)
    assert compute_layout(g) == first
    ids = sorted(g.nodes)
    rnd = random.Random(seed)
    shifted, next_id = {}, 1000
    for v in ids:  # increasing, unevenly spaced: the order of the ids is kept
        next_id += rnd.randint(1, 9)
        shifted[v] = next_id
    again = compute_layout(_relabelled(g, shifted))
    assert _renamed(first, shifted) == _renamed(again, {v: v for v in shifted.values()})
    strings = [first.edge_row(y, 0, first.width) for y in range(first.height)]
    assert strings == [again.edge_row(y, 0, again.width) for y in range(again.height)]


# --- the package itself ----------------------------------------------------------------------


def test_progress_names_each_stage() -> None:
    stages: list[str] = []
    compute_layout(neuron()[0], progress=stages.append)
    assert stages[0] == "layers" and stages[-1] == "done" and len(stages) >= 5
