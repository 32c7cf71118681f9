"""The node table: every node in topological order, updating live as the timeline moves.

A Line API widget: it renders only the visible rows, so a graph of 100,000 nodes costs no
more to show than one of ten.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from micrograd.backprop import Stepper
from micrograd.value import Value
from tui.keys import TIMELINE_IN_PANELS
from tui.present import node_view

HEADERS = ("#", "label", "op", "data", "grad")


class NodeTable(ScrollView, can_focus=True):
    """Position, label, op, data and grad of every node; the cursor row is the selection."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Row up", show=False),
        Binding("down,j", "cursor(1)", "Row down", show=False),
        Binding("pageup", "cursor(-10)", "Page up", show=False),
        Binding("pagedown", "cursor(10)", "Page down", show=False),
        Binding("enter", "details", "Details", show=False),
        Binding("right", "app.step", "Next", show=False),
        Binding("left", "app.back", "Back", show=False),
        *TIMELINE_IN_PANELS,
    ]

    COMPONENT_CLASSES = {
        "node-table--header",
        "node-table--cursor",
        "node-table--current",
        "node-table--positive",
        "node-table--negative",
        "node-table--pending",
    }

    DEFAULT_CSS = """
    NodeTable { height: 1fr; }
    NodeTable > .node-table--header { text-style: bold; color: $text-muted; }
    NodeTable > .node-table--cursor { background: $accent 40%; }
    NodeTable > .node-table--current { text-style: bold; color: $warning; }
    NodeTable > .node-table--positive { color: $success; }
    NodeTable > .node-table--negative { color: $error; }
    NodeTable > .node-table--pending { color: $text-disabled; }
    """

    cursor: reactive[int] = reactive(0)

    class Selected(Message):
        """The cursor moved to ``node``."""

        def __init__(self, node: Value) -> None:
            self.node = node
            super().__init__()

    class DetailsRequested(Message):
        def __init__(self, node: Value) -> None:
            self.node = node
            super().__init__()

    def __init__(self, stepper: Stepper, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_stepper(stepper)

    def set_stepper(self, stepper: Stepper, *, keep_cursor: bool = False) -> None:
        """Show ``stepper``'s graph; ``keep_cursor`` when it is the same graph as before."""
        self.stepper = stepper
        self.rows: list[Value] = stepper.order
        self.row_of = {node: i for i, node in enumerate(self.rows)}
        self.virtual_size = Size(0, len(self.rows) + 1)
        if not keep_cursor:
            self.set_reactive(NodeTable.cursor, 0)
        self.refresh()

    # --- rendering -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        width = self.size.width
        widths = self._widths()
        if y == 0:  # the header stays put
            text = "".join(_fit(cell, w) + " " for cell, w in zip(HEADERS, widths, strict=True))
            style = self.rich_style + self.get_component_rich_style("node-table--header")
            return Strip([Segment(text[:width], style)]).extend_cell_length(width)
        index = y - 1 + scroll_y
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        node = self.rows[index]
        view = node_view(self.stepper, node)
        cells = [str(index), view.name, view.op, view.data, view.grad]
        base = self.rich_style
        step = self.stepper.current
        if node is (step.node if step is not None else self.stepper.next_node()):
            base = base + self.get_component_rich_style("node-table--current")
        if index == self.cursor:
            base = base + self.get_component_rich_style("node-table--cursor")
        grad_style = {
            "positive": "node-table--positive",
            "negative": "node-table--negative",
        }.get(view.grad_state)
        segments = []
        for column, (cell, column_width) in enumerate(zip(cells, widths, strict=True)):
            text = _fit(cell, column_width) + " "
            style = base
            if column == 4 and grad_style:
                style = base + self.get_component_rich_style(grad_style)
            if (column == 3 and not view.computed) or (column == 4 and view.grad_state == "none"):
                style = base + self.get_component_rich_style("node-table--pending")
            segments.append(Segment(text, style))
        return Strip(segments).crop(0, width).extend_cell_length(width, base)

    def _widths(self) -> tuple[int, ...]:
        """Column widths for the current width: the label column takes what is left."""
        position = max(3, len(str(len(self.rows))))
        fixed = position + 7 + 10 + 10 + 5  # '#', op, data, grad and the gaps between
        label = max(6, min(24, self.size.width - fixed))
        return (position, label, 7, 10, 10)

    def refresh_nodes(self, nodes: list[Value]) -> None:
        """Repaint only the rows of these nodes (the ones a step changed)."""
        scroll_y = int(self.scroll_offset.y)
        for node in nodes:
            index = self.row_of.get(node)
            if index is not None and scroll_y <= index < scroll_y + self.size.height:
                self.refresh(Region(0, index - scroll_y + 1, self.size.width, 1))

    # --- the cursor ------------------------------------------------------------------------

    def select(self, node: Value, *, notify: bool = False) -> None:
        """Put the cursor on ``node`` and scroll it into view."""
        index = self.row_of.get(node)
        if index is None:
            return
        if notify:
            self.cursor = index
        else:
            self.set_reactive(NodeTable.cursor, index)
            self.refresh()
        self._scroll_to_cursor()

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self._scroll_to_cursor()
        if 0 <= new < len(self.rows):
            self.post_message(self.Selected(self.rows[new]))

    def _scroll_to_cursor(self) -> None:
        height = max(1, self.size.height - 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def action_cursor(self, delta: int) -> None:
        self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_details(self) -> None:
        if self.rows:
            self.post_message(self.DetailsRequested(self.rows[self.cursor]))


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"
