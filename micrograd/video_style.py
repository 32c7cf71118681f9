"""The video's drawing style for ``draw_dot(root, style="video")``: what Graphviz drew in
the lecture, without Graphviz.

Each value is one record, ``label | data 2.0000 | grad 0.0000`` side by side, and each op
is a node of its own (an oval with ``*``, ``+``, ``tanh``) between its operands and its
result, numbers to 4 decimals: learners compare their drawing with the video's frame by
frame. The boxes are placed by the canvas's layout (``micrograd.layout``), with the op
nodes as nodes of the layout.

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> e = a * b; e.label = 'e'
    >>> svg = ''.join(iter_video_svg(e))
    >>> 'data -6.0000' in svg and '>*</text>' in svg and 'grad 0.0000' in svg
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import networkx as nx

from micrograd.layout import compute_layout
from micrograd.numbered import NumberedGraph, printable, xml_text
from micrograd.value import Value

__all__ = ["iter_video_svg", "video_svg"]

CELL = 8  # pixels a layout cell stands for, both ways: boxes of any width fit closely
CHAR = 8  # pixels a character takes at 13 px in a monospace font
HEIGHT = 32  # a record's and an op's height, as in the video's drawings
MARGIN = 12
FONT = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace"
INK, EDGE = "#24292f", "#57606a"


def _fields(graph: NumberedGraph, i: int) -> tuple[str, str, str]:
    """A record's three fields: the label (empty if none, as in the video), data, grad."""
    node = graph.order[i]
    return printable(node.label), f"data {node.data:.4f}", f"grad {node.grad:.4f}"


def _width(texts: tuple[str, ...]) -> int:
    """A record's width in pixels: each field padded by 8 px a side (an empty label too)."""
    return sum(CHAR * len(text) + 16 for text in texts)


def iter_video_svg(root: Value, rankdir: str = "LR") -> Iterator[str]:
    """The SVG of ``root``'s graph in the video's style, in pieces."""
    return video_svg(NumberedGraph(root), rankdir)


def video_svg(graph: NumberedGraph, rankdir: str = "LR") -> Iterator[str]:
    """``iter_video_svg`` for a graph already numbered (``draw_dot`` numbers it once)."""
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"rankdir must be 'LR' or 'TB', not {rankdir!r}")
    n = len(graph)
    across = rankdir == "LR"
    # Pixel sizes: records 0..n-1, then an op node n + i for every op node i.
    sizes: dict[int, tuple[int, int]] = {}
    layout_graph = nx.MultiDiGraph(root=n - 1)
    for i, node in enumerate(graph.order):
        sizes[i] = (_width(_fields(graph, i)), HEIGHT)
        layout_graph.add_node(i)
        if node._prev:
            op = n + i
            sizes[op] = (max(40, CHAR * len(_op_text(node)) + 24), HEIGHT)
            layout_graph.add_node(op)
            layout_graph.add_edge(op, i, key=0)
            for key, parent in enumerate(graph.parents(i)):
                layout_graph.add_edge(parent, op, key=key)

    def cells(node: int) -> tuple[int, int]:
        """The layout's box: along the flow, then across it, in cells."""
        w, h = sizes[node]
        along, side = (w, h) if across else (h, w)
        return math.ceil(along / CELL), math.ceil(side / CELL)

    layout = compute_layout(layout_graph, size=cells, row_gap=2, channel=6)

    def point(x: float, y: float) -> tuple[float, float]:
        px, py = MARGIN + x * CELL, MARGIN + y * CELL
        return (px, py) if across else (py, px)

    def frame(node: int) -> tuple[float, float, int, int]:
        """The drawn shape's corner and size: centred in its layout box."""
        box = layout.boxes[node]
        x0, y0 = point(box.x, box.y)
        bw, bh = (box.width * CELL, box.height * CELL) if across else (
            box.height * CELL, box.width * CELL)
        w, h = sizes[node]
        return x0 + (bw - w) / 2, y0 + (bh - h) / 2, w, h

    width, height = point(layout.width, layout.height)
    width, height = round(width + MARGIN), round(height + MARGIN)
    yield (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="13">\n')
    yield (f'<defs><marker id="micrograd-video-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
           f'markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
           f'fill="{EDGE}"/></marker></defs>\n')
    yield '<rect width="100%" height="100%" fill="#ffffff"/>\n'
    yield (f'<g fill="none" stroke="{EDGE}" stroke-width="1.2" '
           'marker-end="url(#micrograd-video-arrow)">\n')
    for route in layout.edges:
        sx, sy, sw, sh = frame(route.source)
        tx, ty, tw, th = frame(route.target)
        start = (sx + sw, sy + sh / 2) if across else (sx + sw / 2, sy + sh)
        end = (tx, ty + th / 2) if across else (tx + tw / 2, ty)
        middle = [point(x + 0.5, y + 0.5) for x, y in route.points[1:-1]]
        path = " ".join(f"{x:g},{y:g}" for x, y in [start, *middle, end])
        yield f'<path d="M{path}"/>\n'
    yield "</g>\n"
    for i, node in enumerate(graph.order):
        x, y, w, h = frame(i)
        texts = _fields(graph, i)
        yield f'<g><title>{xml_text(graph.summary(i))}</title>\n'
        yield (f'<rect x="{x:g}" y="{y:g}" width="{w}" height="{h}" fill="#ffffff" '
               f'stroke="{INK}"/>\n')
        left = x
        for k, text in enumerate(texts):
            field = CHAR * len(text) + 16
            if k:
                yield (f'<line x1="{left:g}" y1="{y:g}" x2="{left:g}" y2="{y + h:g}" '
                       f'stroke="{INK}"/>\n')
            if text:
                yield (f'<text x="{left + field / 2:g}" y="{y + h / 2 + 4.5:g}" '
                       f'text-anchor="middle">{xml_text(text)}</text>\n')
            left += field
        yield "</g>\n"
        if node._prev:
            x, y, w, h = frame(n + i)
            yield (f'<g><ellipse cx="{x + w / 2:g}" cy="{y + h / 2:g}" rx="{w / 2:g}" '
                   f'ry="{h / 2:g}" fill="#ffffff" stroke="{INK}"/>\n'
                   f'<text x="{x + w / 2:g}" y="{y + h / 2 + 4.5:g}" text-anchor="middle">'
                   f'{xml_text(_op_text(node))}</text></g>\n')
    yield "</svg>\n"


def _op_text(node: Value) -> str:
    """What the op's oval says: the op's name, as the video's ``n._op``."""
    text = printable(str(node._op))
    return text if len(text) <= 12 else text[:11] + "…"
