"""Edge routes: tracks in the channel between two layers, the lines, each edge's polyline.

An edge leaves its source on the middle row, runs right to a vertical track, along it to its
entry row, and right into the target. The tracks are chosen so that lines which need not
cross don't, and no two horizontal lines of different sources run along each other.
"""

from __future__ import annotations

import bisect

from micrograd.layout.layers import Items
from micrograd.layout.lines import LineIndex
from micrograd.layout.model import EdgeRoute

__all__ = ["Geometry", "route_channel"]


def route_channel(
    items: list[int],
    ys: list[int],
    it: Items,
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


class Geometry:
    """Items placed in cells: draws the lines of the edge layer and the route of each edge."""

    def __init__(
        self,
        it: Items,
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

    def lines(self, layer_items: list[list[int]], depth: int) -> LineIndex:
        """Every line once: a source's exit, trunk and branches; each bus item's stretch."""
        it, ys = self.it, self.ys
        n = len(self.sizes)
        index = LineIndex()
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
