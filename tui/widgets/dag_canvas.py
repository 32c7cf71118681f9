"""The graph canvas: boxes and edges laid out left to right, drawn one visible line at a time.

The layout (``micrograd.layout``) places every box and routes every edge once per graph and
zoom level; this widget only paints: for each visible row it asks the layout for the edge
characters and the boxes crossing that row, and fills the boxes with the values the Stepper
has right now, the way the zoom level draws a box (a frame of four rows at ``full``, two bare
rows at ``compact``, a name in a row at ``overview``). Cost follows what is on screen, not
the size of the graph. A graph too big for even a row a node is drawn *whole*: the layout
shrunk to the canvas (``micrograd.layout.raster``), each cell the most telling state among
the boxes it stands for.
"""

from __future__ import annotations

import textwrap

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from micrograd.fmt import visible
from micrograd.formulas import edge_label
from micrograd.layout import Box, Contracted, Layout
from micrograd.layout.raster import Raster, Sketch
from micrograd.layout.zoom import FULL, Zoom
from micrograd.ops import table_op
from micrograd.stepper import BackwardStep, Stepper
from micrograd.value import Value
from tui.keys import CANVAS, TIMELINE_IN_PANELS
from tui.messages import DetailsRequested, NodeSelected, ViewMoved, ZoomAt
from tui.present import node_view

#: The marks of the canvas, each as (mark in markup, what it means): one list for the legend
#: under the graph and the one on the help screen. The colours are the app's theme variables
#: (``tui.theme``), the ones the boxes and the table use.
LEGEND_MARKS = [
    ("[b $this-step]■[/]", "this step"),
    ("[b $just-changed]■[/]", "just changed"),
    ("[b]╔═╗[/]", "selected"),
    ("grad [b $grad-positive]+[/] [b $grad-negative]−[/]", "positive, negative"),
    ("[dim]?[/]", "not computed yet"),
    ("[dim]·[/]", "no grad yet"),
    ("[dim]2.0[/]", "dim: a constant (a plain number)"),
]
LEGEND = (
    "[b $this-step]■[/] this step  [b $just-changed]■[/] just changed  [b]╔═╗[/] selected  "
    "grad [b $grad-positive]+[/] [b $grad-negative]−[/]  [dim]?[/] not computed  "
    "[dim]·[/] no grad yet"
)
LEGEND_SHORT = (
    "[b $this-step]■[/] step [b $just-changed]■[/] changed [b]╔╗[/] selected "
    "grad [b $grad-positive]+[/][b $grad-negative]−[/] [dim]?[/] no value [dim]·[/] no grad"
)


#: The legend at the compact and overview levels, where the selection is shown reversed.
LEGEND_BARE = LEGEND.replace("[b]╔═╗[/] selected", "[reverse]x1[/] selected")
LEGEND_BARE_SHORT = LEGEND_SHORT.replace("[b]╔╗[/] selected", "[reverse]x1[/] selected")

#: How many drawn rows of the edge layer the canvas keeps (a few screens' worth).
EDGE_ROWS = 2_000

#: The most boxes of one cell of the whole-graph picture whose grads are read for its colour.
CELL_SAMPLE = 256

#: How many boxes a cell of the whole-graph picture stands for, drawn darker as it holds more.
DENSITY = ((1, "▪"), (3, "▒"), (9, "▓"))
DENSE = "█"


def short_number(x: float) -> str:
    """A number in two significant digits, for a compact box short of room: ``-0.1``,
    ``6.9``, ``-2.0``, ``1.5e-05`` (the node table and the step log write it in full)."""
    text = f"{x:.2g}"
    if text in ("0", "-0"):
        return "0.0"
    return text if any(c in text for c in ".ein") else text + ".0"  # -2.0, as 2.0 is


def density_mark(count: int) -> str:
    """The character of a cell standing for ``count`` boxes: ``▪`` one, ``▒`` a few,
    ``▓`` more, ``█`` many."""
    for most, mark in DENSITY:
        if count <= most:
            return mark
    return DENSE


class DagCanvas(ScrollView, can_focus=True):
    """The computation graph, with a selection the arrow keys move."""

    BINDINGS = [*CANVAS, *TIMELINE_IN_PANELS]

    COMPONENT_CLASSES = {
        "dag-canvas--edge",
        "dag-canvas--box",
        "dag-canvas--input",
        "dag-canvas--parameter",
        "dag-canvas--constant",
        "dag-canvas--operation",
        "dag-canvas--pending",
        "dag-canvas--positive",
        "dag-canvas--negative",
        "dag-canvas--zero",
        "dag-canvas--current",
        "dag-canvas--changed",
        "dag-canvas--selected",
        "dag-canvas--picked",
        "dag-canvas--away",
        "dag-canvas--edge-label",
    }

    DEFAULT_CSS = """
    /* No scrollbars: the overview strip below a graph bigger than the canvas and the
       border ("layer 2 of 5") say where the view is, and a scrollbar's thumb, drawn
       beside a box it cut off, read as part of that box. The wheel still scrolls. */
    DagCanvas { height: 1fr; scrollbar-size: 0 0; }
    DagCanvas > .dag-canvas--edge { color: $text-muted; }
    DagCanvas > .dag-canvas--input { color: $primary-lighten-1; }
    DagCanvas > .dag-canvas--parameter { color: $node-parameter; }
    DagCanvas > .dag-canvas--constant { color: $text-muted; }
    DagCanvas > .dag-canvas--operation { color: $foreground; }
    DagCanvas > .dag-canvas--pending { color: $text-disabled; }
    DagCanvas > .dag-canvas--positive { color: $grad-positive; text-style: bold; }
    DagCanvas > .dag-canvas--negative { color: $grad-negative; text-style: bold; }
    DagCanvas > .dag-canvas--zero { color: $foreground; }
    DagCanvas > .dag-canvas--current { color: $this-step; text-style: bold; }
    DagCanvas > .dag-canvas--changed { color: $just-changed; text-style: bold; }
    DagCanvas > .dag-canvas--selected { text-style: bold; }
    DagCanvas > .dag-canvas--picked { text-style: bold reverse; }
    DagCanvas > .dag-canvas--away { color: $just-changed; text-style: bold reverse; }
    DagCanvas > .dag-canvas--edge-label { color: $text; text-style: italic; }
    """

    def __init__(
        self, stepper: Stepper, layout: Layout | None, contracted: Contracted, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self._styles: dict[tuple[str, ...], Style] = {}
        self.message = ""
        #: How boxes are drawn (the layout was made for it), and whether the whole graph is
        #: drawn shrunk to the canvas (a graph too big for a row a node, at the overview).
        self.zoom: Zoom = FULL
        self.whole = False
        self.fitted = False
        self._grid: Raster | None = None
        self._looks: dict[tuple[int, int], tuple[str, Style]] = {}
        #: The edge layer's rows as drawn: the lines never change while the layout stands,
        #: so a step repaints its boxes over rows drawn already.
        self._edges: dict[tuple[int, int, int], str] = {}
        #: The nodes of the current step that are out of view, by side (``◀ 2 changed``).
        self.away: dict[str, int] = {}
        self._wanted: list[Value] = []
        #: Where the view is, said in the top border when the graph does not fit
        #: (``layer 3 of 7 · in L1.N4``; the overview strip writes it), and each node's
        #: group (a neuron) by id, which the app knows.
        self.where = ""
        self._said = ("", "")  # the borders' texts now
        self.group_of: dict[int, str] = {}
        #: Each edge's local derivative written on it (``d``; the layout's channels are
        #: made wide enough by the app).
        self.edge_labels = False
        self.set_graph(stepper, layout, contracted)

    def set_graph(
        self, stepper: Stepper, layout: Layout | None, contracted: Contracted,
        by_id: dict[int, Value] | None = None,
    ) -> None:
        """Show a graph; ``layout`` None means it is still being laid out. ``by_id`` is the
        nodes by id, if made already (a big graph's are made off the screen's thread)."""
        self.stepper = stepper
        self.nodes: dict[int, Value] = (
            by_id if by_id is not None else {node.id: node for node in stepper.order}
        )
        self.selected: Value = stepper.root
        self._wanted = []
        self.set_layout(layout, contracted, stepper.next_node())

    def set_layout(
        self, layout: Layout | Sketch | None, contracted: Contracted, focus: Value | None = None, *,
        zoom: Zoom | None = None, whole: bool = False, fitted: bool = False,
        grid: Raster | None = None,
    ) -> None:
        """A new layout of the same graph (a group collapsed or expanded, a layout done, a
        new zoom level); ``focus`` is the node to scroll into view. ``whole`` draws the
        layout shrunk to the canvas; ``fitted`` says the zoom was chosen to fit."""
        self.graph_layout = layout
        self.contracted = contracted
        if zoom is not None:
            self.zoom = zoom
        self.whole = whole and layout is not None
        self.fitted = fitted
        self._grid = grid  # made already, off the screen's thread (a million nodes)
        self._edges.clear()
        self._looks.clear()
        self.virtual_size = (
            Size(layout.width, layout.height) if layout is not None and not self.whole
            else Size(0, 0)
        )
        self.say_zoom()
        self.refresh()
        if layout is not None and focus is not None and not self.whole:
            self.call_after_refresh(self.show_step, self._wanted or [focus])

    def on_resize(self) -> None:
        """The legend sits in the bottom border, in the words that fit."""
        self.say_zoom()
        self._grid = None
        self._looks.clear()
        self.post_message(ViewMoved(self))  # a fitted graph is fitted again

    def say_zoom(self) -> None:
        """The zoom level in the top border, the legend in the bottom one. Set only when
        they change: setting a border repaints the whole canvas."""
        width = self.size.width
        framed = self.zoom.box_height >= FULL.box_height
        long, short = (LEGEND, LEGEND_SHORT) if framed else (LEGEND_BARE, LEGEND_BARE_SHORT)
        subtitle = long if width >= 96 else short if width >= 72 else ""
        if subtitle != self._said[1]:
            self.border_subtitle = subtitle
        title = ""
        if self.graph_layout is not None:
            name = "whole graph" if self.whole else self.zoom.label
            where = f" · {visible(self.where)}" if self.where else ""
            keys = " · ∂ on edges" if self.edge_labels else ""
            keys += " · z/Z zoom" if width >= 60 else ""
            title = f"{name}{' (fit)' if self.fitted else ''}{where}{keys}"
        if title != self._said[0]:
            self.border_title = Content(title)  # a group's name is the learner's text
        self._said = (title, subtitle)

    def show_message(self, message: str) -> None:
        """A line shown while there is no layout yet (laying out a big graph)."""
        self.message = message
        self.refresh()

    def box_of(self, node: Value) -> int:
        """The id of the box that shows ``node``: its own, or its collapsed group's."""
        return self.contracted.owner.get(node.id, node.id)

    def set_stepper(self, stepper: Stepper) -> None:
        """A new timeline on the same graph: keep the layout and the selection."""
        self.stepper = stepper
        self.repaint()

    def repaint(self) -> None:
        """Paint every box again (the whole timeline moved)."""
        self._looks.clear()
        self.refresh()

    # --- what is highlighted ---------------------------------------------------------------

    def current_node(self) -> Value | None:
        step = self.stepper.current
        return step.node if step is not None else None

    def changed_nodes(self) -> set[Value]:
        """The nodes the current step wrote to: a backward step's operands."""
        step = self.stepper.current
        if isinstance(step, BackwardStep):
            return {term.parent for term in step.terms}
        return set()

    # --- painting --------------------------------------------------------------------------

    def _style(self, *names: str) -> Style:
        """The widget's own style plus these component classes, cached until the CSS changes."""
        style = self._styles.get(names)
        if style is None:
            style = self.rich_style
            for name in names:
                style = style + self.get_component_rich_style(name)
            self._styles[names] = style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._looks.clear()

    def margins(self) -> tuple[int, int]:
        """Blank columns and rows left and above a graph smaller than the canvas: it is
        drawn in the middle, not in a corner."""
        layout = self.graph_layout
        if layout is None or self.whole:
            return 0, 0
        view = self.scrollable_content_region.size
        return max(0, (view.width - layout.width) // 2), max(0, (view.height - layout.height) // 2)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self.graph_layout is None:  # a message instead, wrapped and in the middle
            lines = textwrap.wrap(self.message, max(10, width - 2)) or [""]
            top = (self.size.height - len(lines)) // 2
            text = lines[y - top] if 0 <= y - top < len(lines) else ""
            style = self._style("dag-canvas--pending")
            return Strip([Segment(text.center(width)[:width], style)], width)
        if self.whole:
            return self._whole_line(y, width)
        scroll_x, scroll_y = self.scroll_offset
        left, top = self.margins()
        row = y + scroll_y - top
        blank = self._style()
        x0 = scroll_x - left
        x1 = x0 + width
        if not 0 <= row < self.graph_layout.height:
            cells, styles = [" "] * width, [blank] * width
        else:
            edge_style = self._style("dag-canvas--edge")
            cells = [" "] * (-x0 if x0 < 0 else 0)
            cells += self._edge_row(row, max(0, x0), x1)
            styles = [edge_style if c != " " else blank for c in cells]
            if self.edge_labels:
                self._label_edges(row, x0, cells, styles)
            current = self.current_node()
            current_box = self.box_of(current) if current is not None else None
            changed = {self.box_of(node) for node in self.changed_nodes()}
            selected_box = self.box_of(self.selected)
            paint = {"full": self._box_row, "compact": self._compact_row}.get(
                self.zoom.name, self._overview_row)
            for box in self.graph_layout.boxes_in(row, row + 1, max(0, x0), x1):
                node = self.nodes.get(box.node)
                if node is None:
                    continue
                for offset, (char, style) in enumerate(
                    paint(box, node, row - box.y, current_box, changed, selected_box)
                ):
                    x = box.x + offset - x0
                    if 0 <= x < width:
                        cells[x] = char
                        styles[x] = style
        self._mark_away(y, cells, styles)
        return Strip(_segments(cells, styles), width)

    def _label_edges(self, row: int, x0: int, cells: list[str], styles: list[Style]) -> None:
        """Write each edge's local derivative on its last stretch (into the arrow), for the
        edges that end on ``row``: ``∂ b = -3.0``."""
        layout = self.graph_layout
        assert layout is not None
        style = self._style("dag-canvas--edge-label")
        reach = x0 + len(cells) + layout.width  # a box just out of view has its label in it
        for box in layout.boxes_in(row, row + 1, max(0, x0), min(layout.width, reach)):
            node = self.nodes.get(box.node)
            if node is None or box.node in self.contracted.collapsed:
                continue
            for route in layout.edges_of(box.node):
                if route.target != box.node or route.points[-1][1] != row:
                    continue
                (xa, _ya), (xb, _yb) = route.points[-2], route.points[-1]
                text = self.edge_text(node, route.key)
                room = xb - xa - 1
                if room < 3:
                    continue
                if len(text) > room:
                    text = text[: room - 1] + "…"
                start = xb - len(text)
                for i, char in enumerate(text):
                    x = start + i - x0
                    if 0 <= x < len(cells):
                        cells[x] = char
                        styles[x] = style

    def edge_text(self, node: Value, position: int) -> str:
        """The local derivative of ``node`` with respect to operand ``position``, with its
        value once the node is computed."""
        op = table_op(node._op, len(node._prev))
        if op is None or node.has_custom_backward:
            return "∂ custom"
        names = self.stepper.names
        operands = [names[p] for p in node._prev]
        value = None
        if self.stepper.is_computed(node):
            try:
                inputs = tuple(p.data for p in node._prev)
                value = op.local(*inputs, node.data)[position]
            except ArithmeticError:
                value = None
        return edge_label(op, position, names[node], operands, value)

    def _edge_row(self, row: int, x0: int, x1: int) -> str:
        """``Layout.edge_row``, each stretch drawn once (at most EDGE_ROWS kept)."""
        key = (row, x0, x1)
        text = self._edges.get(key)
        if text is None:
            if len(self._edges) >= EDGE_ROWS:
                self._edges.clear()
            text = self._edges[key] = self.graph_layout.edge_row(row, x0, x1)
        return text

    def _frame_name(self, box: Box, node: Value, current: int | None,
                    changed: set[int]) -> str:
        """The component class of a box's frame: the step's, a changed node's, or its kind's."""
        if box.node == current:
            return "dag-canvas--current"
        if box.node in changed:
            return "dag-canvas--changed"
        return f"dag-canvas--{node.kind}"

    def _grad_name(self, state: str) -> str:
        return {
            "none": "dag-canvas--pending", "positive": "dag-canvas--positive",
            "negative": "dag-canvas--negative",
        }.get(state, "dag-canvas--zero")

    def _title(self, box: Box, name: str, op: str) -> tuple[str, str]:
        """A box's name and its tag (the op, or ``×14`` for a collapsed group)."""
        group = self.contracted.collapsed.get(box.node)
        if group is not None:
            return f"▸ {group[0]}", f"×{len(group[1])}"
        return name, op

    def _box_row(
        self,
        box: Box,
        node: Value,
        line: int,
        current: int | None,
        changed: set[int],
        selected: int,
    ) -> list[tuple[str, Style]]:
        """One row of a node's framed box (the full zoom) as (character, style) pairs."""
        view = node_view(self.stepper, node)
        frame_name = self._frame_name(box, node, current, changed)
        frame = self._style(frame_name)
        is_selected = box.node == selected
        if is_selected:
            frame = self._style(frame_name, "dag-canvas--selected")
        inner = box.width - 2
        last = box.height - 1
        # The selection is a double frame: a shape, so it never looks like a step's colour.
        h, v, tl, tr, bl, br = "═║╔╗╚╝" if is_selected else "─│┌┐└┘"
        if line == 0:
            name, op = self._title(box, view.name, view.op)
            tag = f" {op} " if op else ""
            title = f" {name} "
            room = inner - len(tag)
            if len(title) > room:
                title = title[: max(0, room - 1)] + "…"
            text = tl + title + h * max(0, room - len(title)) + tag + tr
            return [(c, frame) for c in text[: box.width]]
        if line == last:
            return [(c, frame) for c in (bl + h * inner + br)]
        if line == 1:
            value_text, value_style = view.data, (
                self._style("dag-canvas--pending") if not view.computed
                else frame
            )
            label = "data "
        elif line == 2:
            value_text = view.grad
            grad_name = self._grad_name(view.grad_state)
            value_style = (
                self._style(grad_name, "dag-canvas--selected") if is_selected
                else self._style(grad_name)
            )
            label = "grad "
        else:
            return [(v, frame)] + [(" ", frame)] * inner + [(v, frame)]
        body = (" " + label + value_text)[:inner].ljust(inner)
        split = min(inner, 1 + len(label))
        return (
            [(v, frame)]
            + [(c, frame) for c in body[:split]]
            + [(c, value_style) for c in body[split:]]
            + [(v, frame)]
        )

    def _compact_row(
        self, box: Box, node: Value, line: int, current: int | None, changed: set[int],
        selected: int,
    ) -> list[tuple[str, Style]]:
        """One row of a bare two-row box (the compact zoom): the name and op on top (in
        the step's colours, reversed when selected), ``data ∇grad`` below."""
        view = node_view(self.stepper, node)
        frame_name = self._frame_name(box, node, current, changed)
        width = box.width - 1  # a blank column on the right keeps boxes apart from edges
        if line == 0:
            name, op = self._title(box, view.name, view.op)
            if op and len(name) + 1 + len(op) > width and len(name) <= width:
                op = ""  # the name is worth more than the op (the step log says it)
            room = width - (len(op) + 1 if op else 0)
            if len(name) > room:
                name = name[: max(0, room - 1)] + "…"
            text = (name.ljust(room) + (" " + op if op else ""))[:width]
            names = (frame_name, "dag-canvas--picked") if box.node == selected else (frame_name,)
            style = self._style(*names)
            return [(c, style) for c in text] + [(" ", self._style())]
        if line > 1:
            return [(" ", self._style())] * box.width
        data_style = self._style(frame_name if view.computed else "dag-canvas--pending")
        grad_style = self._style(self._grad_name(view.grad_state))
        data, grad = view.data, "∇" + view.grad
        if len(data) + 1 + len(grad) > width:  # fewer digits; the table has them all
            data = short_number(node.data) if view.computed else data
        if len(data) + 1 + len(grad) > width and view.grad_state != "none":
            grad = "∇" + short_number(node.grad)
        if len(data) + 1 + len(grad) > width:  # the grad keeps its room; the data is cut
            data = data[: max(1, width - 2 - len(grad))] + "…"
        row = [(c, data_style) for c in data] + [(" ", self._style())]
        row += [(c, grad_style) for c in grad]
        row = row[:width]
        return row + [(" ", self._style())] * (box.width - len(row))

    def _overview_row(
        self, box: Box, node: Value, line: int, current: int | None, changed: set[int],
        selected: int,
    ) -> list[tuple[str, Style]]:
        """A box of one row (the overview): the name, cut to the box, or a mark in a box of
        one cell; coloured by the step, else by the grad's sign, else dim until computed."""
        view = node_view(self.stepper, node)
        style_names = [self._look_name(box.node, node, view.computed, view.grad_state,
                                       current, changed)]
        if box.node == selected:
            style_names.append("dag-canvas--picked")
        style = self._style(*style_names)
        width = box.width
        if width <= 2:
            return [("●" if view.computed else "○", style)] + [(" ", self._style())] * (width - 1)
        name, _op = self._title(box, view.name, view.op)
        room = width - 1
        # The number follows the name where both fit: the grad once reached, else the value.
        number = ("∇" + view.grad if view.grad_state != "none"
                  else view.data if view.computed else "")
        if number and len(name) + 1 + len(number) <= room:
            name = f"{name} {number}"
        if len(name) > room:
            name = name[: max(1, room - 1)] + "…"
        return [(c, style) for c in name.ljust(room)] + [(" ", self._style())]

    def _look_name(self, box_id: int, node: Value, computed: bool, grad: str,
                   current: int | None, changed: set[int]) -> str:
        """The colour of a node drawn as a mark: the step's, else the grad's sign, else its
        kind once computed, else dim."""
        if box_id == current:
            return "dag-canvas--current"
        if box_id in changed:
            return "dag-canvas--changed"
        if grad != "none":
            return self._grad_name(grad)
        return f"dag-canvas--{node.kind}" if computed else "dag-canvas--pending"

    # --- the whole graph, shrunk -----------------------------------------------------------

    def grid(self) -> Raster | None:
        """The layout shrunk to the canvas (made again when the canvas changes size)."""
        layout = self.graph_layout
        if layout is None:
            return None
        size = self.size
        grid = self._grid
        if grid is None or (grid.columns, grid.rows) != (size.width, size.height):
            grid = self._grid = Raster(layout, size.width, size.height)
            self._looks.clear()
        return grid

    def cell_look(self, grid: Raster, cell: tuple[int, int]) -> tuple[str, str]:
        """How a cell of ``grid`` is drawn: a mark for how many boxes it stands for, and
        the most telling state among them (the step, a changed node, the grads' sign by
        majority, computed or not), as a component class. A cell of thousands of boxes (a
        graph too big to lay out) is judged by an even sample of CELL_SAMPLE of them; the
        step and the changed nodes are found exactly."""
        ids = grid.cells.get(cell)
        if not ids:
            return " ", ""
        mark = density_mark(len(ids))
        current = self.current_node()
        if current is not None and grid.locate(self.box_of(current)) == cell:
            return mark, "dag-canvas--current"
        if any(grid.locate(self.box_of(node)) == cell for node in self.changed_nodes()):
            return mark, "dag-canvas--changed"
        positive = negative = computed = 0
        stride = max(1, len(ids) // CELL_SAMPLE)
        stepper, nodes = self.stepper, self.nodes
        for box_id in ids[::stride]:
            node = nodes.get(box_id)
            if node is None:
                continue
            if stepper.grad_touched(node):
                positive += node.grad > 0
                negative += node.grad < 0
            computed += stepper.is_computed(node)
        if positive or negative:
            return mark, "dag-canvas--positive" if positive >= negative else "dag-canvas--negative"
        return mark, "dag-canvas--operation" if computed else "dag-canvas--pending"

    def _whole_line(self, y: int, width: int) -> Strip:
        grid = self.grid()
        assert grid is not None
        selected = grid.locate(self.box_of(self.selected))
        cells: list[str] = []
        styles: list[Style] = []
        for x in range(width):
            look = self._looks.get((x, y))
            if look is None:
                if (x, y) in grid.cells:
                    mark, name = self.cell_look(grid, (x, y))
                    names = (name, "dag-canvas--picked") if selected == (x, y) else (name,)
                    look = (mark, self._style(*names))
                else:
                    look = (" ", self._style())
                self._looks[(x, y)] = look
            cells.append(look[0])
            styles.append(look[1])
        return Strip(_segments(cells, styles), width)

    # --- out of view -----------------------------------------------------------------------

    def _mark_away(self, y: int, cells: list[str], styles: list[Style]) -> None:
        """Write ``◀ 2 changed`` at the edge where nodes of the current step are out of
        view (on the middle row for the sides, the first and last rows for above and
        below)."""
        if not self.away:
            return
        height = self.size.height
        style = self._style("dag-canvas--away")
        for side, count in self.away.items():
            text = {"left": f"◀ {count} out of view", "right": f"{count} out of view ▶",
                    "up": f"▲ {count} out of view", "down": f"▼ {count} out of view"}[side]
            if side in ("left", "right") and y == height // 2:
                start = 0 if side == "left" else max(0, len(cells) - len(text))
            elif side == "up" and y == 0 or side == "down" and y == height - 1:
                start = max(0, (len(cells) - len(text)) // 2)
            else:
                continue
            for i, char in enumerate(text[: len(cells) - start]):
                cells[start + i] = char
                styles[start + i] = style

    def _update_away(self) -> None:
        """Count the wanted nodes (the current step's) that are out of view, by side."""
        away: dict[str, int] = {}
        layout = self.graph_layout
        if layout is not None and not self.whole and self._wanted:
            view = self.view_region()
            seen: set[int] = set()
            for node in self._wanted:
                box = layout.boxes.get(self.box_of(node))
                if box is None or box.node in seen:
                    continue
                seen.add(box.node)
                region = Region(box.x, box.y, box.width, box.height)
                if view.contains_region(region):
                    continue
                if box.right <= view.x:
                    side = "left"
                elif box.x >= view.right:
                    side = "right"
                elif box.bottom <= view.y:
                    side = "up"
                else:
                    side = "down"
                away[side] = away.get(side, 0) + 1
        if away != self.away:
            self.away = away
            self.refresh()

    def view_region(self) -> Region:
        """The part of the layout in view, in layout cells."""
        left, top = self.margins()
        scroll_x, scroll_y = self.scroll_offset
        size = self.scrollable_content_region.size
        return Region(scroll_x - left, scroll_y - top, size.width, size.height)

    def centre_on(self, x: int, y: int) -> None:
        """Scroll so that layout cell ``(x, y)`` is in the middle of the view."""
        view = self.scrollable_content_region.size
        left, top = self.margins()
        self.scroll_to(x + left - view.width // 2, y + top - view.height // 2, animate=False,
                       force=True, immediate=True)

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_x(old_value, new_value)
        self._view_moved()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._view_moved()

    def _view_moved(self) -> None:
        self._update_away()
        self.post_message(ViewMoved(self))

    # --- repainting after a step ---------------------------------------------------------------

    def refresh_nodes(self, nodes: list[Value]) -> None:
        """Repaint the boxes of these nodes only."""
        layout = self.graph_layout
        if layout is None:
            return
        if self.whole:
            grid = self.grid()
            for node in nodes:
                cell = grid.locate(self.box_of(node)) if grid else None
                if cell is not None:
                    self._looks.pop(cell, None)
                    self.refresh(Region(cell[0], cell[1], 1, 1))
            return
        scroll_x, scroll_y = self.scroll_offset
        left, top = self.margins()
        for node in nodes:
            box = layout.boxes.get(self.box_of(node))
            if box is not None:
                self.refresh(Region(box.x - scroll_x + left, box.y - scroll_y + top,
                                    box.width, box.height))

    def _region(self, node: Value) -> Region | None:
        box = self.graph_layout.boxes.get(self.box_of(node)) if self.graph_layout else None
        return Region(box.x, box.y, box.width, box.height) if box is not None else None

    def show_node(self, node: Value) -> None:
        """Scroll so that ``node``'s box is in view."""
        self.show_step([node], keep=False)

    def show_step(self, nodes: list[Value], *, keep: bool = True) -> None:
        """Scroll so that the first node (the current step's) is in view, and with it as
        many of the others (the operands it read or wrote) as fit, nearest first.

        The view moves only when something wanted is out of view, and then puts what is
        shown in the middle; it never shows more than two blank rows above the topmost box
        or below the lowest one of the columns in view. ``keep`` remembers the nodes, so the
        marker of those out of view follows scrolling by hand.
        """
        if keep:
            self._wanted = list(nodes)
        if self.graph_layout is None or not nodes or self.whole:
            self._update_away()
            return
        first = self._region(nodes[0])
        if first is None:
            return
        view = self.scrollable_content_region.size
        shown = first
        others = [r for r in map(self._region, nodes[1:]) if r is not None]
        others.sort(key=lambda r: abs(r.x - first.x) + abs(r.y - first.y))
        for region in others:
            union = shown.union(region)
            if union.width <= view.width and union.height <= view.height:
                shown = union
        current = self.view_region()
        if not current.contains_region(shown):
            x, y = self._centred(shown, view)
            self.scroll_to(x, y, animate=False, force=True, immediate=True)
        self._update_away()

    def _centred(self, shown: Region, view: Size) -> tuple[int, int]:
        """The scroll offset that puts ``shown`` in the middle of the view, kept inside the
        drawing and with at most two blank rows beyond the boxes of the columns in view."""
        layout = self.graph_layout
        assert layout is not None
        max_x = max(0, layout.width - view.width)
        max_y = max(0, layout.height - view.height)
        x = shown.x + shown.width // 2 - view.width // 2
        x = min(max_x, max(0, x))
        y = shown.y + shown.height // 2 - view.height // 2
        top, bottom = layout.rows_used(x, x + view.width)
        if bottom - top + 4 >= view.height:  # taller than the view: no wasted rows
            y = max(top - 2, min(bottom + 2 - view.height, y))
        y = min(max_y, max(0, y))
        # What must be seen wins over the blank-row rule (a lone box far below the rest).
        x = min(shown.x, max(shown.right - view.width, x))
        y = min(shown.y, max(shown.bottom - view.height, y))
        return max(0, x), max(0, y)

    # --- the selection ---------------------------------------------------------------------

    def select(self, node: Value, *, notify: bool = False) -> None:
        previous = self.selected
        self.selected = node
        if self.whole and self._grid is not None:
            for other in (previous, node):
                cell = self._grid.locate(self.box_of(other))
                if cell is not None:
                    self._looks.pop(cell, None)
        self.refresh_nodes([previous, node])
        self.show_node(node)
        if notify:
            self.post_message(NodeSelected(self, node))

    def action_move(self, direction: str) -> None:
        if not isinstance(self.graph_layout, Layout):  # none yet, or a sketch (no places)
            return
        target = self.graph_layout.move(self.box_of(self.selected), direction)
        if target is not None and target in self.nodes:
            self.select(self.nodes[target], notify=True)

    def action_details(self) -> None:
        self.post_message(DetailsRequested(self, self.selected))

    # --- the mouse -------------------------------------------------------------------------

    def node_at(self, x: int, y: int) -> Value | None:
        """The node whose box covers cell ``(x, y)`` of the canvas (its content area)."""
        layout = self.graph_layout
        if layout is None:
            return None
        if self.whole:
            grid = self.grid()
            ids = grid.cells.get((x, y)) if grid else None
            return self.nodes.get(ids[0]) if ids else None
        scroll_x, scroll_y = self.scroll_offset
        left, top = self.margins()
        lx, ly = x + scroll_x - left, y + scroll_y - top
        for box in layout.boxes_in(ly, ly + 1, lx, lx + 1):
            return self.nodes.get(box.node)
        return None

    def on_click(self, event: events.Click) -> None:
        """A click selects the node under it; a double click opens its details. On the
        whole graph shrunk, a click zooms in there."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        node = self.node_at(offset.x, offset.y)
        if self.whole and self.graph_layout is not None:
            grid = self.grid()
            if grid is not None:
                self.post_message(ZoomAt(self, *grid.to_layout(offset.x, offset.y), node))
            return
        if node is None:
            return
        event.stop()
        if node is not self.selected:
            self.select(node, notify=True)
        if event.chain >= 2:
            self.action_details()


def _segments(cells: list[str], styles: list[Style]) -> list[Segment]:
    """Join runs of cells that share a style into segments."""
    segments: list[Segment] = []
    start = 0
    for i in range(1, len(cells) + 1):
        if i == len(cells) or styles[i] is not styles[start]:
            segments.append(Segment("".join(cells[start:i]), styles[start]))
            start = i
    return segments
