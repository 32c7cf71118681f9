"""The graph canvas: boxes and edges laid out left to right, drawn one visible line at a time.

The layout (``micrograd.layout``) places every box and routes every edge once per graph; this
widget only paints: for each visible row it asks the layout for the edge characters and the
boxes crossing that row, and fills the boxes with the values the Stepper has right now. Cost
follows what is on screen, not the size of the graph.
"""

from __future__ import annotations

import textwrap

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from micrograd.layout import Box, Contracted, Layout
from micrograd.stepper import BackwardStep, Stepper
from micrograd.value import Value
from tui.keys import CANVAS, TIMELINE_IN_PANELS
from tui.messages import DetailsRequested, NodeSelected
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
    }

    DEFAULT_CSS = """
    DagCanvas { height: 1fr; }
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
    """

    def __init__(
        self, stepper: Stepper, layout: Layout | None, contracted: Contracted, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self._styles: dict[tuple[str, ...], Style] = {}
        self.message = ""
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
        self.set_layout(layout, contracted, stepper.next_node())

    def set_layout(
        self, layout: Layout | None, contracted: Contracted, focus: Value | None = None
    ) -> None:
        """A new layout of the same graph (a group collapsed or expanded, or a layout done);
        ``focus`` is the node to scroll into view."""
        self.graph_layout = layout
        self.contracted = contracted
        self.virtual_size = Size(layout.width, layout.height) if layout else Size(0, 0)
        self.refresh()
        if layout is not None and focus is not None:
            self.call_after_refresh(self.show_node, focus)

    def on_resize(self) -> None:
        """The legend sits in the bottom border, in the words that fit."""
        width = self.size.width
        self.border_subtitle = LEGEND if width >= 96 else LEGEND_SHORT if width >= 72 else ""

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

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        if self.graph_layout is None:  # a message instead, wrapped and in the middle
            lines = textwrap.wrap(self.message, max(10, width - 2)) or [""]
            top = (self.size.height - len(lines)) // 2
            text = lines[y - top] if 0 <= y - top < len(lines) else ""
            style = self._style("dag-canvas--pending")
            return Strip([Segment(text.center(width)[:width], style)], width)
        row = y + scroll_y
        if row >= self.graph_layout.height:
            return Strip.blank(width, self.rich_style)
        x0, x1 = scroll_x, scroll_x + width
        edge_style = self._style("dag-canvas--edge")
        blank = self._style()
        cells = list(self.graph_layout.edge_row(row, x0, x1))
        styles = [edge_style if c != " " else blank for c in cells]
        current = self.current_node()
        current_box = self.box_of(current) if current is not None else None
        changed = {self.box_of(node) for node in self.changed_nodes()}
        selected_box = self.box_of(self.selected)
        for box in self.graph_layout.boxes_in(row, row + 1, x0, x1):
            node = self.nodes.get(box.node)
            if node is None:
                continue
            for offset, (char, style) in enumerate(
                self._box_row(box, node, row - box.y, current_box, changed, selected_box)
            ):
                x = box.x + offset - x0
                if 0 <= x < width:
                    cells[x] = char
                    styles[x] = style
        return Strip(_segments(cells, styles), width)

    def _box_row(
        self,
        box: Box,
        node: Value,
        line: int,
        current: int | None,
        changed: set[int],
        selected: int,
    ) -> list[tuple[str, Style]]:
        """One row of a node's box as (character, style) pairs."""
        view = node_view(self.stepper, node)
        frame_name = f"dag-canvas--{node.kind}"
        if box.node == current:
            frame_name = "dag-canvas--current"
        elif box.node in changed:
            frame_name = "dag-canvas--changed"
        frame = self._style(frame_name)
        is_selected = box.node == selected
        if is_selected:
            frame = self._style(frame_name, "dag-canvas--selected")
        inner = box.width - 2
        last = box.height - 1
        # The selection is a double frame: a shape, so it never looks like a step's colour.
        h, v, tl, tr, bl, br = "═║╔╗╚╝" if is_selected else "─│┌┐└┘"
        if line == 0:
            tag = f" {view.op} " if view.op else ""
            title = f" {view.name} "
            group = self.contracted.collapsed.get(box.node)
            if group is not None:
                title = f" ▸ {group[0]} "
                tag = f" ×{len(group[1])} "
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
            grad_name = {
                "none": "dag-canvas--pending", "positive": "dag-canvas--positive",
                "negative": "dag-canvas--negative",
            }.get(view.grad_state, "dag-canvas--zero")
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

    # --- repainting after a step ---------------------------------------------------------------

    def refresh_nodes(self, nodes: list[Value]) -> None:
        """Repaint the boxes of these nodes only."""
        if self.graph_layout is None:
            return
        scroll_x, scroll_y = self.scroll_offset
        for node in nodes:
            box = self.graph_layout.boxes.get(self.box_of(node))
            if box is not None:
                self.refresh(Region(box.x - scroll_x, box.y - scroll_y, box.width, box.height))

    def _region(self, node: Value) -> Region | None:
        box = self.graph_layout.boxes.get(self.box_of(node)) if self.graph_layout else None
        return Region(box.x, box.y, box.width, box.height) if box is not None else None

    def show_node(self, node: Value) -> None:
        """Scroll so that ``node``'s box is in view."""
        region = self._region(node)
        if region is not None:
            self.scroll_to_region(region, animate=False, force=True)

    def show_step(self, nodes: list[Value]) -> None:
        """Scroll so that the first node (the current step's) is in view, and with it as
        many of the others (the operands it read or wrote) as fit, nearest first."""
        if self.graph_layout is None or not nodes:
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
        self.scroll_to_region(shown, animate=False, force=True)

    # --- the selection ---------------------------------------------------------------------

    def select(self, node: Value, *, notify: bool = False) -> None:
        previous = self.selected
        self.selected = node
        self.refresh_nodes([previous, node])
        self.show_node(node)
        if notify:
            self.post_message(NodeSelected(self, node))

    def action_move(self, direction: str) -> None:
        if self.graph_layout is None:
            return
        target = self.graph_layout.move(self.box_of(self.selected), direction)
        if target is not None and target in self.nodes:
            self.select(self.nodes[target], notify=True)

    def action_details(self) -> None:
        self.post_message(DetailsRequested(self, self.selected))


def _segments(cells: list[str], styles: list[Style]) -> list[Segment]:
    """Join runs of cells that share a style into segments."""
    segments: list[Segment] = []
    start = 0
    for i in range(1, len(cells) + 1):
        if i == len(cells) or styles[i] is not styles[start]:
            segments.append(Segment("".join(cells[start:i]), styles[start]))
            start = i
    return segments
