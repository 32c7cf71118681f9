"""The edge layer as characters: every line indexed by row, and one row of it drawn.

Kept apart from the routing so that drawing a row of the canvas costs what touches that
row, not the size of the graph. A line belongs to a net (its source): joins only within a
net, crossings between two (see the package docstring).
"""

from __future__ import annotations

import bisect

__all__ = ["ARROW", "LineIndex"]

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

#: log2 of the rows per bucket of the vertical-line index.
_BLOCK_SHIFT = 5


class LineIndex:
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

    def draw(self, y: int, x0: int, x1: int) -> str:
        """Row ``y``, columns ``x0 .. x1-1``: ``x1 - x0`` characters, spaces where no line is."""
        n = x1 - x0
        if n <= 0:
            return ""
        buf = [" "] * n
        starts, reach, runs = self.row(y)
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
        cols, vruns = self.bucket(y)
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
        heads = self.arrowheads(y)
        for j in range(bisect.bisect_left(heads, x0), bisect.bisect_left(heads, x1)):
            buf[heads[j] - x0] = ARROW
        return "".join(buf)


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
