"""The node table: every node in topological order, updating live as the timeline moves.

A Line API widget: it renders only the visible rows, so a graph of 100,000 nodes costs no
more to show than one of ten.
"""

from __future__ import annotations

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from micrograd.bugs import BuggyStepper
from micrograd.stepper import BackwardStep, Stepper
from micrograd.value import Value
from tui.keys import TIMELINE_IN_PANELS
from tui.messages import DetailsRequested, NodeSelected
from tui.present import grad_text, node_view

#: The columns, and the headers they show.
HEADERS = {"row": "#", "name": "name", "op": "op", "data": "data", "grad": "grad"}


class NodeTable(ScrollView, can_focus=True):
    """Position, label, op, data and grad of every node; the cursor row is the selection."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Row up", show=False),
        Binding("down,j", "cursor(1)", "Row down", show=False),
        Binding("pageup", "cursor(-10)", "Page up", show=False),
        Binding("pagedown", "cursor(10)", "Page down", show=False),
        Binding("enter", "details", "Details", show=False),
        Binding("right", "screen.step", "Next", show=False),
        Binding("left", "screen.back", "Back", show=False),
        *TIMELINE_IN_PANELS,
    ]

    COMPONENT_CLASSES = {
        "node-table--header",
        "node-table--cursor",
        "node-table--current",
        "node-table--changed",
        "node-table--positive",
        "node-table--negative",
        "node-table--pending",
    }

    DEFAULT_CSS = """
    NodeTable { height: 1fr; scrollbar-size-vertical: 1; }
    NodeTable > .node-table--header { text-style: bold; color: $text-muted; }
    NodeTable > .node-table--cursor { background: $primary 45%; }
    NodeTable > .node-table--current { text-style: bold; color: $this-step; }
    NodeTable > .node-table--changed { text-style: bold; color: $just-changed; }
    NodeTable > .node-table--positive { color: $grad-positive; }
    NodeTable > .node-table--negative { color: $grad-negative; }
    NodeTable > .node-table--pending { color: $text-disabled; }
    """

    cursor: reactive[int] = reactive(0)

    def __init__(self, stepper: Stepper, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_stepper(stepper)

    def set_stepper(
        self, stepper: Stepper, *, keep_cursor: bool = False,
        row_of: dict[Value, int] | None = None, longest_name: int | None = None,
    ) -> None:
        """Show ``stepper``'s graph; ``keep_cursor`` when it is the same graph as before.
        ``row_of`` and ``longest_name`` are given when made already (a big graph's are made
        off the screen's thread)."""
        old = getattr(self, "stepper", None)
        same_graph = old is not None and old.root is stepper.root and hasattr(self, "row_of")
        self.stepper = stepper
        self.rows: list[Value] = stepper.order
        if row_of is not None:
            self.row_of = row_of
        elif not same_graph:
            self.row_of = {node: i for i, node in enumerate(self.rows)}
        #: The longest name, so the name column shows names whole (up to a point).
        if longest_name is not None:
            self.longest_name = longest_name
        elif not same_graph:
            self.longest_name = max((len(stepper.names[n]) for n in self.rows), default=4)
        self.virtual_size = Size(0, len(self.rows) + 1)
        if not keep_cursor:
            self.set_reactive(NodeTable.cursor, 0)
        self.refresh()

    # --- rendering -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        width = self.size.width
        columns = self._columns()
        if y == 0:  # the header stays put
            text = "".join(_fit(HEADERS[key], w) + " " for key, w in columns)
            style = self.rich_style + self.get_component_rich_style("node-table--header")
            # The pad gets the header's style too: a pad without one breaks Textual's
            # NO_COLOR filter (it reads every segment's style).
            return Strip([Segment(text[:width], style)]).extend_cell_length(width, style)
        index = y - 1 + scroll_y
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        node = self.rows[index]
        view = node_view(self.stepper, node)
        cells = {"row": str(index), "name": view.name, "op": view.op, "data": view.data,
                 "grad": grad_text(self.stepper, node, view)}
        base = self.rich_style
        step = self.stepper.current
        if node is (step.node if step is not None else self.stepper.next_node()):
            base = base + self.get_component_rich_style("node-table--current")
        elif isinstance(step, BackwardStep) and any(
            term.parent is node for term in step.terms
        ):
            base = base + self.get_component_rich_style("node-table--changed")
        if index == self.cursor:
            base = base + self.get_component_rich_style("node-table--cursor")
        grad_style = {
            "positive": "node-table--positive",
            "negative": "node-table--negative",
        }.get(view.grad_state)
        segments = []
        for key, column_width in columns:
            fit = _fit_middle if key == "name" else _fit
            text = fit(cells[key], column_width) + " "
            style = base
            if key == "grad" and grad_style:
                style = base + self.get_component_rich_style(grad_style)
            if (key == "data" and not view.computed) or (
                key == "grad" and view.grad_state == "none"
            ):
                style = base + self.get_component_rich_style("node-table--pending")
            segments.append(Segment(text, style))
        return Strip(segments).crop(0, width).extend_cell_length(width, base)

    def _columns(self) -> list[tuple[str, int]]:
        """(column, width) for the current width. Names are shown whole where they fit
        (``L0.N0.w1``, not ``L0.N0.…``): first the op column goes (the graph shows each
        node's op too), then the numbers narrow. The name column takes what is left."""
        width = self.scrollable_content_region.width
        position = max(2, len(str(len(self.rows) - 1)))
        wanted = max(4, min(24, self.longest_name))

        # With a bug on, the grad column has room for the true grad beside it (3.0 (true 7.0)).
        true = 12 if isinstance(self.stepper, BuggyStepper) else 0

        def others(op: int, number: int) -> int:  # every column but the name, with gaps
            return position + (op + 1 if op else 0) + 2 * number + true + 4

        op, number = 7, 10
        if others(op, number) + wanted > width:
            op = 0
        if others(op, number) + wanted > width:
            number = 8
        if true and others(op, number) + 6 > width:  # room for -3.0 (true 4.0) first
            number, wanted = 7, 4
        floor = min(6, wanted) if true else 6  # a short name column only for a bug's room
        name = max(floor, min(24, width - others(op, number)))
        columns = [("row", position), ("name", name)]
        if op:
            columns.append(("op", op))
        return columns + [("data", number), ("grad", number + true)]

    def follow(self, nodes: list[Value]) -> None:
        """Scroll so the first node's row (the current step's) is in view, and with it as
        many of the others' rows (the operands the step read or wrote) as fit. The cursor
        stays where it is."""
        rows = [self.row_of[node] for node in nodes if node in self.row_of]
        if not rows:
            return
        height = max(1, self.scrollable_content_region.height - 1)  # less the header
        low = high = rows[0]
        for row in sorted(rows[1:], key=lambda r: abs(r - rows[0])):
            if max(high, row) - min(low, row) < height:
                low, high = min(low, row), max(high, row)
        top = int(self.scroll_offset.y)
        if low < top:
            self.scroll_to(y=low, animate=False)
        elif high >= top + height:
            self.scroll_to(y=high - height + 1, animate=False)

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
            self.post_message(NodeSelected(self, self.rows[new]))

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
            self.post_message(DetailsRequested(self, self.rows[self.cursor]))

    def on_click(self, event: events.Click) -> None:
        """A click on a row selects its node; a double click opens its details."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:  # the header
            return
        index = offset.y - 1 + int(self.scroll_offset.y)
        if 0 <= index < len(self.rows):
            event.stop()
            self.cursor = index
            if event.chain >= 2:
                self.action_details()


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def _fit_middle(text: str, width: int) -> str:
    """A name cut in the middle, where names of one neuron are alike: ``L2.N0.#293`` in 8
    cells is ``L2.…#293``, so its rows stay apart and match the step log."""
    if len(text) <= width:
        return text.ljust(width)
    tail = (width - 1) // 2 + (width - 1) % 2
    return text[: width - 1 - tail] + "…" + text[len(text) - tail:]
