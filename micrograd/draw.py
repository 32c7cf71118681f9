"""``draw_dot(root)``: the graph as an SVG picture, without Graphviz.

The video draws graphs with ``draw_dot``, which needs the Graphviz program. This one needs
nothing new: it places the boxes with the terminal canvas's own layout
(``micrograd.layout.compute_layout``, the same box sizes) and writes the SVG by hand, so
the picture in a notebook looks like the explorer. A ``Drawing`` shows itself in Jupyter
and saves to a file.

``draw_step(stepper)`` draws the graph at the stepper's position with the explorer's legend
(the step's node, the nodes it changed, ``?`` for a value not computed yet, ``·`` for no
grad yet, the grad's sign in colour): the notebook widget and ``micrograd-tui export -f svg
--step K`` both draw with it. A ``Picture`` is the layout made once, for drawing a timeline
step after step.

    >>> from micrograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> e = a * b; e.label = 'e'
    >>> drawing = draw_dot(e)
    >>> drawing
    <Drawing of 3 nodes and 2 edges: e = -6.0 (grad 0.0) [a * b]>
    >>> drawing.svg.startswith('<svg')
    True
    >>> from micrograd.stepper import Stepper
    >>> stepper = Stepper(e)
    >>> draw_step(stepper).text
    '3 nodes and 2 edges, start · 3 steps: e = ? (grad ·)'
    >>> stepper.seek(2)
    >>> draw_step(stepper).text
    '3 nodes and 2 edges, backward · step 2 of 3: e = -6.0 (grad 1.0)'
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
from micrograd.layout.zoom import COMPACT, FULL, Zoom
from micrograd.moment import NodeView, changed_nodes, current_node, node_view, position_text
from micrograd.numbered import NumberedGraph, printable, xml_text
from micrograd.stepper import Stepper
from micrograd.value import CONSTANT, Value
from micrograd.video_style import video_svg

__all__ = ["COMPACT_OVER", "MAX_NODES", "Drawing", "DrawingTooLargeError", "Picture",
           "draw_dot", "draw_step", "iter_svg", "to_svg"]

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
#: The timeline's highlights (the terminal theme's $this-step and $just-changed): frame, fill.
THIS_STEP = ("#bf8700", "#fff8c5")
JUST_CHANGED = ("#a626a4", "#fbefff")
PENDING = "#8c959f"  # a ``?`` or a ``·``: nothing known yet
#: Over this many nodes a picture uses the canvas's compact boxes (name, then data and grad
#: on one row): a third of the area, so a 1,000-node graph stays a picture one can scroll.
COMPACT_OVER = 300
LEGEND_HEIGHT = 24
LEGEND_WIDTH = 630  # pixels before the position at the legend's end ("forward · step 3 of 7")
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


def draw_dot(root: Value, rankdir: str = "LR", style: str = "canvas") -> Drawing:
    """The graph of ``root`` as it stands now, left to right (``'LR'``) or top to bottom
    (``'TB'``), as in the video's ``draw_dot(L)``. ``style='video'`` draws it as the video
    does (``micrograd.video_style``: a record ``label | data | grad`` per value, 4 decimals,
    each op a node of its own), to compare with the lecture frame by frame."""
    if style == "video":
        graph = NumberedGraph(root)
        _check_size(graph)
        edges = sum(len(node._prev) for node in graph.order)
        return Drawing("".join(video_svg(graph, rankdir)),
                       f"{len(graph)} nodes and {edges} edges: {graph.summary(len(graph) - 1)}")
    if style != "canvas":
        raise ValueError(f"style must be 'canvas' or 'video', not {style!r}")
    return Picture(root, rankdir, zoom=FULL).drawing()


def draw_step(stepper: Stepper, picture: Picture | None = None) -> Drawing:
    """The graph at the stepper's position, with the explorer's legend: what the notebook
    widget shows and ``export -f svg --step K`` writes. ``picture`` is a layout made
    before for the same graph (a timeline is drawn step after step; laying out is the slow
    part); without one it is made here."""
    if picture is None:
        picture = Picture(stepper.root)
    elif picture.graph.root is not stepper.root:
        raise ValueError("the picture is of another graph than the stepper's")
    return picture.drawing(stepper)


def to_svg(root: Value, rankdir: str = "LR") -> str:
    """The SVG document of ``draw_dot(root, rankdir)`` as one string."""
    return "".join(iter_svg(root, rankdir))


def iter_svg(root: Value, rankdir: str = "LR") -> Iterator[str]:
    """The SVG document in pieces (a line each): edges first, then the boxes over them."""
    yield from Picture(root, rankdir, zoom=FULL).pieces()


class Picture:
    """A graph laid out once, drawn as often as its numbers change.

    The layout is the canvas's own (``micrograd.layout.compute_layout``) at full zoom, or at
    compact zoom over ``COMPACT_OVER`` nodes unless ``zoom`` says which. The edges never
    change, so their SVG is made once; each drawing writes only the boxes.
    """

    def __init__(self, root: Value, rankdir: str = "LR", *, zoom: Zoom | None = None) -> None:
        if rankdir not in ("LR", "TB"):
            raise ValueError(f"rankdir must be 'LR' or 'TB', not {rankdir!r}")
        graph = self.graph = NumberedGraph(root)
        _check_size(graph)
        if zoom is None:
            zoom = FULL if len(graph) <= COMPACT_OVER else COMPACT
        self.zoom = zoom
        self.compact = zoom.box_height < FULL.box_height
        self.edges = sum(len(node._prev) for node in graph.order)
        across = rankdir == "LR"
        # The canvas's layout runs left to right. Top to bottom is the same layout
        # transposed, computed with the box's sides swapped (cells of 8 px each way) so
        # boxes keep their shape.
        if across:
            layout = compute_layout(to_networkx(root, renumber=True),
                                    box_width=zoom.box_width, box_height=zoom.box_height)
            scale_x, scale_y = CELL_W, CELL_H
        else:
            layout = compute_layout(to_networkx(root, renumber=True),
                                    box_width=zoom.box_height * CELL_H // CELL_W,
                                    box_height=zoom.box_width, row_gap=2)
            scale_x = scale_y = CELL_W

        def point(x: float, y: float) -> tuple[int, int]:
            """Layout cells to pixels (``x`` along the flow, ``y`` across it)."""
            px, py = MARGIN + round(x * scale_x), MARGIN + round(y * scale_y)
            return (px, py) if across else (py, px)

        self.width, self.height = point(layout.width, layout.height)
        self.width += MARGIN
        self.height += MARGIN
        self.boxes = [(*point(box.x, box.y), *_pixel_size(box, across))
                      for box in (layout.boxes[i] for i in range(len(graph)))]
        paths = []
        for route in layout.edges:
            # From the source box's side through the middle of each corner cell to the
            # target's.
            first, last = route.points[0][1] + 0.5, route.points[-1][1] + 0.5
            cells = [(layout.boxes[route.source].right, first)]
            cells += [(x + 0.5, y + 0.5) for x, y in route.points]
            cells.append((layout.boxes[route.target].x, last))
            corners = " ".join(f"{px},{py}" for px, py in _corners([point(*c) for c in cells]))
            paths.append(f'<path d="M{corners}"/>\n')
        self._edges_svg = (
            f'<g fill="none" stroke="{EDGE}" stroke-width="1.5" '
            'marker-end="url(#micrograd-arrow)">\n' + "".join(paths) + "</g>\n"
        )

        #: Each box's SVG at a step, with what it showed (``_step_boxes``), and each node's
        #: formula for its tooltip.
        self._cache: dict[int, tuple[tuple[object, ...], str]] = {}
        self._how: list[str] = []

    def __len__(self) -> int:
        return len(self.graph)

    def drawing(self, stepper: Stepper | None = None) -> Drawing:
        """The picture as a ``Drawing``: as the graph stands, or at the stepper's position."""
        graph = self.graph
        size = f"{len(graph)} nodes and {self.edges} edges"
        if stepper is None:
            return Drawing("".join(self.pieces()), f"{size}: {graph.summary(len(graph) - 1)}")
        root = node_view(stepper, stepper.root)
        text = f"{size}, {position_text(stepper)}: {root.name} = {root.data} (grad {root.grad})"
        return Drawing("".join(self.pieces(stepper)), text)

    def pieces(self, stepper: Stepper | None = None) -> Iterator[str]:
        """The SVG document in pieces: the legend (with a stepper), the edges, the boxes."""
        top = LEGEND_HEIGHT if stepper is not None else 0
        width, height = self.width, self.height + top
        if stepper is not None:  # room for the legend's line over a narrow graph
            width = max(width, LEGEND_WIDTH + 7 * len(position_text(stepper)) + MARGIN)
        yield (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
               f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="13">\n')
        yield (f'<defs><marker id="micrograd-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
               f'markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
               f'fill="{EDGE}"/></marker></defs>\n')
        yield '<rect width="100%" height="100%" fill="#ffffff"/>\n'
        if stepper is not None:
            yield from _legend(stepper)
            yield f'<g transform="translate(0,{top})">\n'
        yield self._edges_svg
        graph, boxes = self.graph, self.boxes
        if stepper is None:
            for i, node in enumerate(graph.order):
                yield from self._node(i, *boxes[i], _as_built(node), None)
        else:
            yield from self._step_boxes(stepper)
            yield "</g>\n"
        yield "</svg>\n"

    def _step_boxes(self, stepper: Stepper) -> Iterator[str]:
        """The boxes at the stepper's position. A box is written again only when what it
        shows changed (its numbers, whether they are known, its highlight): a step changes
        a few boxes, so a 1,000-node timeline redraws in milliseconds."""
        graph, boxes, cache = self.graph, self.boxes, self._cache
        if not self._how:
            self._how = [graph.summary_formula(i) or node.kind
                         for i, node in enumerate(graph.order)]
        current = current_node(stepper)
        changed = changed_nodes(stepper)
        computed, touched = stepper.is_computed, stepper.grad_touched
        for i, node in enumerate(graph.order):
            mark = THIS_STEP if node is current else JUST_CHANGED if node in changed else None
            key = (node.data, node.grad, computed(node), touched(node), mark)
            known = cache.get(i)
            if known is not None and known[0] == key:
                yield known[1]
                continue
            view = node_view(stepper, node)
            # The tooltip says only what the timeline has reached; data-node is the position
            # a click on the box reports (the notebook widget).
            title = f"{graph.names[i]} = {view.data} (grad {view.grad}) [{self._how[i]}]"
            # data-mark: which highlight, for a page to find (the widget scrolls to it).
            which = "" if mark is None else "step" if mark is THIS_STEP else "changed"
            group = f'<g data-node="{i}" data-mark="{which}">' if which else f'<g data-node="{i}">'
            text = "".join(self._node(i, *boxes[i], view, mark, group, title))
            cache[i] = (key, text)
            yield text

    def _node(self, i: int, x: int, y: int, w: int, h: int, view: NodeView,
              mark: tuple[str, str] | None, group: str = "<g>",
              title: str | None = None) -> Iterator[str]:
        """One box as the canvas draws it: the name, the op on the right, data and grad
        (at compact zoom both on the second row). ``mark`` is a highlight's frame and fill."""
        graph = self.graph
        node = graph.order[i]
        frame = FRAME.get(node.kind, FRAME["operation"])
        fill, width = "#ffffff", "1.5"
        if mark is not None:
            frame, fill, width = mark[0], mark[1], "3"
        op = printable(view.op)
        if len(op) > 9:
            op = op[:8] + "…"  # a custom op's long name would run out of the box
        name = graph.names[i]
        if self.compact:  # the canvas's compact title: "name op" in all but a last column
            columns = self.zoom.box_width - 1
            if op and len(name) + 1 + len(op) > columns and len(name) <= columns:
                op = ""  # the name is worth more than the op (the step log says it)
            room = columns - (len(op) + 1 if op else 0)
            if len(name) > room:
                name = name[: max(0, room - 1)] + "…"
        else:  # the canvas's frame title: " name " and " op "
            room = self.zoom.box_width - 2 - (len(op) + 2 if op else 0)
            if len(name) + 2 > room:
                name = name[: max(0, room - 2)] + "…"
        tint = {"positive": POSITIVE, "negative": NEGATIVE, "none": PENDING}.get(
            view.grad_state, "#24292f")
        muted = ' fill="#57606a"' if node.kind == CONSTANT else ""
        data_fill = muted if view.computed else f' fill="{PENDING}"'
        if title is None:
            title = graph.summary(i)
        yield f'{group}<title>{xml_text(title)}</title>\n'
        yield (f'<rect x="{x + 0.5}" y="{y + 0.5}" width="{w - 1}" height="{h - 1}" rx="6" '
               f'fill="{fill}" stroke="{frame}" stroke-width="{width}"/>\n')
        if self.compact:
            yield (f'<text x="{x + 5}" y="{y + 13}" font-size="11" font-weight="bold"{muted}>'
                   f'{xml_text(name)}</text>\n')
            if op:
                yield (f'<text x="{x + w - 5}" y="{y + 13}" font-size="11" text-anchor="end" '
                       f'fill="{frame}">{xml_text(op)}</text>\n')
            yield (f'<text x="{x + 5}" y="{y + 27}" font-size="10"><tspan{data_fill}>'
                   f'{view.data}</tspan> <tspan fill="{tint}">∇{view.grad}</tspan></text>\n'
                   "</g>\n")
            return
        yield (f'<line x1="{x}" y1="{y + 21.5}" x2="{x + w}" y2="{y + 21.5}" stroke="{frame}" '
               f'stroke-opacity="0.35"/>\n')
        yield f'<text x="{x + 8}" y="{y + 15}" font-weight="bold"{muted}>{xml_text(name)}</text>\n'
        if op:
            yield (f'<text x="{x + w - 8}" y="{y + 15}" text-anchor="end" fill="{frame}">'
                   f'{xml_text(op)}</text>\n')
        yield f'<text x="{x + 8}" y="{y + 38}"{data_fill}>data {view.data}</text>\n'
        yield (f'<text x="{x + 8}" y="{y + 55}"{muted}>grad <tspan fill="{tint}">{view.grad}'
               "</tspan></text>\n</g>\n")


def _check_size(graph: NumberedGraph) -> None:
    if len(graph) > MAX_NODES:
        raise DrawingTooLargeError(
            f"a drawing of {len(graph):,} nodes is too large to look at (at most "
            f"{MAX_NODES:,}): export json or dot instead"
        )


def _as_built(node: Value) -> NodeView:
    """What a node shows with no timeline: its numbers as they stand, the grad's sign."""
    grad = node.grad
    return NodeView(
        name="", op=node._op or ("const" if node.kind == CONSTANT else ""), kind=node.kind,
        data=fmt_number(node.data), grad=fmt_number(grad), computed=True,
        grad_state="positive" if grad > 0 else "negative" if grad < 0 else "zero",
    )


def _legend(stepper: Stepper) -> Iterator[str]:
    """The explorer's legend on one line above the graph, and where the timeline is."""
    yield '<g font-size="12">\n'
    x = MARGIN
    for (frame, fill), words in ((THIS_STEP, "this step"), (JUST_CHANGED, "just changed")):
        yield (f'<rect x="{x}" y="6" width="12" height="12" rx="2" fill="{fill}" '
               f'stroke="{frame}" stroke-width="2"/>\n')
        yield f'<text x="{x + 17}" y="16">{words}</text>\n'
        x += 17 + 8 * len(words) + 14
    yield (f'<text x="{x}" y="16" xml:space="preserve">'
           f'<tspan fill="{PENDING}">?</tspan> not computed yet   '
           f'<tspan fill="{PENDING}">·</tspan> no grad yet   grad <tspan fill="{POSITIVE}">'
           f'+</tspan> <tspan fill="{NEGATIVE}">−</tspan>   ·   '
           f'{xml_text(position_text(stepper))}</text>\n')
    yield "</g>\n"


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
