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

from dataclasses import dataclass, field

from micrograd.layout.model import Layout

__all__ = ["Raster"]


@dataclass
class Raster:
    """``layout`` drawn in ``columns`` x ``rows`` cells: ``cells[(cx, cy)]`` lists the boxes
    (node ids) whose middle falls in that cell, in the layout's order, and ``cell_of`` says
    which cell holds a node. A cell stands for the same stretch of the layout in each
    direction as every other (the last ones may stand for less)."""

    layout: Layout
    columns: int
    rows: int
    cells: dict[tuple[int, int], list[int]] = field(init=False, repr=False)
    where: dict[int, tuple[int, int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.columns = max(1, self.columns)
        self.rows = max(1, self.rows)
        self.cells = {}
        self.where = {}
        for node, box in self.layout.boxes.items():
            cell = self.cell_of(box.x + box.width // 2, box.y + box.height // 2)
            self.cells.setdefault(cell, []).append(node)
            self.where[node] = cell

    @property
    def scale(self) -> tuple[float, float]:
        """How many layout cells one grid cell stands for, across and down (at least 1)."""
        return (max(1.0, self.layout.width / self.columns),
                max(1.0, self.layout.height / self.rows))

    def cell_of(self, x: int, y: int) -> tuple[int, int]:
        """The grid cell that holds layout cell ``(x, y)``."""
        sx, sy = self.scale
        return (min(self.columns - 1, max(0, int(x / sx))),
                min(self.rows - 1, max(0, int(y / sy))))

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
