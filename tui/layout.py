"""Graph -> character cells: where each box goes and how each edge runs, for the canvas.

A layered (Sugiyama) drawing, left to right like the Graphviz pictures of micrograd: inputs
on the left, the output on the right, every edge an orthogonal line of box-drawing
characters from a box's right side into the next box's left side. Pure: no Textual, no Rich,
nothing but NetworkX for the graph, so the canvas only paints and the whole thing is tested
without a terminal. Every step is iterative (a chain of a million nodes does not recurse).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([(0, 2, 0), (1, 2, 1)])       # c = a * b
    >>> lay = compute_layout(g, box_width=6, box_height=4)
    >>> [lay.boxes[n].layer for n in (0, 1, 2)]
    [0, 0, 1]
    >>> lay.edge_row(lay.boxes[0].y + 1, 6, 10)            # a's edge, straight into c
    '───▶'

Coordinates are character cells: ``x`` is the column, ``y`` the row, ``(0, 0)`` the top left
corner of the drawing. A box covers the cells ``x .. x+width-1`` by ``y .. y+height-1``
(borders included). Edges never enter a box: a route starts in the cell just right of its
source box and ends in the cell just left of its target box, where the arrowhead is drawn.

The steps (see ``compute_layout``):

1. **Layers.** Each node goes as far right as it can: the sinks (the output) take the last
   layer and every other node sits one layer before its *first* (leftmost) user, i.e. layer
   = depth - (longest path from the node to a sink). So an input or a constant sits right
   before the op that uses it, a sub-expression is computed just in time, and an expression
   tree has no edge longer than one layer. (Layering by longest path from the inputs instead
   would put the 500 products of a long sum in one column, each with an edge hundreds of
   layers long.)
2. **Dummies.** An edge spanning several layers gets one virtual point per crossed layer: a
   one-row item that the line runs straight through.
3. **Order.** Start from a depth-first walk from the output that visits argument 0 before
   argument 1 (so ``a`` is drawn above ``b``, and a tree has no crossings), then a few
   barycenter sweeps right-to-left and left-to-right, ties kept in the current order;
   the ordering with the fewest crossings wins.
4. **Rows.** Items are stacked in their layer in that order with a gap; a few passes move
   each item toward the rows of its neighbours (weighted least squares under the order and
   gap constraints, solved exactly per layer by pool-adjacent-violators), so most edges come
   out straight.
5. **Routes.** Between two layers runs a channel. An edge leaves its source from the middle
   row, runs right to a vertical track, along it to the entry row and right into the target
   (argument 0 enters above argument 1 when the box has room). The edges of one source share
   a track (a trunk with branches); sources whose vertical spans overlap get different
   tracks, ordered to avoid crossings, and the channel is as wide as its tracks need.

Drawing (``Layout.edge_row``): lines are ``─ │``, bends and branch points ``┌ ┐ └ ┘ ├ ┤ ┬ ┴
┼`` (these only ever join lines of the *same* source). Where lines of two *different*
sources cross, the horizontal line is drawn over the vertical one (``─`` breaking the
``│``), so a crossing never looks like a junction. ``▶`` marks the cell before a target box.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["ARROW", "Box", "EdgeRoute", "Layout", "compute_layout"]

#: The arrowhead drawn in the cell just left of a target box.
ARROW = "▶"

# Arms of a cell, for choosing the box-drawing character of a join.
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

#: Sweeps of the row placement (each left to right and back).
_PASSES = 3
#: Largest block whose row is a weighted median (larger ones use the mean, to stay linear).
_MEDIAN_CAP = 8
#: Rows per bucket of the vertical-segment index.
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
    layer: int
    order: int  # position in its layer, top to bottom (real nodes only)

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
    """One edge ``source -> target`` (argument ``key``) as an orthogonal polyline.

    ``points`` are the corners, in order, from the cell just right of the source box to the
    cell just left of the target box (the arrowhead); consecutive points share a row or a
    column and no three in a row are collinear.
    """

    source: int
    target: int
    key: int
    points: list[tuple[int, int]]

    def cells(self) -> Iterator[tuple[int, int]]:
        """Every cell the route covers, in order (for highlighting one edge)."""
        px, py = self.points[0]
        yield px, py
        for qx, qy in self.points[1:]:
            dx = (qx > px) - (qx < px)
            dy = (qy > py) - (qy < py)
            while (px, py) != (qx, qy):
                px += dx
                py += dy
                yield px, py


@dataclass(eq=False)
class _RowIndex:
    """What the edge layer draws, indexed so one row costs only what touches it.

    Built once by ``compute_layout``; each row's lists are sorted on first use.
    """

    hruns: dict[int, list[tuple[int, int, int]]]  # row -> [(x0, x1 inclusive, net)]
    vblocks: dict[int, list[tuple[int, int, int, int]]]  # row >> shift -> [(x, y0, y1, net)]
    arrows: dict[int, list[int]]  # row -> columns of arrowheads
    ready_rows: dict[int, tuple[list[int], list[int], list[tuple[int, int, int]]]] = field(
        default_factory=dict
    )
    ready_blocks: dict[int, tuple[list[int], list[tuple[int, int, int, int]]]] = field(
        default_factory=dict
    )

    def row(self, y: int) -> tuple[list[int], list[int], list[tuple[int, int, int]]]:
        """Row ``y``'s runs merged and sorted, with starts and a running max of ends."""
        ready = self.ready_rows.get(y)
        if ready is None:
            runs = sorted(self.hruns.get(y, ()))
            merged: list[tuple[int, int, int]] = []
            for a, b, net in runs:
                # Touching or overlapping runs of one net are one line.
                for i in range(len(merged) - 1, max(-1, len(merged) - 4), -1):
                    pa, pb, pnet = merged[i]
                    if pnet == net and a <= pb + 1:
                        merged[i] = (pa, max(pb, b), net)
                        break
                else:
                    merged.append((a, b, net))
            merged.sort()
            starts = [r[0] for r in merged]
            reach: list[int] = []
            far = -1
            for r in merged:
                far = max(far, r[1])
                reach.append(far)
            ready = (starts, reach, merged)
            self.ready_rows[y] = ready
        return ready

    def block(self, b: int) -> tuple[list[int], list[tuple[int, int, int, int]]]:
        ready = self.ready_blocks.get(b)
        if ready is None:
            segs = sorted(self.vblocks.get(b, ()))
            ready = ([s[0] for s in segs], segs)
            self.ready_blocks[b] = ready
        return ready


@dataclass
class Layout:
    """Boxes and edge routes of one graph, with fast look-ups for drawing a viewport."""

    boxes: dict[int, Box]
    edges: list[EdgeRoute]
    width: int
    height: int
    layers: list[list[int]]  # real nodes of each layer, top to bottom
    _index: _RowIndex = field(repr=False, compare=False)
    _col_x: list[int] = field(repr=False, compare=False)  # first column of each layer
    _col_w: list[int] = field(repr=False, compare=False)
    _by_node: dict[int, list[EdgeRoute]] = field(repr=False, compare=False)

    # --- drawing ---------------------------------------------------------------------------

    def edge_row(self, y: int, x0: int, x1: int) -> str:
        """The edge layer's characters in row ``y``, columns ``x0 .. x1-1`` (spaces elsewhere).

        Costs in proportion to the lines touching this stretch of the row, not the graph.
        """
        n = x1 - x0
        if n <= 0:
            return ""
        buf = [" "] * n
        index = self._index
        starts, reach, runs = index.row(y)
        visible: list[tuple[int, int, int]] = []
        if runs:
            i = bisect.bisect_left(reach, x0)  # first run that may reach into view
            end = bisect.bisect_left(starts, x1)
            for a, b, net in runs[i:end]:
                if b < x0:
                    continue
                lo = a if a > x0 else x0
                hi = b if b < x1 - 1 else x1 - 1
                buf[lo - x0 : hi - x0 + 1] = _HLINE * (hi - lo + 1)
                visible.append((a, b, net))
        xs, segs = index.block(y >> _BLOCK_SHIFT)
        if segs:
            i = bisect.bisect_left(xs, x0)
            end = bisect.bisect_left(xs, x1)
            cells: dict[int, list[tuple[int, int]]] = {}
            for x, top, bot, net in segs[i:end]:
                if top <= y <= bot:
                    arms = (_UP if y > top else 0) | (_DOWN if y < bot else 0)
                    cells.setdefault(x, []).append((net, arms))
            for x, found in cells.items():
                for a, b, net in visible:
                    if a <= x <= b:
                        found.append((net, (_LEFT if x > a else 0) | (_RIGHT if x < b else 0)))
                buf[x - x0] = _cell_char(found)
        for x in index.arrows.get(y, ()):
            if x0 <= x < x1:
                buf[x - x0] = ARROW
        return "".join(buf)

    def boxes_in(self, y0: int, y1: int, x0: int, x1: int) -> list[Box]:
        """The boxes meeting rows ``y0 .. y1-1`` and columns ``x0 .. x1-1``, left to right."""
        found: list[Box] = []
        col_x, col_w = self._col_x, self._col_w
        first = max(0, bisect.bisect_right(col_x, x0) - 1)
        for layer in range(first, len(col_x)):
            if col_x[layer] >= x1:
                break
            if col_x[layer] + col_w[layer] <= x0:
                continue
            column = [self.boxes[node] for node in self.layers[layer]]
            lo, hi = 0, len(column)
            while lo < hi:  # first box whose bottom is below y0 (bottoms increase)
                mid = (lo + hi) // 2
                if column[mid].bottom <= y0:
                    lo = mid + 1
                else:
                    hi = mid
            for box in column[lo:]:
                if box.y >= y1:
                    break
                if box.x < x1 and box.right > x0:
                    found.append(box)
        return found

    # --- edges and neighbours --------------------------------------------------------------

    def edges_of(self, node: int) -> list[EdgeRoute]:
        """The routes into ``node`` (by argument), then those out of it (for highlighting)."""
        return self._by_node.get(node, [])

    def move(self, node: int, direction: str) -> int | None:
        """The node a key press moves the selection to, or None at the edge of the drawing.

        ``left``/``right`` (or ``h``/``l``): the box in the previous/next non-empty layer
        nearest in height; ``up``/``down`` (``k``/``j``): the box above/below in this layer.
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
        mid2 = 2 * box.y + box.height  # twice the centre row, to stay in integers
        best, best_d = None, None
        for other in self.layers[layer]:
            b = self.boxes[other]
            d = abs(2 * b.y + b.height - mid2)
            if best_d is None or d < best_d:
                best, best_d = other, d
            elif b.y * 2 > mid2:
                break  # boxes are sorted by y: the rest are only further away
        return best


def _cell_char(found: list[tuple[int, int]]) -> str:
    """One cell where lines meet: a join within one source, a crossing between two."""
    first = found[0][0]
    arms = 0
    for _net, a in found:
        arms |= a
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

    ``graph``: nodes are ints, an edge ``u -> v`` with key ``k`` says ``u`` is argument ``k``
    of ``v`` (parallel edges allowed: ``x * x``); it must be acyclic. Every box is
    ``box_width`` x ``box_height`` cells unless ``size(node)`` gives ``(w, h)``. ``channel``
    is the least number of columns between two layers (more when the edges need tracks);
    ``row_gap`` the least number of blank rows between two boxes of a layer. ``sweeps``
    bounds the crossing-reduction rounds (default: by graph size). ``progress`` is called
    with the name of each stage (a worker can report it, or raise to abandon the layout).

    The result depends only on the structure and the order of the ids: relabelling the
    nodes in an order-preserving way gives the same layout with the new labels.
    """
    report = progress or (lambda stage: None)
    report("layers")
    nodes, edges = _read_graph(graph)
    n = len(nodes)
    sizes = [(box_width, box_height)] * n if size is None else [size(v) for v in nodes]

    # 1. Layers: as far right as possible (see the module docstring).
    children: list[list[int]] = [[] for _ in range(n)]
    for u, v, _k in edges:
        children[u].append(v)
    dist = [0] * n
    for i in range(n - 1, -1, -1):
        d = 0
        for c in children[i]:
            if dist[c] >= d:
                d = dist[c] + 1
        dist[i] = d
    depth = max(dist) if n else -1
    layer_of = [depth - d for d in dist]

    # 2. Items: the real nodes 0..n-1, then the dummies. A node whose edges reach past the
    #    next layer gets one dummy in each layer up to its last user, shared by all those
    #    edges (a bus: one line with a branch at each user, not one line per edge). A
    #    segment joins two items in adjacent layers.
    report("dummies")
    item_layer = list(layer_of)
    item_h = [h for _w, h in sizes]
    owner = list(range(n))  # the real node whose line an item carries
    left: list[list[int]] = [[] for _ in range(n)]  # items feeding each item, argument order
    right: list[list[int]] = [[] for _ in range(n)]
    right_seg: list[list[int]] = [[] for _ in range(n)]
    seg_a: list[int] = []
    seg_b: list[int] = []
    seg_in: list[int] = []  # entry row offset into item b

    def link(a: int, b: int, off: int) -> int:
        s = len(seg_a)
        seg_a.append(a)
        seg_b.append(b)
        seg_in.append(off)
        right[a].append(b)
        left[b].append(a)
        right_seg[a].append(s)
        return s

    bus_item = [-1] * n  # first dummy of each node's bus
    bus_len = [0] * n  # its number of dummies
    bus_seg = [-1] * n  # first segment of each node's bus
    for u in range(n):
        last = max((layer_of[v] for v in children[u]), default=0)
        if last - layer_of[u] < 2:
            continue
        bus_item[u] = len(item_layer)
        bus_len[u] = last - layer_of[u] - 1
        a = u
        for layer in range(layer_of[u] + 1, last):
            b = len(item_layer)
            item_layer.append(layer)
            item_h.append(1)
            owner.append(u)
            left.append([])
            right.append([])
            right_seg.append([])
            s = link(a, b, 0)
            if a == u:
                bus_seg[u] = s
            a = b
    in_count = [0] * n
    for _u, v, _k in edges:
        in_count[v] += 1
    in_rank = [0] * n
    edge_seg: list[int] = []  # the segment entering each edge's target
    for u, v, _k in edges:
        span = layer_of[v] - layer_of[u]
        a = u if span == 1 else bus_item[u] + span - 2
        edge_seg.append(link(a, v, _entry_offset(in_rank[v], in_count[v], item_h[v])))
        in_rank[v] += 1
    m = len(item_layer)
    exit_off = [(h - 1) // 2 for h in item_h]  # dummies: 0

    # 3. Order within layers.
    report("order")
    layer_items = _initial_order(graph, nodes, item_layer, left, depth + 1)
    pos = [0] * m
    for items in layer_items:
        for i, it in enumerate(items):
            pos[it] = i
    if sweeps is None:
        sweeps = 4 if m <= 20_000 else 2 if m <= 150_000 else 1
    _reduce_crossings(layer_items, pos, left, right, sweeps)

    # 4. Rows.
    report("rows")
    asap = [0] * n  # longest path from a leaf: how much stands behind a node
    for u, v, _k in edges:  # sorted by target, and every source comes before its target
        if asap[u] >= asap[v]:
            asap[v] = asap[u] + 1
    pull = [asap[owner[it]] + 1 for it in range(m)]
    bus_w = [0] * n
    for u, v, _k in edges:
        if asap[v] >= bus_w[u]:
            bus_w[u] = 2 * (asap[v] + 1)
    seg_w = [pull[b] if b < n else bus_w[owner[b]] for b in seg_b]
    ys = _place_rows(layer_items, item_h, exit_off, seg_a, seg_b, seg_in, seg_w, row_gap)

    # 5. Channels: tracks, then columns.
    report("routes")
    seg_track = [-1] * len(seg_a)  # track index of each bending segment in its channel
    doglegs: dict[int, tuple[int, int]] = {}  # item -> (track of its first leg, row)
    tracks_needed: list[int] = []
    for layer in range(depth):
        tracks_needed.append(_route_channel(layer_items[layer], ys, exit_off, seg_b, seg_in,
                                            right_seg, seg_track, doglegs))
    col_w = [1] * (depth + 1)
    for i in range(n):
        if sizes[i][0] > col_w[item_layer[i]]:
            col_w[item_layer[i]] = sizes[i][0]
    col_x = [0] * (depth + 1)
    chan_w = [max(channel, t + 3) for t in tracks_needed]
    track_x0 = [0] * depth  # column of track 0 in each channel
    x = 0
    for layer in range(depth + 1):
        col_x[layer] = x
        x += col_w[layer]
        if layer < depth:
            t = tracks_needed[layer]
            track_x0[layer] = x + 1 + (chan_w[layer] - t - 3) // 2
            x += chan_w[layer]
    width = x

    # Boxes.
    boxes: dict[int, Box] = {}
    layers: list[list[int]] = []
    for layer, items in enumerate(layer_items):
        column: list[int] = []
        for it in items:
            if it < n:
                w, h = sizes[it]
                boxes[nodes[it]] = Box(nodes[it], col_x[layer], ys[it], w, h, layer,
                                       len(column))
                column.append(nodes[it])
        layers.append(column)
    height = max((ys[it] + item_h[it] for it in range(m)), default=0)

    # Segments for drawing, and the routes.
    report("index")
    hruns: dict[int, list[tuple[int, int, int]]] = {}
    vblocks: dict[int, list[tuple[int, int, int, int]]] = {}
    arrows: dict[int, list[int]] = {}

    def start_x(it: int) -> int:
        return col_x[item_layer[it]] + (sizes[it][0] if it < n else col_w[item_layer[it]])

    def add_h(row: int, a: int, b: int, net: int) -> None:
        hruns.setdefault(row, []).append((min(a, b), max(a, b), net))

    def add_v(col: int, lo: int, hi: int, net: int) -> None:
        for blk in range(lo >> _BLOCK_SHIFT, (hi >> _BLOCK_SHIFT) + 1):
            vblocks.setdefault(blk, []).append((col, lo, hi, net))

    for layer in range(depth):
        end_x = col_x[layer + 1] - 1  # the arrow column of this channel
        for it in layer_items[layer]:
            segs = right_seg[it]
            if not segs:
                continue
            net = owner[it]
            y0 = ys[it] + exit_off[it]
            x0 = start_x(it)
            reach = x0
            lo = hi = y0
            col = -1
            dog = doglegs.get(it)
            if dog is not None:  # first leg down (or up) to a free row, then right along it
                first = track_x0[layer] + dog[0]
                lo = hi = dog[1]
                add_v(first, min(y0, dog[1]), max(y0, dog[1]), net)
                reach = first
            for s in segs:
                b = seg_b[s]
                y1 = ys[b] + seg_in[s]
                if b < n:
                    arrows.setdefault(y1, []).append(end_x)
                if seg_track[s] < 0:
                    reach = end_x
                    continue
                col = track_x0[layer] + seg_track[s]
                lo = min(lo, y1)
                hi = max(hi, y1)
                add_h(y1, col, end_x, net)
            if dog is not None:
                add_h(dog[1], first, col, net)
            elif col >= 0:
                reach = max(reach, col)
            add_h(y0, x0, reach, net)
            if col >= 0:
                add_v(col, lo, hi, net)
    for it in range(n, m):  # dummies: a straight line through their column
        layer = item_layer[it]
        add_h(ys[it], col_x[layer], col_x[layer] + col_w[layer] - 1, owner[it])

    def hop(pts: list[tuple[int, int]], y: int, s: int, layer: int) -> int:
        """Add the corners of segment ``s`` (leaving at row ``y``); return the row reached."""
        y1 = ys[seg_b[s]] + seg_in[s]
        if seg_track[s] >= 0:
            dog = doglegs.get(seg_a[s])
            if dog is not None:
                first = track_x0[layer] + dog[0]
                pts.append((first, y))
                y = dog[1]
                pts.append((first, y))
            col = track_x0[layer] + seg_track[s]
            pts.append((col, y))
            pts.append((col, y1))
        return y1

    # A bus is walked once; each edge copies the corners up to where it leaves the bus.
    # (Corners come in horizontal/vertical pairs, so no three are ever in a line.)
    bus_pts: dict[int, tuple[list[tuple[int, int]], list[int], list[int]]] = {}
    for u in range(n):
        if bus_item[u] < 0:
            continue
        pts = [(start_x(u), ys[u] + exit_off[u])]
        lengths = [1]
        rows = [pts[0][1]]
        y = rows[0]
        s = bus_seg[u]
        for layer in range(layer_of[u], layer_of[u] + bus_len[u]):
            y = hop(pts, y, s, layer)
            lengths.append(len(pts))
            rows.append(y)
            s += 1
        bus_pts[u] = (pts, lengths, rows)

    routes: list[EdgeRoute] = []
    by_node: dict[int, list[EdgeRoute]] = {}
    outs: dict[int, list[EdgeRoute]] = {}
    for e, (u, v, k) in enumerate(edges):
        span = layer_of[v] - layer_of[u]
        if span == 1:
            y = ys[u] + exit_off[u]
            pts = [(start_x(u), y)]
        else:
            bpts, lengths, rows = bus_pts[u]
            pts = bpts[: lengths[span - 1]]
            y = rows[span - 1]
        y = hop(pts, y, edge_seg[e], layer_of[v] - 1)
        pts.append((col_x[layer_of[v]] - 1, y))
        route = EdgeRoute(nodes[u], nodes[v], k, pts)
        routes.append(route)
        by_node.setdefault(nodes[v], []).append(route)
        outs.setdefault(nodes[u], []).append(route)
    for node, rs in outs.items():
        by_node.setdefault(node, []).extend(rs)
    routes.sort(key=lambda r: (r.source, r.target, r.key))

    report("done")
    return Layout(
        boxes=boxes,
        edges=routes,
        width=width,
        height=height,
        layers=layers,
        _index=_RowIndex(hruns, vblocks, arrows),
        _col_x=col_x,
        _col_w=col_w,
        _by_node=by_node,
    )


def _read_graph(graph: nx.MultiDiGraph) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Nodes in a topological order that follows the ids, and edges as index triples.

    Edges are sorted by (target, key, source): each node's arguments in order.
    """
    nodes = sorted(graph.nodes)
    idx = {v: i for i, v in enumerate(nodes)}
    raw = [(idx[u], idx[v], k) for u, v, k in graph.edges(keys=True)]
    if any(u >= v for u, v, _k in raw):
        # Ids that do not follow the edges: fall back to the smallest-id-first order.
        try:
            nodes = list(nx.lexicographical_topological_sort(graph))
        except nx.NetworkXUnfeasible:
            raise ValueError("the graph has a cycle; only DAGs can be laid out") from None
        idx = {v: i for i, v in enumerate(nodes)}
        raw = [(idx[u], idx[v], k) for u, v, k in graph.edges(keys=True)]
    raw.sort(key=lambda e: (e[1], e[2], e[0]))
    return nodes, raw


def _entry_offset(rank: int, count: int, height: int) -> int:
    """Row (from the box top) where argument number ``rank`` of ``count`` comes in.

    Inside the border, centred, one or two rows apart; a single input (and any box too low
    to separate its inputs) uses the middle row, the row outputs leave from.
    """
    mid = (height - 1) // 2
    inner = height - 2
    if count <= 1 or inner < 2:
        return mid
    if inner >= count:
        step = min((inner - 1) // (count - 1), 2)
        return 1 + (inner - 1 - step * (count - 1)) // 2 + step * rank
    return 1 + rank * (inner - 1) // (count - 1)


def _initial_order(
    graph: nx.MultiDiGraph,
    nodes: list[int],
    item_layer: list[int],
    left: list[list[int]],
    n_layers: int,
) -> list[list[int]]:
    """A depth-first walk from the output through the arguments in order (0 first).

    Visiting order within each layer gives the starting order: argument 0's sub-graph above
    argument 1's, so a tree is drawn without a crossing.
    """
    m = len(item_layer)
    n = len(nodes)
    has_user = [False] * m
    for it in range(m):
        for a in left[it]:
            has_user[a] = True
    sinks = [i for i in range(n) if not has_user[i]]
    root = graph.graph.get("root")
    if root in graph:
        r = nodes.index(root) if not has_user[nodes.index(root)] else None
        if r is not None:
            sinks.remove(r)
            sinks.insert(0, r)
    layer_items: list[list[int]] = [[] for _ in range(n_layers)]
    seen = bytearray(m)
    stack = sinks[::-1]
    while stack:
        it = stack.pop()
        if seen[it]:
            continue
        seen[it] = 1
        layer_items[item_layer[it]].append(it)
        for a in reversed(left[it]):
            if not seen[a]:
                stack.append(a)
    for it in range(m):  # not reachable from a sink: cannot happen in a DAG, but be total
        if not seen[it]:
            layer_items[item_layer[it]].append(it)
    return layer_items


def _reduce_crossings(
    layer_items: list[list[int]],
    pos: list[int],
    left: list[list[int]],
    right: list[list[int]],
    rounds: int,
) -> None:
    """Barycenter sweeps in both directions; keep the order with the fewest crossings."""
    n_layers = len(layer_items)
    pair = [_crossings(layer_items[i], pos, right) for i in range(n_layers - 1)]
    best = sum(pair)
    best_order = [list(items) for items in layer_items]
    if best == 0:
        return
    for _ in range(rounds):
        improved = False
        for down in (True, False):
            rng = range(1, n_layers) if down else range(n_layers - 2, -1, -1)
            nbrs = left if down else right
            for i in rng:
                items = layer_items[i]
                ref = len(layer_items[i - 1 if down else i + 1])
                size = len(items)
                keyed = []
                for j, it in enumerate(items):
                    ns = nbrs[it]
                    if ns:
                        total = 0
                        for a in ns:
                            total += pos[a]
                        bary = (total / len(ns) + 0.5) / ref
                    else:
                        bary = (j + 0.5) / size
                    keyed.append((bary, j, it))
                keyed.sort()
                for j, (_b, _j, it) in enumerate(keyed):
                    items[j] = it
                    pos[it] = j
            total = sum(_crossings(layer_items[i], pos, right) for i in range(n_layers - 1))
            if total < best:
                best = total
                best_order = [list(items) for items in layer_items]
                improved = True
            if best == 0:
                break
        if best == 0 or not improved:
            break
    for i, items in enumerate(best_order):
        layer_items[i][:] = items
        for j, it in enumerate(items):
            pos[it] = j


def _crossings(items: list[int], pos: list[int], right: list[list[int]]) -> int:
    """Crossings between a layer and the next: inversions among the edge end positions."""
    seq: list[int] = []
    for it in items:
        ends = right[it]
        if len(ends) == 1:
            seq.append(pos[ends[0]])
        elif ends:
            seq.extend(sorted(pos[b] for b in ends))
    k = len(seq)
    if k < 2:
        return 0
    count = 0
    if k <= 4000:
        seen: list[int] = []
        for j, p in enumerate(seq):
            count += j - bisect.bisect_right(seen, p)
            bisect.insort(seen, p)
        return count
    size = max(seq) + 2  # Fenwick tree over positions
    tree = [0] * (size + 1)
    for j, p in enumerate(seq):
        i = p + 1
        le = 0
        while i > 0:
            le += tree[i]
            i -= i & -i
        count += j - le
        i = p + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return count


def _place_rows(
    layer_items: list[list[int]],
    item_h: list[int],
    exit_off: list[int],
    seg_a: list[int],
    seg_b: list[int],
    seg_in: list[int],
    seg_w: list[int],
    gap: int,
) -> list[int]:
    """Top rows of all items: stacked in order, then pulled toward their neighbours.

    Each item wants the row that makes its edges straight: the weighted median over its
    edges (both sides) of the row lining that edge up, each edge weighing the depth of the
    sub-graph it feeds. So a node lines up with its user, a chain of sums stays one straight
    line with the terms coming in from the side, and two equal operands are centred. Each
    layer then takes the rows closest to those wishes that keep its order and gaps
    (isotonic regression, pool-adjacent-violators), sweeping left to right and back.
    """
    m = len(item_h)
    ys = [0] * m
    for items in layer_items:
        y = 0
        for it in items:
            ys[it] = y
            y += item_h[it] + gap
    # Each item's edges as (other item, row offset, weight): the edge is straight when
    # ys[item] == ys[other] + offset.
    nbrs: list[list[tuple[int, int, int]]] = [[] for _ in range(m)]
    for s, (a, b) in enumerate(zip(seg_a, seg_b, strict=True)):
        d = exit_off[a] - seg_in[s]
        nbrs[a].append((b, -d, seg_w[s]))
        nbrs[b].append((a, d, seg_w[s]))
    total_w = [sum(w for _o, _d, w in nb) or 0.01 for nb in nbrs]
    n_layers = len(layer_items)
    sweep = list(range(1, n_layers)) + list(range(n_layers - 2, -1, -1))
    for _ in range(_PASSES):
        before = list(ys)
        for i in sweep:
            items = layer_items[i]
            desired: list[float] = []
            for it in items:
                nb = nbrs[it]
                if len(nb) == 1:
                    o, d, _w = nb[0]
                    desired.append(ys[o] + d)
                elif len(nb) == 2:
                    (o1, d1, w1), (o2, d2, w2) = nb
                    v1, v2 = ys[o1] + d1, ys[o2] + d2
                    desired.append(v1 if w1 > w2 else v2 if w2 > w1 else (v1 + v2) / 2)
                elif nb:
                    pairs = sorted([(ys[o] + d, w) for o, d, w in nb])
                    desired.append(_weighted_median(pairs, total_w[it]))
                else:
                    desired.append(ys[it])
            _isotonic(items, desired, [total_w[it] for it in items], item_h, gap, ys)
        if ys == before:
            break  # a whole sweep moved nothing
    top = min(ys, default=0)
    if top:
        ys = [y - top for y in ys]
    return ys


def _weighted_median(pairs: list[tuple[float, float]], total: float = 0) -> float:
    """The weighted median of ``(value, weight)`` pairs sorted by value (or of ``total``
    weight, if known); an exact tie takes the midpoint."""
    if len(pairs) == 1:
        return pairs[0][0]
    half = (total or sum(w for _v, w in pairs)) / 2
    acc = 0.0
    for i, (v, w) in enumerate(pairs):
        acc += w
        if acc > half:
            return v
        if acc == half:
            return (v + pairs[i + 1][0]) / 2
    return pairs[-1][0]


def _isotonic(
    items: list[int],
    desired: list[float],
    weights: list[float],
    item_h: list[int],
    gap: int,
    ys: list[int],
) -> None:
    """Rows closest to ``desired`` (weighted) with the items in order, ``gap`` apart."""
    offsets: list[int] = []
    off = 0
    for it in items:
        offsets.append(off)
        off += item_h[it] + gap
    # Blocks of pooled items, each placed at the weighted median of its members' wishes
    # (so the heavier side of a conflict gets its straight edge instead of both bending);
    # a block past _MEDIAN_CAP members uses the weighted mean, to stay linear.
    b_val: list[float] = []
    b_mem: list[list[tuple[float, float]] | None] = []
    b_sum: list[float] = []
    b_w: list[float] = []
    b_n: list[int] = []
    for j in range(len(items)):
        w = weights[j]
        val = desired[j] - offsets[j]
        if not b_val or b_val[-1] < val:
            b_val.append(val)
            b_mem.append([(val, w)])
            b_sum.append(val * w)
            b_w.append(w)
            b_n.append(1)
            continue
        mem: list[tuple[float, float]] | None = [(val, w)]
        tot, wt, c = val * w, w, 1
        while b_val and b_val[-1] >= val:
            pmem = b_mem.pop()
            tot += b_sum.pop()
            wt += b_w.pop()
            c += b_n.pop()
            b_val.pop()
            if pmem is not None and mem is not None and c <= _MEDIAN_CAP:
                mem = sorted(pmem + mem)
                val = _weighted_median(mem, wt)
            else:
                mem = None
                val = tot / wt
        b_val.append(val)
        b_mem.append(mem)
        b_sum.append(tot)
        b_w.append(wt)
        b_n.append(c)
    j = 0
    for val, c in zip(b_val, b_n, strict=True):
        z = int(val + 0.5) if val >= 0 else -int(-val + 0.5)
        for _ in range(c):
            ys[items[j]] = z + offsets[j]
            j += 1


def _route_channel(
    items: list[int],
    ys: list[int],
    exit_off: list[int],
    seg_b: list[int],
    seg_in: list[int],
    right_seg: list[list[int]],
    seg_track: list[int],
    doglegs: dict[int, tuple[int, int]],
) -> int:
    """Give the bending edges from one layer vertical tracks; return the number of tracks.

    The edges of one source share a track (a trunk). Sources whose vertical spans meet get
    different tracks. A source's exit line must end left of the track of any other edge
    entering in that same row, or the two horizontals would run into each other; when
    those rules go round in a circle (two edges crossing as an X whose rows line up), one
    source takes a dogleg: its exit line turns down (or up) a first track to a free row,
    runs right along it, and reaches its targets from a second track further right. Among
    the rest, an edge going down from higher up (or up from lower down) gets the track
    further right, which avoids crossings between edges that need not cross.

    Fills ``seg_track`` for the bending segments (the track their branch leaves from) and
    ``doglegs[item] = (first track, free row)`` for the sources that need one.
    """
    lo: list[int] = []
    hi: list[int] = []
    exit_row: list[int] = []  # the row this net's vertical starts from
    net_item: list[int] = []
    branches: list[list[int]] = []
    busy: set[int] = set()  # rows holding some horizontal line of this channel
    for it in items:
        segs = right_seg[it]
        if not segs:
            continue
        y0 = ys[it] + exit_off[it]
        busy.add(y0)
        rows: list[int] = []
        for s in segs:
            y1 = ys[seg_b[s]] + seg_in[s]
            busy.add(y1)
            if y1 != y0:
                rows.append(y1)
        if rows:
            lo.append(min(y0, min(rows)))
            hi.append(max(y0, max(rows)))
            exit_row.append(y0)
            net_item.append(it)
            branches.append(rows)
    k = len(lo)
    if not k:
        return 0
    exit_net = {y0: j for j, y0 in enumerate(exit_row)}
    succ: list[list[int]] = [[] for _ in range(k)]
    pred: list[list[int]] = [[] for _ in range(k)]
    for j, rows in enumerate(branches):
        for r in rows:
            a = exit_net.get(r)
            if a is not None and a != j:
                succ[a].append(j)
                pred[j].append(a)
    indeg = [len(p) for p in pred]
    first_of: dict[int, int] = {}  # net -> the net carrying its exit to the dogleg row

    def priority(j: int) -> tuple[int, int]:
        y0 = exit_row[j]
        return (-y0 if hi[j] - y0 >= y0 - lo[j] else y0, j)

    def split(j: int) -> bool:
        """Give net ``j`` a dogleg; False if no free row is near."""
        y0 = exit_row[j]
        down = hi[j] - y0 >= y0 - lo[j]
        far = hi[j] if down else lo[j]
        step = 1 if down else -1
        for m in range(y0 + step, far, step):
            if m not in busy:
                break
        else:
            return False
        busy.add(m)
        f = len(lo)  # the first leg: exit row to row m, ahead of everything it blocks
        lo.append(min(y0, m))
        hi.append(max(y0, m))
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
        rows = branches[j]
        lo[j] = min(m, min(rows))
        hi[j] = max(m, max(rows))
        exit_row[j] = m
        first_of[j] = f
        pending.append(f)
        pending.sort(key=priority)
        return True

    def in_cycle(start: int) -> int:
        seen: set[int] = set()
        j = start
        while j not in seen:
            seen.add(j)
            j = next(p for p in pred[j] if track[p] < 0)
        return j

    pending = sorted(range(k), key=priority)
    track = [-1] * (2 * k)
    t = 0
    while pending:
        starts: list[int] = []
        ends: list[int] = []
        placed: list[int] = []
        rest: list[int] = []
        for j in pending:
            if indeg[j] == 0:
                p = bisect.bisect_left(starts, lo[j])
                if (p == 0 or ends[p - 1] < lo[j]) and (p == len(starts) or starts[p] > hi[j]):
                    starts.insert(p, lo[j])
                    ends.insert(p, hi[j])
                    track[j] = t
                    placed.append(j)
                    continue
            rest.append(j)
        if not placed:  # the rules go round in a circle: break it with a dogleg
            pending = rest
            j = in_cycle(rest[0])
            if j in first_of or not split(j):
                indeg[j] = 0  # no room for a dogleg: let two lines touch rather than fail
            continue
        for j in placed:
            for c in succ[j]:
                indeg[c] -= 1
        pending = rest
        t += 1
    for j in range(k):
        it = net_item[j]
        y0 = ys[it] + exit_off[it]
        for s in right_seg[it]:
            if ys[seg_b[s]] + seg_in[s] != y0:
                seg_track[s] = track[j]
        if j in first_of:
            doglegs[it] = (track[first_of[j]], exit_row[j])
    return t
