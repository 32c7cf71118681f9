"""``draw_dot(root)``: the graph as an SVG picture, without Graphviz.

The video draws graphs with ``draw_dot``, which needs the Graphviz program. This one needs
nothing new: it places the boxes with the terminal canvas's own layout
(``micrograd.layout.compute_layout``, the same box sizes) and writes the SVG by hand, so
the picture in a notebook looks like the explorer. A ``Drawing`` shows itself in Jupyter
and saves to a file.

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> e = a * b; e.label = 'e'
    >>> drawing = draw_dot(e)
    >>> drawing
    <Drawing of 3 nodes and 2 edges: e = -6.0 (grad 0.0) [a * b]>
    >>> drawing.svg.startswith('<svg')
    True
"""

from __future__ import annotations

import os
from collections.abc import Container, Iterator
from dataclasses import dataclass
from pathlib import Path

from micrograd.files import write_atomic
from micrograd.fmt import fmt_number
from micrograd.graph import to_networkx
from micrograd.layout import Box, compute_layout
from micrograd.layout.zoom import FULL
from micrograd.numbered import NumberedGraph, printable, xml_text
from micrograd.value import CONSTANT, Value

__all__ = ["MAX_NODES", "Drawing", "DrawingTooLargeError", "draw_dot", "iter_svg", "to_svg"]

#: A box in character cells: the canvas's full-size box (``layout.zoom.FULL``, its one home):
#: title, data, grad, border.
BOX_WIDTH, BOX_HEIGHT = FULL.box_width, FULL.box_height
#: Pixels per cell: 8 across a column and 16 down a row, so a box is 152 x 64 px.
CELL_W, CELL_H = 8, 16
MARGIN = 12
FONT = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace"
#: Frame colours by node kind, and the grad's colour by sign (the canvas's light theme).
FRAME = {"input": "#0969da", "parameter": "#0184bc", "constant": "#8c959f",
         "operation": "#24292f"}
POSITIVE, NEGATIVE, EDGE = "#1a7f37", "#cf222e", "#8c959f"
#: The most nodes drawn: the explorer's limit too. A bigger picture takes minutes to lay out
#: and is a file of hundreds of MB that no viewer shows usefully.
MAX_NODES = 200_000


class DrawingTooLargeError(ValueError):
    """The graph has more nodes than a drawing can usefully show."""


@dataclass(frozen=True)
class Drawing:
    """A finished picture: Jupyter shows ``svg``, a terminal shows ``text``."""

    svg: str
    text: str  # one line: how big, and the output's value

    def __repr__(self) -> str:
        return f"<Drawing of {self.text}>"

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        """What Jupyter (or any IPython front end) may show: the picture, or a line."""
        bundle = {"image/svg+xml": self.svg, "text/plain": repr(self)}
        return {kind: text for kind, text in bundle.items()
                if (include is None or kind in include)
                and (exclude is None or kind not in exclude)}

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the SVG to ``path`` and return the path really written. Atomic, by the
        rules of every file the project writes (``micrograd.files``): a link's target is
        replaced, a device such as ``/dev/stdout`` is written in place."""
        return write_atomic(path, self.svg)


def draw_dot(root: Value, rankdir: str = "LR") -> Drawing:
    """The graph of ``root`` as it stands now, left to right (``'LR'``) or top to bottom
    (``'TB'``), as in the video's ``draw_dot(L)``."""
    graph = NumberedGraph(root)
    edges = sum(len(node._prev) for node in graph.order)
    text = f"{len(graph)} nodes and {edges} edges: {graph.summary(graph.index[root])}"
    return Drawing("".join(_svg(graph, rankdir)), text)


def to_svg(root: Value, rankdir: str = "LR") -> str:
    """The SVG document of ``draw_dot(root, rankdir)`` as one string."""
    return "".join(iter_svg(root, rankdir))


def iter_svg(root: Value, rankdir: str = "LR") -> Iterator[str]:
    """The SVG document in pieces (a line each): edges first, then the boxes over them."""
    yield from _svg(NumberedGraph(root), rankdir)


def _svg(graph: NumberedGraph, rankdir: str) -> Iterator[str]:
    """``iter_svg`` for a graph already numbered (``draw_dot`` numbers it once for both)."""
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"rankdir must be 'LR' or 'TB', not {rankdir!r}")
    root = graph.root
    across = rankdir == "LR"
    if len(graph) > MAX_NODES:
        raise DrawingTooLargeError(
            f"a drawing of {len(graph):,} nodes is too large to look at (at most "
            f"{MAX_NODES:,}): export json or dot instead"
        )
    # The canvas's layout runs left to right. Top to bottom is the same layout transposed,
    # computed with the box's sides swapped (19 x 8 cells of 8 px) so boxes keep their shape.
    if across:
        layout = compute_layout(to_networkx(root, renumber=True),
                                box_width=BOX_WIDTH, box_height=BOX_HEIGHT)
        scale_x, scale_y = CELL_W, CELL_H
    else:
        layout = compute_layout(to_networkx(root, renumber=True),
                                box_width=BOX_HEIGHT * CELL_H // CELL_W,
                                box_height=BOX_WIDTH, row_gap=2)
        scale_x = scale_y = CELL_W

    def point(x: float, y: float) -> tuple[int, int]:
        """Layout cells to pixels (``x`` along the flow, ``y`` across it)."""
        px, py = MARGIN + round(x * scale_x), MARGIN + round(y * scale_y)
        return (px, py) if across else (py, px)

    width, height = point(layout.width, layout.height)
    yield (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + MARGIN}" '
           f'height="{height + MARGIN}" viewBox="0 0 {width + MARGIN} {height + MARGIN}" '
           f'font-family="{FONT}" font-size="13">\n')
    yield (f'<defs><marker id="micrograd-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
           f'markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
           f'fill="{EDGE}"/></marker></defs>\n')
    yield '<rect width="100%" height="100%" fill="#ffffff"/>\n'
    yield (f'<g fill="none" stroke="{EDGE}" stroke-width="1.5" '
           'marker-end="url(#micrograd-arrow)">\n')
    for route in layout.edges:
        # From the source box's side through the middle of each corner cell to the target's.
        first, last = route.points[0][1] + 0.5, route.points[-1][1] + 0.5
        cells = [(layout.boxes[route.source].right, first)]
        cells += [(x + 0.5, y + 0.5) for x, y in route.points]
        cells.append((layout.boxes[route.target].x, last))
        corners = " ".join(f"{px},{py}" for px, py in _corners([point(*c) for c in cells]))
        yield f'<path d="M{corners}"/>\n'
    yield "</g>\n"
    for i in range(len(graph)):
        box = layout.boxes[i]
        yield from _node(graph, i, *point(box.x, box.y), *_pixel_size(box, across))
    yield "</svg>\n"


def _corners(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The polyline without the points in the middle of a straight stretch."""
    kept = [points[0]]
    for here, after in zip(points[1:-1], points[2:], strict=True):
        before = kept[-1]
        if not (before[0] == here[0] == after[0] or before[1] == here[1] == after[1]):
            kept.append(here)
    return [*kept, points[-1]]


def _pixel_size(box: Box, across: bool) -> tuple[int, int]:
    """A box's width and height in pixels: 152 x 64 for the canvas's 19 x 4 cells."""
    return (box.width * CELL_W, box.height * CELL_H) if across else (
        box.height * CELL_W, box.width * CELL_W)


def _node(graph: NumberedGraph, i: int, x: int, y: int, w: int, h: int) -> Iterator[str]:
    """One box as the canvas draws it: the name, the op on the right, data and grad."""
    node = graph.order[i]
    frame = FRAME.get(node.kind, FRAME["operation"])
    op = printable(str(node._op)) or ("const" if node.kind == CONSTANT else "")
    if len(op) > 9:
        op = op[:8] + "…"  # a custom op's long name would run out of the box
    name = graph.names[i]
    room = BOX_WIDTH - 2 - (len(op) + 2 if op else 0)  # the canvas's title: " name " + " op "
    if len(name) + 2 > room:
        name = name[: max(0, room - 2)] + "…"
    grad = fmt_number(node.grad)
    tint = POSITIVE if node.grad > 0 else NEGATIVE if node.grad < 0 else "#24292f"
    muted = ' fill="#57606a"' if node.kind == CONSTANT else ""
    yield f'<g><title>{xml_text(graph.summary(i))}</title>\n'
    yield (f'<rect x="{x + 0.5}" y="{y + 0.5}" width="{w - 1}" height="{h - 1}" rx="6" '
           f'fill="#ffffff" stroke="{frame}" stroke-width="1.5"/>\n')
    yield (f'<line x1="{x}" y1="{y + 21.5}" x2="{x + w}" y2="{y + 21.5}" stroke="{frame}" '
           f'stroke-opacity="0.35"/>\n')
    yield f'<text x="{x + 8}" y="{y + 15}" font-weight="bold"{muted}>{xml_text(name)}</text>\n'
    if op:
        yield (f'<text x="{x + w - 8}" y="{y + 15}" text-anchor="end" fill="{frame}">'
               f'{xml_text(op)}</text>\n')
    yield f'<text x="{x + 8}" y="{y + 38}"{muted}>data {fmt_number(node.data)}</text>\n'
    yield (f'<text x="{x + 8}" y="{y + 55}"{muted}>grad <tspan fill="{tint}">{grad}'
           "</tspan></text>\n</g>\n")
