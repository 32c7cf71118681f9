"""``compute_layout``: the steps in order, from a graph to a ``Layout`` (see the package
docstring for what each step does and why)."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from micrograd.graph import paused_gc
from micrograd.layout.layers import Items, assign_layers, read_graph
from micrograd.layout.model import Box, Layout
from micrograd.layout.ordering import initial_order, reduce_crossings
from micrograd.layout.routes import Geometry, route_channel
from micrograd.layout.rows import edge_weights, place_rows

__all__ = ["compute_layout"]


def compute_layout(
    graph: nx.MultiDiGraph,
    *,
    box_width: int = 18,
    box_height: int = 4,
    size: Callable[[int], tuple[int, int]] | None = None,
    channel: int = 4,
    row_gap: int = 1,
    sweeps: int | None = None,
    progress: Callable[[str], None] | None = None,
    tracks_left: bool = False,
) -> Layout:
    """Place the nodes of ``graph`` as boxes and route its edges, left to right.

    ``graph``: int nodes; an edge ``u -> v`` with key ``k`` says ``u`` is argument ``k`` of
    ``v`` (``x * x`` has two parallel edges); acyclic, else ``ValueError``. The graph
    attribute ``root``, if any, is drawn first (topmost among several outputs). Every box is
    ``box_width`` x ``box_height`` unless ``size(node)`` says ``(w, h)``. ``channel`` is the
    least number of columns between two layers (more when the edges need tracks),
    ``row_gap`` the least number of blank rows between two boxes of a layer. ``sweeps``
    bounds the crossing-reduction rounds (default: fewer on bigger graphs). ``progress`` is
    called with the name of each stage; a worker can show it, or raise to abandon the work.
    ``tracks_left`` puts the vertical tracks at the left of each channel instead of in its
    middle, so the last stretch of every edge (into the arrow) is long: room to write on it.

    The result depends only on the structure and the order of the ids: relabelling the
    nodes in an order-preserving way gives the same layout under the new labels.
    """
    # The layout makes millions of small acyclic objects: the cycle collector would only
    # scan them over and over (a third of the time on big graphs).
    with paused_gc():
        return _compute(graph, box_width, box_height, size, channel, row_gap, sweeps,
                        progress or (lambda stage: None), tracks_left)


def _compute(
    graph: nx.MultiDiGraph,
    box_width: int,
    box_height: int,
    size: Callable[[int], tuple[int, int]] | None,
    channel: int,
    row_gap: int,
    sweeps: int | None,
    report: Callable[[str], None],
    tracks_left: bool = False,
) -> Layout:
    report("layers")
    nodes, edges = read_graph(graph)
    n = len(nodes)
    sizes = [(box_width, box_height)] * n if size is None else [size(v) for v in nodes]
    if any(w < 1 or h < 1 for w, h in sizes):
        raise ValueError("every box needs a width and a height of at least 1")
    layer_of, depth = assign_layers(n, edges)

    report("buses")
    it = Items(n, edges, layer_of, [h for _w, h in sizes])
    m = len(it.layer)

    report("order")
    root = graph.graph.get("root")
    layer_items = initial_order(n, it, depth + 1, nodes.index(root) if root in graph else -1)
    if sweeps is None:
        sweeps = 4 if m <= 20_000 else 2 if m <= 150_000 else 1
    reduce_crossings(layer_items, it.left, it.right, sweeps)

    report("rows")
    ys = place_rows(layer_items, it, edge_weights(n, edges, it), row_gap)

    report("routes")
    seg_track = [-1] * len(it.seg_a)  # the track of each bending segment in its channel
    doglegs: dict[int, tuple[int, int]] = {}  # item -> (track of its first leg, its row)
    tracks = [route_channel(layer_items[layer], ys, it, seg_track, doglegs)
              for layer in range(depth)]
    col_w = [1] * (depth + 1)
    for v in range(n):
        col_w[layer_of[v]] = max(col_w[layer_of[v]], sizes[v][0])
    col_x = [0] * (depth + 1)
    track_x0 = [0] * depth  # the column of track 0 in each channel
    x = 0
    for layer in range(depth + 1):
        col_x[layer] = x
        x += col_w[layer]
        if layer < depth:
            width = max(channel, tracks[layer] + 3)  # exit cell, tracks, one cell, arrow
            spare = 0 if tracks_left else (width - tracks[layer] - 3) // 2
            track_x0[layer] = x + 1 + spare
            x += width
    geometry = Geometry(it, ys, sizes, col_x, col_w, track_x0, seg_track, doglegs)

    report("drawing")
    boxes: dict[int, Box] = {}
    layers: list[list[int]] = []
    for layer, items in enumerate(layer_items):
        column: list[int] = []
        for i in items:
            if i < n:
                w, h = sizes[i]
                boxes[nodes[i]] = Box(nodes[i], col_x[layer], ys[i], w, h, layer, len(column))
                column.append(nodes[i])
        layers.append(column)
    lines = geometry.lines(layer_items, depth)
    routes, by_node = geometry.routes(nodes, edges)
    height = max((ys[i] + it.h[i] for i in range(m)), default=0)
    report("done")
    return Layout(boxes, routes, x, height, layers, lines, col_x, col_w, by_node)
