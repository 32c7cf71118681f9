"""Graph -> character cells: where each box goes and how each edge runs, for the canvas.

A layered (Sugiyama) drawing, left to right like the Graphviz pictures of micrograd: inputs
on the left, the output on the right, every edge an orthogonal line of box-drawing
characters from a box's right side into the next box's left side. Pure: no Textual, no Rich,
only NetworkX for the graph, so the canvas just paints and all of this is tested without a
terminal. Nothing recurses on the graph (a chain of a million nodes is fine).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([(0, 2, 0), (1, 2, 1)])       # c = a * b, ids 0, 1, 2
    >>> lay = compute_layout(g, box_width=5, box_height=4)
    >>> [(b.x, b.y) for b in lay.boxes.values()], lay.width, lay.height
    ([(0, 0), (0, 5), (9, 2)], 14, 9)
    >>> for y in range(1, 7):
    ...     print(lay.edge_row(y, 5, 9).replace(" ", "."))
    ─┐..
    .│..
    .└─▶
    .┌─▶
    .│..
    ─┘..

Coordinates are character cells: ``x`` is the column, ``y`` the row, ``(0, 0)`` the top left
corner. A box covers the cells ``x .. x+width-1`` by ``y .. y+height-1``, borders included.
Edges never enter a box: a route starts in the cell just right of its source box (on the
box's middle row, ``(height-1) // 2``) and ends in the cell just left of its target box,
where the arrowhead is. Argument 0 enters above argument 1 when the box has rows for both.

The steps (``compute_layout``):

1. **Layers.** Each node goes as far right as it can: the sinks (the output) take the last
   layer and every other node sits one layer before its *first* (leftmost) user, i.e.
   layer = depth - (longest path from the node to a sink). An input or a constant thus sits
   just before the op that uses it, a sub-expression is computed just in time, and an
   expression tree has no edge longer than one layer. (Layering by longest path from the
   inputs instead would put the 500 products of a long sum in one column, with edges
   hundreds of layers long.)
2. **Buses.** A node whose edges reach past the next layer gets one virtual one-row item in
   each layer up to its last user, shared by all those edges: one line with a branch at
   each user (not one line per edge, which would make an MLP quadratic).
3. **Order.** A depth-first walk from the output visiting argument 0 before argument 1
   gives the starting order (``a`` above ``b``; a tree gets no crossings); then barycenter
   sweeps left to right and back, ties kept in the current order; the order with the
   fewest crossings (counted between adjacent layers) wins.
4. **Rows.** Items are stacked in their layer with a gap, then each pass moves every layer
   to the rows that make its edges straightest, keeping order and gaps (a weighted median
   per item, pooled by isotonic regression): a node lines up with its user, a long chain
   stays a straight line with the terms coming in from the side, equal operands centre.
5. **Routes.** Between two layers runs a channel. An edge leaves its source on the middle
   row, runs right to a vertical track, along it to the entry row, and right into the
   target. A source's edges share one track (a trunk with branches); sources whose
   vertical spans meet get different tracks, ordered so that lines that need not cross
   don't, and so that no two horizontal lines ever run along each other. Each channel is
   as wide as its tracks need.

Drawing (``Layout.edge_row``): lines are ``─ │``; bends and branch points ``┌ ┐ └ ┘ ├ ┤ ┬ ┴
┼`` only ever join lines of the *same* source. Where lines of two *different* sources
cross, the horizontal one is drawn over the vertical one (a ``─`` breaking the ``│``), so a
crossing never reads as a junction. ``▶`` marks the cell before a target box.
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["ARROW", "Box", "EdgeRoute", "Layout", "compute_layout"]

#: The arrowhead drawn in the cell just left of a target box.
ARROW = "▶"

# Arms of a cell, for choosing the box-drawing character where lines meet.
_UP, _DOWN, _LEFT, _RIGHT = 1, 2, 4, 8
_JOIN = {
    0: " ",
    _UP: "│", _DOWN: "│", _UP | _DOWN: "│",
    _LEFT: "─", _RIGHT: "─", _LEFT | _RIGHT: "─",
    _DOWN | _RIGHT: "┌", _DOWN | _LEFT: "┐", _UP | _RIGHT: "└", _UP | _LEFT: "┘",
    _UP | _DOWN | _RIGHT: "├", _UP | _DOWN | _LEFT: "┤",
    _LEFT | _RIGHT | _DOWN: "┬", _LEFT | _RIGHT | _UP: "┴",
    _UP | _DOWN | _LEFT | _RIGHT: "┼",
}
_HLINE = "─"

#: Sweeps of the row placement (each left to right and back); it stops early when stable.
_PASSES = 3
#: Largest pooled block placed at a weighted median (larger ones use the mean: linear time).
_MEDIAN_CAP = 8
#: log2 of the rows per bucket of the vertical-line index.
_BLOCK_SHIFT = 5

_DIRECTIONS = {"left": "left", "h": "left", "right": "right", "l": "right",
               "up": "up", "k": "up", "down": "down", "j": "down"}


@dataclass(frozen=True, slots=True)
class Box:
    """Where one node is drawn: a ``width`` x ``height`` rectangle of cells at ``(x, y)``."""

    node: int
    x: int
    y: int
    width: int
    height: int
    layer: int  # column of the drawing, 0 = leftmost
    order: int  # position among the boxes of its layer, top to bottom

    @property
    def right(self) -> int:
        """The first column right of the box (where its outgoing edges start)."""
        return self.x + self.width

    @property
    def bottom(self) -> int:
        """The first row below the box."""
        return self.y + self.height

    def contains(self, x: int, y: int) -> bool:
        return self.x <= x < self.x + self.width and self.y <= y < self.y + self.height


@dataclass(frozen=True, slots=True)
class EdgeRoute:
    """One edge ``source -> target`` (argument number ``key``) as an orthogonal polyline.

    ``points`` are the corners in order, from the cell just right of the source box to the
    cell just left of the target box (the arrowhead); each step between two points is
    horizontal or vertical, and no three points are in a line.
    """

    source: int
    target: int
    key: int
    points: list[tuple[int, int]]

    def cells(self) -> Iterator[tuple[int, int]]:
        """Every cell the route covers, in order (to highlight one edge)."""
        px, py = self.points[0]
        yield px, py
        for qx, qy in self.points[1:]:
            dx = (qx > px) - (qx < px)
            dy = (qy > py) - (qy < py)
            while (px, py) != (qx, qy):
                px += dx
                py += dy
                yield px, py


class _LineIndex:
    """The lines of the edge layer, indexed so drawing a row costs what touches that row.

    Horizontal runs are kept per row, vertical ones in buckets of ``2**_BLOCK_SHIFT`` rows;
    each row or bucket is sorted on first use (so building costs no sorting up front).
    """

    def __init__(self) -> None:
        self.hruns: dict[int, list[tuple[int, int, int]]] = {}  # row -> (x0, x1 incl., net)
        self.vruns: dict[int, list[tuple[int, int, int, int]]] = {}  # bucket -> (x, y0, y1, net)
        self.heads: dict[int, list[int]] = {}  # row -> columns of arrowheads
        self._rows: dict[int, tuple[list[int], list[int], list[tuple[int, int, int]]]] = {}
        self._buckets: dict[int, tuple[list[int], list[tuple[int, int, int, int]]]] = {}
        self._heads: dict[int, list[int]] = {}

    def horizontal(self, row: int, a: int, b: int, net: int) -> None:
        self.hruns.setdefault(row, []).append((min(a, b), max(a, b), net))

    def vertical(self, col: int, lo: int, hi: int, net: int) -> None:
        for bucket in range(lo >> _BLOCK_SHIFT, (hi >> _BLOCK_SHIFT) + 1):
            self.vruns.setdefault(bucket, []).append((col, lo, hi, net))

    def row(self, y: int) -> tuple[list[int], list[int], list[tuple[int, int, int]]]:
        """Row ``y``'s runs sorted, with their starts and the running maximum of their ends."""
        ready = self._rows.get(y)
        if ready is None:
            runs = sorted(self.hruns.get(y, ()))
            starts = [a for a, _b, _net in runs]
            reach: list[int] = []
            far = -1
            for _a, b, _net in runs:
                far = b if b > far else far
                reach.append(far)
            ready = self._rows[y] = (starts, reach, runs)
        return ready

    def bucket(self, y: int) -> tuple[list[int], list[tuple[int, int, int, int]]]:
        """The vertical runs of the bucket holding row ``y``, sorted by column."""
        ready = self._buckets.get(y >> _BLOCK_SHIFT)
        if ready is None:
            runs = sorted(self.vruns.get(y >> _BLOCK_SHIFT, ()))
            ready = self._buckets[y >> _BLOCK_SHIFT] = ([r[0] for r in runs], runs)
        return ready

    def arrowheads(self, y: int) -> list[int]:
        ready = self._heads.get(y)
        if ready is None:
            ready = self._heads[y] = sorted(set(self.heads.get(y, ())))
        return ready


@dataclass
class Layout:
    """Boxes and edge routes of one graph, with fast look-ups for drawing a viewport.

    ``layers[i]`` lists the nodes of column ``i`` top to bottom; ``width`` x ``height`` is
    the whole drawing in cells. Two layouts compare equal when boxes, routes and size are.
    """

    boxes: dict[int, Box]
    edges: list[EdgeRoute]
    width: int
    height: int
    layers: list[list[int]]
    _lines: _LineIndex = field(repr=False, compare=False)
    _col_x: list[int] = field(repr=False, compare=False)  # first column of each layer
    _col_w: list[int] = field(repr=False, compare=False)
    _by_node: dict[int, list[EdgeRoute]] = field(repr=False, compare=False)
    _columns: list[list[Box]] = field(init=False, repr=False, compare=False)
    _bottoms: list[list[int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._columns = [[self.boxes[v] for v in layer] for layer in self.layers]
        self._bottoms = [[b.bottom for b in column] for column in self._columns]

    # --- drawing ---------------------------------------------------------------------------

    def edge_row(self, y: int, x0: int, x1: int) -> str:
        """The edge layer in row ``y``, columns ``x0 .. x1-1``: ``x1 - x0`` characters.

        Spaces where there is no line (and inside boxes, which the canvas draws on top).
        Costs in proportion to the lines touching this stretch of the row.
        """
        n = x1 - x0
        if n <= 0:
            return ""
        buf = [" "] * n
        lines = self._lines
        starts, reach, runs = lines.row(y)
        visible: list[tuple[int, int, int]] = []
        if runs:
            for j in range(bisect.bisect_left(reach, x0), bisect.bisect_left(starts, x1)):
                a, b, net = runs[j]
                if b < x0:
                    continue
                lo = a if a > x0 else x0
                hi = b if b < x1 else x1 - 1
                buf[lo - x0 : hi - x0 + 1] = _HLINE * (hi - lo + 1)
                visible.append(runs[j])
        cols, vruns = lines.bucket(y)
        if vruns:
            meets: dict[int, list[tuple[int, int]]] = {}
            for j in range(bisect.bisect_left(cols, x0), bisect.bisect_left(cols, x1)):
                x, top, bot, net = vruns[j]
                if top <= y <= bot:
                    arms = (_UP if y > top else 0) | (_DOWN if y < bot else 0)
                    meets.setdefault(x, []).append((net, arms))
            for x, found in meets.items():
                for a, b, net in visible:
                    if a <= x <= b:
                        found.append((net, (_LEFT if x > a else 0) | (_RIGHT if x < b else 0)))
                buf[x - x0] = _cell_char(found)
        heads = lines.arrowheads(y)
        for j in range(bisect.bisect_left(heads, x0), bisect.bisect_left(heads, x1)):
            buf[heads[j] - x0] = ARROW
        return "".join(buf)

    def boxes_in(self, y0: int, y1: int, x0: int, x1: int) -> list[Box]:
        """The boxes meeting rows ``y0 .. y1-1`` and columns ``x0 .. x1-1``, by layer."""
        found: list[Box] = []
        col_x, col_w = self._col_x, self._col_w
        for layer in range(max(0, bisect.bisect_right(col_x, x0) - 1), len(col_x)):
            if col_x[layer] >= x1:
                break
            if col_x[layer] + col_w[layer] <= x0:
                continue
            column = self._columns[layer]
            for j in range(bisect.bisect_right(self._bottoms[layer], y0), len(column)):
                box = column[j]
                if box.y >= y1:
                    break
                if box.x < x1 and box.right > x0:
                    found.append(box)
        return found

    # --- edges and neighbours --------------------------------------------------------------

    def edges_of(self, node: int) -> list[EdgeRoute]:
        """The routes into ``node`` (by argument), then those out of it: for highlighting."""
        return self._by_node.get(node, [])

    def move(self, node: int, direction: str) -> int | None:
        """Where a key press moves the selection from ``node``; None at the drawing's edge.

        ``left``/``right`` (or ``h``/``l``): the box in the previous/next non-empty layer
        nearest in height (the upper one on a tie); ``up``/``down`` (``k``/``j``): the box
        above/below in the same layer.
        """
        box = self.boxes.get(node)
        side = _DIRECTIONS.get(direction)
        if box is None or side is None:
            return None
        column = self.layers[box.layer]
        if side == "up":
            return column[box.order - 1] if box.order > 0 else None
        if side == "down":
            return column[box.order + 1] if box.order + 1 < len(column) else None
        step = -1 if side == "left" else 1
        layer = box.layer + step
        while 0 <= layer < len(self.layers) and not self.layers[layer]:
            layer += step
        if not 0 <= layer < len(self.layers):
            return None
        centre2 = 2 * box.y + box.height  # twice the centre row, to stay in integers
        others = self._columns[layer]
        j = bisect.bisect_left(self._bottoms[layer], (centre2 + 1) // 2)
        candidates = others[max(0, j - 1) : j + 2]
        best = min(candidates, key=lambda b: (abs(2 * b.y + b.height - centre2), b.y))
        return best.node


def _cell_char(found: list[tuple[int, int]]) -> str:
    """One cell where lines meet: a join within one source, a crossing between two."""
    arms = 0
    for _net, a in found:
        arms |= a
    first = found[0][0]
    if all(net == first for net, _a in found):
        return _JOIN[arms]
    by_net: dict[int, int] = {}
    for net, a in found:
        by_net[net] = by_net.get(net, 0) | a
    if any(a & (_LEFT | _RIGHT) == _LEFT | _RIGHT for a in by_net.values()):
        return _HLINE  # a line passing straight over another: the horizontal one on top
    return _JOIN[arms]


# --- the algorithm -----------------------------------------------------------------------


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

    The result depends only on the structure and the order of the ids: relabelling the
    nodes in an order-preserving way gives the same layout under the new labels.
    """
    # The layout makes millions of small acyclic objects: the cycle collector would only
    # scan them over and over (a third of the time on big graphs).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compute(graph, box_width, box_height, size, channel, row_gap, sweeps,
                        progress or (lambda stage: None))
    finally:
        if collecting:
            gc.enable()


def _compute(
    graph: nx.MultiDiGraph,
    box_width: int,
    box_height: int,
    size: Callable[[int], tuple[int, int]] | None,
    channel: int,
    row_gap: int,
    sweeps: int | None,
    report: Callable[[str], None],
) -> Layout:
    report("layers")
    nodes, edges = _read_graph(graph)
    n = len(nodes)
    sizes = [(box_width, box_height)] * n if size is None else [size(v) for v in nodes]
    if any(w < 1 or h < 1 for w, h in sizes):
        raise ValueError("every box needs a width and a height of at least 1")
    layer_of, depth = _layers(n, edges)

    report("buses")
    it = _Items(n, edges, layer_of, [h for _w, h in sizes])
    m = len(it.layer)

    report("order")
    root = graph.graph.get("root")
    layer_items = _initial_order(n, it, depth + 1, nodes.index(root) if root in graph else -1)
    if sweeps is None:
        sweeps = 4 if m <= 20_000 else 2 if m <= 150_000 else 1
    _reduce_crossings(layer_items, it.left, it.right, sweeps)

    report("rows")
    ys = _place_rows(layer_items, it, _edge_weights(n, edges, it), row_gap)

    report("routes")
    seg_track = [-1] * len(it.seg_a)  # the track of each bending segment in its channel
    doglegs: dict[int, tuple[int, int]] = {}  # item -> (track of its first leg, its row)
    tracks = [_route_channel(layer_items[layer], ys, it, seg_track, doglegs)
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
            track_x0[layer] = x + 1 + (width - tracks[layer] - 3) // 2
            x += width
    geometry = _Geometry(it, ys, sizes, col_x, col_w, track_x0, seg_track, doglegs)

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


def _read_graph(graph: nx.MultiDiGraph) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Nodes in a topological order that follows the ids, and edges as index triples.

    Edges come sorted by (target, key, source): each node's arguments in order.
    """
    nodes = sorted(graph.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[u], index[v], k) for u, v, k in graph.edges(keys=True)]
    if any(u >= v for u, v, _k in edges):
        # Ids that do not follow the edges: take the smallest-id-first topological order.
        try:
            nodes = list(nx.lexicographical_topological_sort(graph))
        except nx.NetworkXUnfeasible:
            raise ValueError("the graph has a cycle; only a DAG can be laid out") from None
        index = {v: i for i, v in enumerate(nodes)}
        edges = [(index[u], index[v], k) for u, v, k in graph.edges(keys=True)]
    edges.sort(key=lambda e: (e[1], e[2], e[0]))
    return nodes, edges


def _layers(n: int, edges: list[tuple[int, int, int]]) -> tuple[list[int], int]:
    """Each node's layer, as far right as it goes (see the module docstring), and the depth."""
    to_sink = [0] * n  # longest path to a sink
    for u, v, _k in reversed(edges):  # targets descending: v is final before u is read
        if to_sink[v] >= to_sink[u]:
            to_sink[u] = to_sink[v] + 1
    depth = max(to_sink, default=-1)
    return [depth - d for d in to_sink], depth


class _Items:
    """Real nodes ``0 .. n-1`` and the bus items after them, with the segments joining them.

    A segment joins two items in adjacent layers. A node's bus, if any, is one item per
    layer from the next layer to the one before its last user, joined in a line.
    """

    def __init__(
        self, n: int, edges: list[tuple[int, int, int]], layer_of: list[int], heights: list[int]
    ) -> None:
        self.layer = list(layer_of)
        self.h = list(heights)
        self.owner = list(range(n))  # the node whose line an item carries
        self.left: list[list[int]] = [[] for _ in range(n)]  # feeding items, argument order
        self.right: list[list[int]] = [[] for _ in range(n)]
        self.right_seg: list[list[int]] = [[] for _ in range(n)]
        self.seg_a: list[int] = []
        self.seg_b: list[int] = []
        self.seg_in: list[int] = []  # the row of b (from its top) the segment enters
        self.bus_item = [-1] * n  # the first item of each node's bus
        self.bus_len = [0] * n
        self.bus_seg = [-1] * n  # the segment from the node into its bus
        last = [0] * n
        for u, v, _k in edges:
            last[u] = max(last[u], layer_of[v])
        for u in range(n):
            if last[u] - layer_of[u] < 2:
                continue
            self.bus_item[u] = len(self.layer)
            self.bus_len[u] = last[u] - layer_of[u] - 1
            a = u
            for layer in range(layer_of[u] + 1, last[u]):
                b = len(self.layer)
                self.layer.append(layer)
                self.h.append(1)
                self.owner.append(u)
                self.left.append([])
                self.right.append([])
                self.right_seg.append([])
                s = self._link(a, b, 0)
                if a == u:
                    self.bus_seg[u] = s
                a = b
        count = [0] * n
        for _u, v, _k in edges:
            count[v] += 1
        rank = [0] * n
        self.edge_seg: list[int] = []  # the segment entering each edge's target
        for u, v, _k in edges:
            span = layer_of[v] - layer_of[u]
            a = u if span == 1 else self.bus_item[u] + span - 2
            self.edge_seg.append(self._link(a, v, _entry_row(rank[v], count[v], heights[v])))
            rank[v] += 1
        self.exit_off = [(h - 1) // 2 for h in self.h]  # the row edges leave from

    def _link(self, a: int, b: int, entry: int) -> int:
        s = len(self.seg_a)
        self.seg_a.append(a)
        self.seg_b.append(b)
        self.seg_in.append(entry)
        self.right[a].append(b)
        self.left[b].append(a)
        self.right_seg[a].append(s)
        return s


def _entry_row(rank: int, count: int, height: int) -> int:
    """The row (from the box top) where argument number ``rank`` of ``count`` comes in.

    Inside the border, centred, one or two rows apart. A single input uses the middle row,
    where the output leaves; so does every input of a box with under two inner rows. A box
    with fewer inner rows than inputs spreads them evenly, some sharing a row (give a
    collapsed group with k inputs a height of k + 2 to keep them all apart).
    """
    inner = height - 2
    if count <= 1 or inner < 2:
        return (height - 1) // 2
    if inner >= count:
        step = min((inner - 1) // (count - 1), 2)
        return 1 + (inner - 1 - step * (count - 1)) // 2 + step * rank
    return 1 + rank * (inner - 1) // (count - 1)


def _initial_order(n: int, it: _Items, n_layers: int, root: int) -> list[list[int]]:
    """Each layer's items in the order a depth-first walk from the outputs meets them.

    The walk takes the arguments in order, so argument 0's sub-graph lies above argument
    1's and a tree has no crossings. The root goes first, then other outputs by id.
    """
    m = len(it.layer)
    used = bytearray(m)
    for items in it.left:
        for a in items:
            used[a] = 1
    sinks = [i for i in range(n) if not used[i] and i != root]
    if 0 <= root < n and not used[root]:
        sinks.insert(0, root)
    layer_items: list[list[int]] = [[] for _ in range(n_layers)]
    seen = bytearray(m)
    stack = sinks[::-1]
    while stack:
        i = stack.pop()
        if seen[i]:
            continue
        seen[i] = 1
        layer_items[it.layer[i]].append(i)
        for a in reversed(it.left[i]):
            if not seen[a]:
                stack.append(a)
    return layer_items


def _reduce_crossings(
    layer_items: list[list[int]], left: list[list[int]], right: list[list[int]], rounds: int
) -> None:
    """Barycenter sweeps in both directions; keep the order with the fewest crossings.

    An item with no neighbour on the side looked at keeps its relative place; ties keep
    the current order. Each sweep costs O(items + segments), each count O(E log E).
    """
    pos = [0] * len(left)
    for items in layer_items:
        for j, i in enumerate(items):
            pos[i] = j
    n_layers = len(layer_items)

    def crossings() -> int:
        return sum(_crossings(layer_items[i], pos, right) for i in range(n_layers - 1))

    best = crossings()
    best_order = [list(items) for items in layer_items]
    for _ in range(rounds):
        if best == 0:
            break
        improved = False
        for down in (True, False):
            nbrs = left if down else right
            for i in range(1, n_layers) if down else range(n_layers - 2, -1, -1):
                items = layer_items[i]
                ref = len(layer_items[i - 1 if down else i + 1])
                size = len(items)
                keyed = []
                for j, item in enumerate(items):
                    ns = nbrs[item]
                    if ns:
                        total = 0
                        for a in ns:
                            total += pos[a]
                        keyed.append(((total / len(ns) + 0.5) / ref, j, item))
                    else:
                        keyed.append(((j + 0.5) / size, j, item))
                keyed.sort()
                for j, (_bary, _j, item) in enumerate(keyed):
                    items[j] = item
                    pos[item] = j
            count = crossings()
            if count < best:
                best = count
                best_order = [list(items) for items in layer_items]
                improved = True
        if not improved:
            break
    for i, items in enumerate(best_order):
        layer_items[i][:] = items


def _crossings(items: list[int], pos: list[int], right: list[list[int]]) -> int:
    """Crossings between a layer and the next: inversions among the edges' lower ends."""
    seq: list[int] = []
    for i in items:
        ends = right[i]
        if len(ends) == 1:
            seq.append(pos[ends[0]])
        elif ends:
            seq.extend(sorted(pos[b] for b in ends))
    if len(seq) < 2:
        return 0
    count = 0
    if len(seq) <= 4000:  # insertion into a sorted list: memmove beats a Fenwick tree here
        seen: list[int] = []
        for j, p in enumerate(seq):
            count += j - bisect.bisect_right(seen, p)
            bisect.insort(seen, p)
        return count
    size = max(seq) + 2
    tree = [0] * (size + 1)
    for j, p in enumerate(seq):
        i = p + 1
        below = 0
        while i > 0:
            below += tree[i]
            i -= i & -i
        count += j - below
        i = p + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return count


def _edge_weights(n: int, edges: list[tuple[int, int, int]], it: _Items) -> list[int]:
    """How hard each segment pulls its ends into line: the depth of what it feeds.

    A node feeding a deep computation (a long chain of sums) outweighs a small operand, so
    the chain runs straight and the operand bends; a bus pulls twice as hard as its
    deepest user, so long lines stay straight.
    """
    behind = [0] * n  # longest path from a leaf
    for u, v, _k in edges:  # sorted by target; every source comes before its target
        if behind[u] >= behind[v]:
            behind[v] = behind[u] + 1
    bus = [0] * n
    for u, v, _k in edges:
        bus[u] = max(bus[u], 2 * (behind[v] + 1))
    return [behind[b] + 1 if b < n else bus[it.owner[b]] for b in it.seg_b]


def _place_rows(
    layer_items: list[list[int]], it: _Items, seg_w: list[int], gap: int
) -> list[int]:
    """The top row of every item: stacked in order, then pulled toward its neighbours.

    Each item wants the row that makes its edges straight: the weighted median, over its
    edges on both sides, of the row lining that edge up. Each layer in turn then takes the
    rows closest to those wishes that keep its order and gaps (isotonic regression by
    pool-adjacent-violators), sweeping left to right and back until nothing moves.
    """
    m = len(it.h)
    h = it.h
    ys = [0] * m
    for items in layer_items:
        y = 0
        for i in items:
            ys[i] = y
            y += h[i] + gap
    # Each item's edges as (other item, offset, weight): straight when ys[i] == ys[o] + d.
    nbrs: list[list[tuple[int, int, int]]] = [[] for _ in range(m)]
    for s, (a, b) in enumerate(zip(it.seg_a, it.seg_b, strict=True)):
        d = it.exit_off[a] - it.seg_in[s]
        nbrs[a].append((b, -d, seg_w[s]))
        nbrs[b].append((a, d, seg_w[s]))
    total_w = [sum(w for _o, _d, w in nb) or 0.01 for nb in nbrs]
    n_layers = len(layer_items)
    sweep = list(range(1, n_layers)) + list(range(n_layers - 2, -1, -1))
    for _ in range(_PASSES):
        before = list(ys)
        for layer in sweep:
            items = layer_items[layer]
            wishes: list[float] = []
            for i in items:
                nb = nbrs[i]
                if len(nb) == 1:
                    o, d, _w = nb[0]
                    wishes.append(ys[o] + d)
                elif len(nb) == 2:
                    (o1, d1, w1), (o2, d2, w2) = nb
                    v1, v2 = ys[o1] + d1, ys[o2] + d2
                    wishes.append(v1 if w1 > w2 else v2 if w2 > w1 else (v1 + v2) / 2)
                elif nb:
                    pairs = sorted([(ys[o] + d, w) for o, d, w in nb])
                    wishes.append(_weighted_median(pairs, total_w[i]))
                else:
                    wishes.append(ys[i])
            _isotonic(items, wishes, [total_w[i] for i in items], h, gap, ys)
        if ys == before:
            break
    top = min(ys, default=0)
    return [y - top for y in ys] if top else ys


def _weighted_median(pairs: list[tuple[float, float]], total: float) -> float:
    """The weighted median of ``(value, weight)`` pairs sorted by value, weights summing to
    ``total``; an exact tie takes the midpoint."""
    if len(pairs) == 1:
        return pairs[0][0]
    half = total / 2
    acc = 0.0
    for j, (v, w) in enumerate(pairs):
        acc += w
        if acc > half:
            return v
        if acc == half:
            return (v + pairs[j + 1][0]) / 2
    return pairs[-1][0]


def _isotonic(
    items: list[int], wishes: list[float], weights: list[float], h: list[int], gap: int,
    ys: list[int],
) -> None:
    """Set the rows of one layer's items: closest to their wishes, in order, ``gap`` apart.

    With offsets taking out the heights and gaps, "in order" becomes "non-decreasing":
    pool adjacent violators into blocks. A block sits at the weighted median of its
    members' wishes, so in a conflict the heavier side keeps its straight edge rather than
    both bending (a block past ``_MEDIAN_CAP`` members takes the mean, in constant time).
    """
    offsets: list[int] = []
    off = 0
    for i in items:
        offsets.append(off)
        off += h[i] + gap
    b_val: list[float] = []
    b_mem: list[list[tuple[float, float]] | None] = []  # None: too big, use the mean
    b_sum: list[float] = []
    b_w: list[float] = []
    b_n: list[int] = []
    for j in range(len(items)):
        w = weights[j]
        val = wishes[j] - offsets[j]
        mem: list[tuple[float, float]] | None = [(val, w)]
        tot, wt, count = val * w, w, 1
        while b_val and b_val[-1] >= val:
            prev = b_mem.pop()
            tot += b_sum.pop()
            wt += b_w.pop()
            count += b_n.pop()
            b_val.pop()
            if prev is not None and mem is not None and count <= _MEDIAN_CAP:
                mem = sorted(prev + mem)
                val = _weighted_median(mem, wt)
            else:
                mem = None
                val = tot / wt
        b_val.append(val)
        b_mem.append(mem)
        b_sum.append(tot)
        b_w.append(wt)
        b_n.append(count)
    j = 0
    for val, count in zip(b_val, b_n, strict=True):
        z = int(val + 0.5) if val >= 0 else -int(-val + 0.5)  # round half away from zero
        for _ in range(count):
            ys[items[j]] = z + offsets[j]
            j += 1


def _route_channel(
    items: list[int],
    ys: list[int],
    it: _Items,
    seg_track: list[int],
    doglegs: dict[int, tuple[int, int]],
) -> int:
    """Give the bending edges leaving one layer their tracks; return the number of tracks.

    The edges of one source share a track (a trunk). Sources whose vertical spans meet get
    different tracks. A source's exit line must end left of the track of any other edge
    entering in that same row, or the two horizontal lines would run into each other; when
    those rules go round in a circle (two edges crossing as an X whose rows line up), one
    source takes a dogleg: its exit line turns along a first track to a free row, runs
    right along that row, and reaches its targets from a second track further right. Among
    the rest, an edge going down from higher up (or up from lower down) gets the track
    further right: edges that need not cross, don't.

    Fills ``seg_track`` for the bending segments (the track their branch leaves from) and
    ``doglegs[item] = (track of the first leg, free row)`` for the sources needing one.
    """
    lo: list[int] = []
    hi: list[int] = []
    exit_row: list[int] = []  # the row the net's vertical starts from
    net_item: list[int] = []
    branches: list[list[int]] = []
    busy: set[int] = set()  # rows with a horizontal line in this channel
    for i in items:
        segs = it.right_seg[i]
        if not segs:
            continue
        y0 = ys[i] + it.exit_off[i]
        busy.add(y0)
        rows: list[int] = []
        for s in segs:
            y1 = ys[it.seg_b[s]] + it.seg_in[s]
            busy.add(y1)
            if y1 != y0:
                rows.append(y1)
        if rows:
            lo.append(min(y0, min(rows)))
            hi.append(max(y0, max(rows)))
            exit_row.append(y0)
            net_item.append(i)
            branches.append(rows)
    k = len(lo)
    if not k:
        return 0
    exit_net = {y0: j for j, y0 in enumerate(exit_row)}
    succ: list[list[int]] = [[] for _ in range(k)]  # succ[a]: nets whose track is right of a's
    pred: list[list[int]] = [[] for _ in range(k)]
    for j, rows in enumerate(branches):
        for r in rows:
            a = exit_net.get(r)
            if a is not None and a != j:
                succ[a].append(j)
                pred[j].append(a)
    indeg = [len(p) for p in pred]
    first_leg: dict[int, int] = {}  # net -> the net carrying its exit to the dogleg row
    track = [-1] * (2 * k)

    def priority(j: int) -> tuple[int, int]:
        y0 = exit_row[j]
        return (-y0 if hi[j] - y0 >= y0 - lo[j] else y0, j)

    def dogleg(j: int) -> bool:
        """Split net ``j`` at a free row near its exit; False if there is none."""
        y0 = exit_row[j]
        step = 1 if hi[j] - y0 >= y0 - lo[j] else -1
        reach = hi[j] - lo[j] + 8  # toward the targets first, then the other way
        rows = [y0 + step * d for d in range(1, reach)] + [y0 - step * d for d in range(1, 8)]
        row = next((r for r in rows if r not in busy), None)
        if row is None:
            return False
        busy.add(row)
        f = len(lo)  # the first leg: from the exit row to the free row, left of all it blocks
        lo.append(min(y0, row))
        hi.append(max(y0, row))
        exit_row.append(y0)
        net_item.append(-1)
        succ.append(succ[j] + [j])
        pred.append([])
        indeg.append(0)
        for c in succ[j]:
            pred[c] = [f if p == j else p for p in pred[c]]
        succ[j] = []
        pred[j].append(f)
        indeg[j] += 1
        lo[j] = min(row, min(branches[j]))
        hi[j] = max(row, max(branches[j]))
        exit_row[j] = row
        first_leg[j] = f
        pending.append(f)
        pending.sort(key=priority)
        return True

    def on_cycle(j: int) -> int:
        seen: set[int] = set()
        while j not in seen:
            seen.add(j)
            j = next(p for p in pred[j] if track[p] < 0)
        return j

    pending = sorted(range(k), key=priority)
    t = 0
    while pending:  # fill track t with what may go there, in priority order
        starts: list[int] = []
        ends: list[int] = []
        placed: list[int] = []
        rest: list[int] = []
        for j in pending:
            if indeg[j] <= 0:
                p = bisect.bisect_left(starts, lo[j])
                if (p == 0 or ends[p - 1] < lo[j]) and (p == len(starts) or starts[p] > hi[j]):
                    starts.insert(p, lo[j])
                    ends.insert(p, hi[j])
                    track[j] = t
                    placed.append(j)
                    continue
            rest.append(j)
        pending = rest
        if not placed:  # every net waits for another: a circle
            j = on_cycle(rest[0])
            if j in first_leg or not dogleg(j):
                indeg[j] = 0  # no free row: let two lines touch rather than fail
            continue
        for j in placed:
            for c in succ[j]:
                indeg[c] -= 1
        t += 1
    for j in range(k):
        i = net_item[j]
        y0 = ys[i] + it.exit_off[i]
        for s in it.right_seg[i]:
            if ys[it.seg_b[s]] + it.seg_in[s] != y0:
                seg_track[s] = track[j]
        if j in first_leg:
            doglegs[i] = (track[first_leg[j]], exit_row[j])
    return t


class _Geometry:
    """Items placed in cells: draws the lines of the edge layer and the route of each edge."""

    def __init__(
        self,
        it: _Items,
        ys: list[int],
        sizes: list[tuple[int, int]],
        col_x: list[int],
        col_w: list[int],
        track_x0: list[int],
        seg_track: list[int],
        doglegs: dict[int, tuple[int, int]],
    ) -> None:
        self.it, self.ys, self.sizes = it, ys, sizes
        self.col_x, self.col_w, self.track_x0 = col_x, col_w, track_x0
        self.seg_track, self.doglegs = seg_track, doglegs

    def start_x(self, i: int) -> int:
        """The first cell right of an item (a bus item spans its whole column)."""
        layer = self.it.layer[i]
        w = self.sizes[i][0] if i < len(self.sizes) else self.col_w[layer]
        return self.col_x[layer] + w

    def lines(self, layer_items: list[list[int]], depth: int) -> _LineIndex:
        """Every line once: a source's exit, trunk and branches; each bus item's stretch."""
        it, ys = self.it, self.ys
        n = len(self.sizes)
        index = _LineIndex()
        for layer in range(depth):
            end_x = self.col_x[layer + 1] - 1  # the arrowhead column of this channel
            for i in layer_items[layer]:
                if not it.right_seg[i]:
                    continue
                net = it.owner[i]
                y0 = ys[i] + it.exit_off[i]
                reach = self.start_x(i)
                lo = hi = y0
                col = -1
                dog = self.doglegs.get(i)
                if dog is not None:  # the first leg, to the free row
                    first = self.track_x0[layer] + dog[0]
                    index.vertical(first, min(y0, dog[1]), max(y0, dog[1]), net)
                    reach = first
                    lo = hi = dog[1]
                for s in it.right_seg[i]:
                    b = it.seg_b[s]
                    y1 = ys[b] + it.seg_in[s]
                    if b < n:
                        index.heads.setdefault(y1, []).append(end_x)
                    if self.seg_track[s] < 0:  # straight across the channel
                        reach = end_x
                        continue
                    col = self.track_x0[layer] + self.seg_track[s]
                    lo, hi = min(lo, y1), max(hi, y1)
                    index.horizontal(y1, col, end_x, net)
                if dog is not None:
                    index.horizontal(dog[1], first, col, net)
                elif col >= 0:
                    reach = max(reach, col)
                index.horizontal(y0, self.start_x(i), reach, net)
                if col >= 0:
                    index.vertical(col, lo, hi, net)
        for i in range(n, len(it.layer)):  # bus items: straight through their column
            x = self.col_x[it.layer[i]]
            index.horizontal(ys[i], x, x + self.col_w[it.layer[i]] - 1, it.owner[i])
        return index

    def hop(self, pts: list[tuple[int, int]], y: int, s: int) -> int:
        """Add the corners of segment ``s``, left at row ``y``; return the row it enters."""
        it = self.it
        y1 = self.ys[it.seg_b[s]] + it.seg_in[s]
        if self.seg_track[s] >= 0:
            x0 = self.track_x0[it.layer[it.seg_a[s]]]
            dog = self.doglegs.get(it.seg_a[s])
            if dog is not None:
                pts.append((x0 + dog[0], y))
                y = dog[1]
                pts.append((x0 + dog[0], y))
            pts.append((x0 + self.seg_track[s], y))
            pts.append((x0 + self.seg_track[s], y1))
        return y1

    def routes(
        self, nodes: list[int], edges: list[tuple[int, int, int]]
    ) -> tuple[list[EdgeRoute], dict[int, list[EdgeRoute]]]:
        """Each edge's polyline, sorted by (source, target, key), and the routes by node.

        Corners come in horizontal-vertical pairs, so no three points are ever in a line.
        A bus is walked once; an edge copies its corners up to where it leaves the bus.
        """
        it, ys = self.it, self.ys
        walked: dict[int, tuple[list[tuple[int, int]], list[int], list[int]]] = {}
        for u in range(len(nodes)):
            if it.bus_item[u] < 0:
                continue
            pts = [(self.start_x(u), ys[u] + it.exit_off[u])]
            lengths, rows = [1], [pts[0][1]]
            for s in range(it.bus_seg[u], it.bus_seg[u] + it.bus_len[u]):
                rows.append(self.hop(pts, rows[-1], s))
                lengths.append(len(pts))
            walked[u] = (pts, lengths, rows)
        routes: list[EdgeRoute] = []
        into: dict[int, list[EdgeRoute]] = {}
        out_of: dict[int, list[EdgeRoute]] = {}
        for e, (u, v, k) in enumerate(edges):
            span = it.layer[v] - it.layer[u]
            if span == 1:
                y = ys[u] + it.exit_off[u]
                pts = [(self.start_x(u), y)]
            else:
                bus_pts, lengths, rows = walked[u]
                pts = bus_pts[: lengths[span - 1]]
                y = rows[span - 1]
            y = self.hop(pts, y, it.edge_seg[e])
            pts.append((self.col_x[it.layer[v]] - 1, y))
            route = EdgeRoute(nodes[u], nodes[v], k, pts)
            routes.append(route)
            into.setdefault(nodes[v], []).append(route)
            out_of.setdefault(nodes[u], []).append(route)
        for node, out in out_of.items():
            into.setdefault(node, []).extend(out)
        routes.sort(key=lambda r: (r.source, r.target, r.key))
        return routes, into
