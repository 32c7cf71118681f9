"""What a layout is: boxes, edge routes, and the look-ups the canvas draws a viewport with.

Plain records, so the canvas only paints and everything here is tested without a terminal.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

from micrograd.layout.lines import LineIndex

__all__ = ["DIRECTIONS", "Box", "EdgeRoute", "Layout"]

#: The directions ``Layout.move`` takes (key names for them belong to the UI).
DIRECTIONS = ("left", "right", "up", "down")


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
    _lines: LineIndex = field(repr=False, compare=False)
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
        return self._lines.draw(y, x0, x1)

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

    def layer_at(self, x: int) -> int:
        """The column of boxes (layer) at or left of column ``x`` of the drawing."""
        return max(0, min(len(self._col_x) - 1, bisect.bisect_right(self._col_x, x) - 1))

    def centres(self) -> Iterator[tuple[int, int, int]]:
        """``(node, x, y)``: the middle cell of each box (what a ``Raster`` shrinks)."""
        for node, box in self.boxes.items():
            yield node, box.x + box.width // 2, box.y + box.height // 2

    def rows_used(self, x0: int, x1: int) -> tuple[int, int]:
        """The first row of the topmost box and the row below the lowest box among the
        columns of boxes meeting columns ``x0 .. x1-1`` (``(0, 0)`` when none do): the
        canvas keeps blank rows beyond them out of view."""
        top, bottom = self.height, 0
        col_x, col_w = self._col_x, self._col_w
        for layer in range(max(0, bisect.bisect_right(col_x, x0) - 1), len(col_x)):
            if col_x[layer] >= x1:
                break
            column = self._columns[layer]
            if not column or col_x[layer] + col_w[layer] <= x0:
                continue
            top = min(top, column[0].y)
            bottom = max(bottom, self._bottoms[layer][-1])  # boxes go down a column
        return (top, bottom) if bottom > top else (0, 0)

    # --- edges and neighbours --------------------------------------------------------------

    def edges_of(self, node: int) -> list[EdgeRoute]:
        """The routes into ``node`` (by argument), then those out of it: for highlighting."""
        return self._by_node.get(node, [])

    def move(self, node: int, direction: str) -> int | None:
        """Where a key press moves the selection from ``node``; None at the drawing's edge.

        ``left``/``right``: the box in the previous/next non-empty layer nearest in height
        (the upper one on a tie); ``up``/``down``: the box above/below in the same layer.
        Any other direction: None.
        """
        box = self.boxes.get(node)
        if box is None or direction not in DIRECTIONS:
            return None
        column = self.layers[box.layer]
        if direction == "up":
            return column[box.order - 1] if box.order > 0 else None
        if direction == "down":
            return column[box.order + 1] if box.order + 1 < len(column) else None
        step = -1 if direction == "left" else 1
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
