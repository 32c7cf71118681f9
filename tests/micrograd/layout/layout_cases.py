"""Graphs the layout tests share, and the checks every layout must pass."""

from __future__ import annotations

import random

import networkx as nx

from micrograd.layout import ARROW, Layout
from micrograd.value import Value

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


# --- what every layout must satisfy ----------------------------------------------------------


def check_layout(g: nx.MultiDiGraph, lay: Layout, *, framed: bool = True) -> None:
    """Boxes apart, every edge routed from box to box, left to right, never through a box,
    and no two sources' lines running along each other. Unframed boxes (the compact and
    overview zooms) take edges on any row, and a box of one row takes all its edges on that
    row: lines into the same arrow may share their last cells."""
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
        if framed:
            assert ex == dst.x - 1 and dst.y < ey < dst.bottom - 1  # inside the border rows
        else:
            assert ex == dst.x - 1 and dst.y <= ey < dst.bottom
        for p, q in zip(route.points, route.points[1:], strict=False):
            assert (p[0] == q[0]) != (p[1] == q[1]), f"not orthogonal: {route}"
            assert q[0] >= p[0], f"runs backwards: {route}"
        for p, q, r in zip(route.points, route.points[1:], route.points[2:], strict=False):
            assert not (p[0] == q[0] == r[0] or p[1] == q[1] == r[1]), f"collinear: {route}"
        cells = list(route.cells())
        for a, b in zip(cells, cells[1:], strict=False):
            assert abs(a[0] - b[0]) + abs(a[1] - b[1]) == 1
            step = (min(a, b), max(a, b))
            other, end = steps.setdefault(step, (route.source, route.points[-1]))
            shared = not framed and end == route.points[-1]
            assert other == route.source or shared, (
                f"lines of {other} and {route.source} overlap")
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
