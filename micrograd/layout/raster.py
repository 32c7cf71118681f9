"""A layout shrunk to a few cells: which boxes fall in each cell of a small grid.

The overview of a graph too big to draw a box a row (the shape of a 10,000-node graph on one
screen) and the overview strip under the canvas (the whole graph in a few rows, with the
part in view marked) both paint a grid whose cells stand for a stretch of the layout. This
module says which boxes each cell holds and maps between the two coordinate systems; what a
cell looks like (the most telling state among its boxes) is the canvas's business.

    >>> import networkx as nx
    >>> from micrograd.layout import compute_layout
    >>> lay = compute_layout(nx.MultiDiGraph([(0, 2, 0), (1, 2, 1)]), box_width=5)
    >>> grid = Raster(lay, 2, 1)
    >>> grid.cells[(0, 0)], grid.cells[(1, 0)]
    ([0, 1], [2])
    >>> grid.cell_of(9, 4), grid.to_layout(1, 0)
    ((1, 0), (10, 4))
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from micrograd.value import Value

__all__ = ["Drawing", "Raster", "Sketch", "sketch"]


class Drawing(Protocol):
    """What a raster shrinks: a size in cells and where each box's middle is."""

    width: int
    height: int

    def centres(self) -> Iterator[tuple[int, int, int]]:
        """``(node, x, y)``: each box's middle cell."""
        ...


@dataclass
class Sketch:
    """Where each node of a graph too big to lay out would go, at a cell a node: its layer
    (as far right as it goes, as the layout puts it) across, its place in the layer down.
    No edges, no crossing reduction: the shape of the graph, in a second at a million
    nodes, for the whole-graph picture when no layout is drawn."""

    nodes: list[int]
    xs: list[int]
    ys: list[int]
    width: int
    height: int

    def centres(self) -> Iterator[tuple[int, int, int]]:
        return zip(self.nodes, self.xs, self.ys, strict=True)

    def centre_of(self, node: int) -> tuple[int, int] | None:
        """Where ``node`` is, found by its id (``nodes`` are in id order)."""
        i = bisect.bisect_left(self.nodes, node)
        if i < len(self.nodes) and self.nodes[i] == node:
            return self.xs[i], self.ys[i]
        return None


def sketch(order: Sequence[Value], owner: dict[int, int] | None = None) -> Sketch:
    """The sketch of the graph whose nodes are ``order``, in id order (operands before
    users: the Stepper's order); with ``owner`` (a node's id -> its box's id) a collapsed group is
    one node, where its output is."""
    owner = owner or {}
    to_sink = dict.fromkeys((node._id for node in order), 0)
    for node in reversed(order):
        above = to_sink[node._id] + 1
        for parent in node._prev:
            if to_sink[parent._id] < above:
                to_sink[parent._id] = above
    depth = max(to_sink.values(), default=0)
    counts = [0] * (depth + 1)
    nodes: list[int] = []
    xs: list[int] = []
    ys: list[int] = []
    for node in order:
        box = owner.get(node._id, node._id)
        if box != node._id:
            continue
        layer = depth - to_sink[box]
        nodes.append(box)
        xs.append(layer)
        ys.append(counts[layer])
        counts[layer] += 1
    return Sketch(nodes, xs, ys, depth + 1, max(counts, default=0))


@dataclass
class Raster:
    """``layout`` (a ``Layout`` or a ``Sketch``) drawn in ``columns`` x ``rows`` cells:
    ``cells[(cx, cy)]`` lists the boxes (node ids) whose middle falls in that cell, in the
    layout's order, and ``where`` says which cell holds a node. A cell stands for the same
    stretch of the layout in each direction as every other (the last ones may stand for
    less)."""

    layout: Drawing
    columns: int
    rows: int
    cells: dict[tuple[int, int], list[int]] = field(init=False, repr=False)
    where: dict[int, tuple[int, int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.columns = max(1, self.columns)
        self.rows = max(1, self.rows)
        self.cells = {}
        self.where = {}
        sx, sy = self.scale
        fx, fy = 1 / sx, 1 / sy
        columns, rows = self.columns - 1, self.rows - 1
        cells: dict[tuple[int, int], list[int]] = {}
        keep_where = not isinstance(self.layout, Sketch)  # a sketch finds its nodes itself
        where = self.where
        for node, x, y in self.layout.centres():
            cx, cy = int(x * fx), int(y * fy)
            cell = (cx if cx < columns else columns, cy if cy < rows else rows)
            found = cells.get(cell)
            if found is None:
                cells[cell] = [node]
            else:
                found.append(node)
            if keep_where:
                where[node] = cell
        self.cells = cells

    @property
    def scale(self) -> tuple[float, float]:
        """How many layout cells one grid cell stands for, across and down (at least 1)."""
        return (max(1.0, self.layout.width / self.columns),
                max(1.0, self.layout.height / self.rows))

    def locate(self, node: int) -> tuple[int, int] | None:
        """The cell that holds ``node``'s box, or None if it has none."""
        cell = self.where.get(node)
        if cell is None and isinstance(self.layout, Sketch):
            centre = self.layout.centre_of(node)
            if centre is not None:
                cell = self.cell_of(*centre)
        return cell

    def cell_of(self, x: int, y: int) -> tuple[int, int]:
        """The grid cell that holds layout cell ``(x, y)``."""
        sx, sy = self.scale
        return (min(self.columns - 1, max(0, int(x * (1 / sx)))),
                min(self.rows - 1, max(0, int(y * (1 / sy)))))

    def to_layout(self, cx: int, cy: int) -> tuple[int, int]:
        """The layout cell in the middle of grid cell ``(cx, cy)``."""
        sx, sy = self.scale
        return int((cx + 0.5) * sx), int((cy + 0.5) * sy)

    def span(self, x: int, y: int, width: int, height: int) -> tuple[int, int, int, int]:
        """The grid cells covering a stretch of the layout (the part in view): ``(cx0, cy0,
        cx1, cy1)``, ends included."""
        cx0, cy0 = self.cell_of(x, y)
        cx1, cy1 = self.cell_of(x + max(0, width - 1), y + max(0, height - 1))
        return cx0, cy0, cx1, cy1
