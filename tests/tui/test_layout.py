"""tui.layout: boxes never overlap, every edge is routed cleanly left to right, the edge
layer draws what the routes say, and the same graph always gets the same drawing."""

from __future__ import annotations

import doctest
import random
import subprocess
import sys

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tui.layout
from micrograd.value import Value
from tui.layout import ARROW, Layout, compute_layout

# --- graphs ----------------------------------------------------------------------------------


def graph_of(root: Value) -> nx.MultiDiGraph:
    """A Value's graph as the layout reads it: ids as nodes, one edge per operand position."""
    g = nx.MultiDiGraph()
    g.graph["root"] = root.id
    seen: set[int] = set()
    stack = [root]
    while stack:
        v = stack.pop()
        if v.id in seen:
            continue
        seen.add(v.id)
        g.add_node(v.id)
        for key, parent in enumerate(v._prev):
            g.add_edge(parent.id, v.id, key=key)
            stack.append(parent)
    return g


def neuron() -> tuple[nx.MultiDiGraph, dict[str, int]]:
    """Karpathy's classic neuron, o = tanh(x1*w1 + x2*w2 + b), and its ids by name."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    s = x1w1 + x2w2
    n = s + b
    o = n.tanh()
    names = {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "x1w1": x1w1, "x2w2": x2w2,
             "s": s, "n": n, "o": o}
    return graph_of(o), {k: v.id for k, v in names.items()}


def square() -> nx.MultiDiGraph:
    x = Value(3.0, label="x")
    return graph_of(x * x)


def diamond() -> nx.MultiDiGraph:
    a = Value(2.0, label="a")
    b = a + a
    return graph_of(b + b)


def chain(n: int) -> nx.MultiDiGraph:
    v = Value(0.5, label="x")
    for _ in range(n - 1):
        v = v.tanh()
    return graph_of(v)


def wide_sum(n: int) -> nx.MultiDiGraph:
    total = Value(0.0)
    for i in range(n):
        total = total + Value(0.1 * i) * Value(1.0 - 0.001 * i)
    return graph_of(total)


def mlp_like(n_in: int, widths: list[int]) -> nx.MultiDiGraph:
    """Layers of neurons, each a chain of sums of products, sharing their inputs."""
    xs = [Value(0.1 * i) for i in range(n_in)]
    for width in widths:
        outs = []
        for j in range(width):
            act = Value(0.01 * j)
            for i, x in enumerate(xs):
                act = act + Value(0.001 * i) * x
            outs.append(act.tanh())
        xs = outs
    out = xs[0]
    for x in xs[1:]:
        out = out + x
    return graph_of(out)


def random_dag(seed: int, n: int) -> nx.MultiDiGraph:
    """Ops with one or two operands (repeats allowed, as in x*x), some far back."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(i)
        if i >= 2 and rnd.random() < 0.85:
            for key in range(1 if rnd.random() < 0.3 else 2):
                back = rnd.choice([2, 5, 20, i])
                g.add_edge(rnd.randrange(max(0, i - back), i), i, key=key)
    return g


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


# --- what every layout must satisfy ----------------------------------------------------------


def check_layout(g: nx.MultiDiGraph, lay: Layout) -> None:
    """Boxes apart, every edge routed from box to box, left to right, never through a box,
    and no two sources' lines running along each other."""
    assert set(lay.boxes) == set(g.nodes)
    assert sorted(v for layer in lay.layers for v in layer) == sorted(g.nodes)
    owner: dict[tuple[int, int], int] = {}
    for box in lay.boxes.values():
        assert box.x >= 0 and box.y >= 0
        assert box.right <= lay.width and box.bottom <= lay.height
        assert lay.layers[box.layer][box.order] == box.node
        for y in range(box.y, box.bottom):
            for x in range(box.x, box.right):
                assert (x, y) not in owner, f"boxes {owner[x, y]} and {box.node} overlap"
                owner[x, y] = box.node
    assert sorted((r.source, r.target, r.key) for r in lay.edges) == sorted(
        g.edges(keys=True)
    )
    steps: dict[tuple[tuple[int, int], tuple[int, int]], int] = {}
    for route in lay.edges:
        src, dst = lay.boxes[route.source], lay.boxes[route.target]
        assert src.layer < dst.layer and src.right <= dst.x  # left to right
        (sx, sy), (ex, ey) = route.points[0], route.points[-1]
        assert sx == src.right and sy == src.y + (src.height - 1) // 2
        assert ex == dst.x - 1 and dst.y < ey < dst.bottom - 1  # inside the border rows
        for p, q in zip(route.points, route.points[1:], strict=False):
            assert (p[0] == q[0]) != (p[1] == q[1]), f"not orthogonal: {route}"
            assert q[0] >= p[0], f"runs backwards: {route}"
        for p, q, r in zip(route.points, route.points[1:], route.points[2:], strict=False):
            assert not (p[0] == q[0] == r[0] or p[1] == q[1] == r[1]), f"collinear: {route}"
        cells = list(route.cells())
        for a, b in zip(cells, cells[1:], strict=False):
            assert abs(a[0] - b[0]) + abs(a[1] - b[1]) == 1
            step = (min(a, b), max(a, b))
            other = steps.setdefault(step, route.source)
            assert other == route.source, f"lines of {other} and {route.source} overlap"
        for cell in cells:
            assert cell not in owner, f"edge {route.source}->{route.target} enters a box"


def check_drawing(lay: Layout) -> None:
    """``edge_row`` draws exactly the cells of the routes, with arrowheads at their ends."""
    on_route = {cell for route in lay.edges for cell in route.cells()}
    ends = {route.points[-1] for route in lay.edges}
    for y in range(-1, lay.height + 1):
        row = lay.edge_row(y, -2, lay.width + 2)
        assert len(row) == lay.width + 4
        for i, ch in enumerate(row):
            x = i - 2
            assert (ch != " ") == ((x, y) in on_route), (x, y, ch)
            assert (ch == ARROW) == ((x, y) in ends), (x, y, ch)


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


def test_inputs_sit_just_before_their_first_user_and_the_output_is_rightmost() -> None:
    g, ids = neuron()
    lay = compute_layout(g)
    layer = {name: lay.boxes[i].layer for name, i in ids.items()}
    assert layer["o"] == len(lay.layers) - 1
    assert layer["x1"] == layer["w1"] == layer["x1w1"] - 1
    assert layer["b"] == layer["n"] - 1  # the bias waits for its sum, not in column 0
    assert lay.boxes[ids["x1"]].y < lay.boxes[ids["w1"]].y  # argument 0 above argument 1


def test_a_long_sum_stays_a_straight_band() -> None:
    lay = compute_layout(wide_sum(300))
    assert lay.height < 40  # the chain of sums runs straight; each product hangs beside it
    assert len(lay.layers) > 300


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


def test_tall_boxes_spread_their_inputs() -> None:
    g = nx.MultiDiGraph([(0, 2, 0), (1, 2, 1)])
    lay = compute_layout(g, box_height=7)
    rows = [r.points[-1][1] - lay.boxes[2].y for r in lay.edges]
    assert rows == [2, 4]  # centred, two rows apart, the output leaves from row 3


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


def test_ids_against_the_edges_still_work() -> None:
    """Ids that are not a topological order (not from the engine) fall back to a sort."""
    g = nx.MultiDiGraph([(5, 1, 0), (4, 1, 1), (1, 0, 0)])
    lay = compute_layout(g)
    check_layout(g, lay)
    assert lay.boxes[0].layer == 2


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


# --- look-ups for the canvas -----------------------------------------------------------------


def test_boxes_in_matches_a_scan() -> None:
    g = mlp_like(3, [3, 2])
    lay = compute_layout(g)
    rnd = random.Random(3)
    for _ in range(300):
        x0, y0 = rnd.randrange(-5, lay.width), rnd.randrange(-5, lay.height)
        x1, y1 = x0 + rnd.randrange(0, 60), y0 + rnd.randrange(0, 20)
        expected = {
            b.node for b in lay.boxes.values()
            if b.x < x1 and b.right > x0 and b.y < y1 and b.bottom > y0
        }
        found = lay.boxes_in(y0, y1, x0, x1)
        assert {b.node for b in found} == expected
        assert len(found) == len(expected)


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


def test_edges_of_lists_inputs_then_outputs() -> None:
    g, ids = neuron()
    lay = compute_layout(g)
    routes = lay.edges_of(ids["n"])
    assert [(r.source, r.target) for r in routes] == [
        (ids["s"], ids["n"]), (ids["b"], ids["n"]), (ids["n"], ids["o"]),
    ]
    assert [r.target for r in lay.edges_of(ids["x1"])] == [ids["x1w1"]]
    assert lay.edges_of(-1) == []


def test_move_between_boxes() -> None:
    g, ids = neuron()
    lay = compute_layout(g)
    name = {v: k for k, v in ids.items()}

    def move(start: str, direction: str) -> str | None:
        target = lay.move(ids[start], direction)
        return None if target is None else name[target]

    assert move("o", "right") is None and move("o", "l") is None
    assert move("o", "left") == "n" and move("o", "h") == "n"
    assert move("x1", "left") is None
    assert move("x1", "down") == "w1" and move("x1", "j") == "w1"
    assert move("w1", "up") == "x1" and move("w1", "k") == "x1"
    assert move("x1", "up") is None
    assert move("w2", "down") is None
    assert move("x1w1", "left") in {"x1", "w1"}
    nearest = min(lay.layers[lay.boxes[ids["x2w2"]].layer - 1],
                  key=lambda v: (abs(lay.boxes[v].y - lay.boxes[ids["x2w2"]].y), lay.boxes[v].y))
    assert lay.move(ids["x2w2"], "left") == nearest
    assert lay.move(ids["o"], "sideways") is None and lay.move(-5, "left") is None


# --- the module itself -----------------------------------------------------------------------


def test_docstring_examples() -> None:
    assert doctest.testmod(tui.layout).failed == 0


def test_layout_is_pure() -> None:
    """No Textual, no Rich: the layout is plain data and runs anywhere (a worker, a test)."""
    code = (
        "import sys, tui.layout; "
        "print(sorted(m for m in ('textual', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_progress_names_each_stage() -> None:
    stages: list[str] = []
    compute_layout(neuron()[0], progress=stages.append)
    assert stages[0] == "layers" and stages[-1] == "done" and len(stages) >= 5
