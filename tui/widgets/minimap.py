"""The overview strip: the whole graph in two rows under the canvas, the part in view marked.

Shown only while the graph is bigger than the canvas, as a code editor's minimap is: each
cell stands for a stretch of the layout (``micrograd.layout.raster``) and looks like the
canvas's whole-graph picture (the step, the changed nodes, the grads' sign); the cells of
the part in view have a background of their own. A click moves the view there. Where the
view is (``layer 3 of 7 · in L1.N4``) is said in the canvas's border.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget

from micrograd.layout import Layout
from micrograd.layout.raster import Raster
from tui.widgets.dag_canvas import DagCanvas

#: Rows of the strip.
STRIP_ROWS = 2


class Minimap(Widget):
    """The whole graph in a strip, for graphs bigger than the canvas."""

    COMPONENT_CLASSES = {"minimap--view"}

    DEFAULT_CSS = """
    Minimap { height: 2; display: none; padding: 0 1; }
    Minimap > .minimap--view { background: $accent 35%; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._grid: Raster | None = None

    @property
    def canvas(self) -> DagCanvas:
        return self.screen.query_one(DagCanvas)

    def follow(self) -> None:
        """Show the strip when the graph does not fit the canvas, and draw it anew."""
        canvas = self.canvas
        layout = canvas.graph_layout
        view = canvas.scrollable_content_region.size
        big = (layout is not None and not canvas.whole and view.area > 0 and canvas.display
               and (layout.width > view.width or layout.height > view.height))
        if self.display != big:
            self.display = big
        canvas.where = where(layout, canvas) if big else ""
        canvas.say_zoom()
        self.refresh()

    def _raster(self, layout: Layout) -> Raster:
        width = max(1, self.size.width)
        grid = self._grid
        if grid is None or grid.layout is not layout or grid.columns != width:
            grid = self._grid = Raster(layout, width, STRIP_ROWS)
        return grid

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        canvas = self.canvas
        layout = canvas.graph_layout
        if layout is None or y >= STRIP_ROWS:
            return Strip.blank(width, self.rich_style)
        grid = self._raster(layout)
        view = canvas.view_region()
        cx0, cy0, cx1, cy1 = grid.span(view.x, view.y, view.width, view.height)
        in_view = self.get_component_rich_style("minimap--view")
        base = self.rich_style
        segments: list[Segment] = []
        for x in range(width):
            if (x, y) in grid.cells:
                mark, name = canvas.cell_look(grid, (x, y))
                style: Style = base + canvas.get_component_rich_style(name)
            else:
                mark, style = " ", base
            if cx0 <= x <= cx1 and cy0 <= y <= cy1:
                style = style + in_view
            segments.append(Segment(mark, style))
        return Strip(Segment.simplify(segments), width)

    def on_click(self, event: events.Click) -> None:
        """Move the graph's view to the place clicked."""
        offset = event.get_content_offset(self)
        canvas = self.canvas
        if offset is None or canvas.graph_layout is None:
            return
        x, y = self._raster(canvas.graph_layout).to_layout(offset.x, offset.y)
        canvas.centre_on(x, y)
        event.stop()


def where(layout: Layout | None, canvas: DagCanvas) -> str:
    """Where the view is, in words: the layer at its middle (``layer 3 of 7``) and the group
    of the current step's node, if it is in one (``in L1.N4``)."""
    if layout is None or not layout.layers:
        return ""
    view = canvas.view_region()
    layer = layout.layer_at(view.x + view.width // 2)
    text = f"layer {layer + 1} of {len(layout.layers)}"
    node = canvas.current_node() or canvas.selected
    group = canvas.group_of.get(node.id) if node is not None else None
    return f"{text} · in {group}" if group else text
