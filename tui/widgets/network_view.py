"""The network view: an MLP as layers of neurons, with a weight matrix between two layers.

A semantic zoom (``micrograd.network``): each neuron is a small cell in its layer's column,
filled by its output's grad once the backward pass reaches it (its value before), and
between two layers the weight matrix is a heat map, a row per neuron and a column per input,
each weight's grad by colour (its sign) and shade (its size), ``·`` until the backward pass
reaches it. It fills in from right to left as the learner steps backward. When a column has
more neurons than the view has rows, two share a cell, one in each half (``▀``: the top
one in the character's colour, the bottom one in its background).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from micrograd.network import Cell, Network, NetworkPicture
from tui.keys import NETWORK, TIMELINE_IN_PANELS
from tui.messages import NeuronOpened

#: Shades of a cell by its size among its column's (or matrix's) cells, smallest first.
SHADES = "░▒▓█"
NOT_YET = "·"
GAP = 2

LEGEND = ("grad [b $grad-positive]+[/] [b $grad-negative]−[/], shade = size  "
          "[dim]·[/] not reached  [b $this-step]■[/] this step  "
          "[b $just-changed]■[/] just changed  enter: the neuron's graph")
LEGEND_SHORT = ("grad [b $grad-positive]+[/][b $grad-negative]−[/] [dim]·[/] not yet "
                "[b $this-step]■[/] step [b $just-changed]■[/] changed")


@dataclass(frozen=True)
class Band:
    """One column of the picture: the inputs, a weight matrix, a layer of neurons or the
    loss. ``cells[r][c]``: row ``r`` (a neuron), column ``c`` (an input, for a matrix)."""

    label: str
    cells: tuple[tuple[Cell, ...], ...]
    layer: int = -1  # the neuron layer a band of neurons shows (-1: not one)
    cell_width: int = 1

    @property
    def largest(self) -> float:
        """The largest size among the band's numbers (its shades are relative to it)."""
        return max((abs(c.number) for row in self.cells for c in row
                    if c.number is not None), default=0.0)

    @property
    def width(self) -> int:
        return max((len(row) for row in self.cells), default=0) * self.cell_width


def bands(picture: NetworkPicture) -> list[Band]:
    """The picture's columns, left to right: inputs, then each layer's weights and its
    neurons, then the loss."""
    result = [Band("in", tuple((cell,) for cell in picture.inputs), cell_width=2)]
    for i, (weights, neurons) in enumerate(zip(picture.weights, picture.neurons, strict=True)):
        fan_in = max((len(row) for row in weights), default=0)
        result.append(Band(f"W{i} {len(weights)}×{fan_in}", weights))
        result.append(Band(f"L{i}", tuple((cell,) for cell in neurons), layer=i,
                           cell_width=2))
    if picture.loss is not None:
        result.append(Band("loss", ((picture.loss,),), cell_width=2))
    return result


def shade(cell: Cell, largest: float) -> str:
    """The character of a cell in a column whose largest size is ``largest``."""
    if cell.number is None:
        return NOT_YET
    if largest <= 0 or cell.number == 0:
        return SHADES[0]
    index = int(abs(cell.number) / largest * len(SHADES))
    return SHADES[min(len(SHADES) - 1, index)]


class NetworkView(ScrollView, can_focus=True):
    """An MLP as layers of neurons and weight matrices; a neuron is selected with the
    arrow keys or a click, and ``enter`` opens its own graph."""

    BINDINGS = [*NETWORK, *TIMELINE_IN_PANELS]

    COMPONENT_CLASSES = {
        "network--label", "network--pending", "network--value", "network--positive",
        "network--negative", "network--current", "network--changed", "network--picked",
        "network--base",
    }

    DEFAULT_CSS = """
    NetworkView { height: 1fr; }
    NetworkView > .network--label { color: $text-muted; }
    NetworkView > .network--pending { color: $text-disabled; }
    NetworkView > .network--value { color: $foreground; }
    NetworkView > .network--positive { color: $grad-positive; }
    NetworkView > .network--negative { color: $grad-negative; }
    NetworkView > .network--current { color: $this-step; text-style: bold; }
    NetworkView > .network--changed { color: $just-changed; text-style: bold; }
    NetworkView > .network--picked { color: $accent; text-style: bold; }
    """

    def __init__(self, *, hint: str = "v: graph", **kwargs) -> None:
        super().__init__(**kwargs)
        #: How much bigger than a cell a weight is drawn, across and down; the margins
        #: that put a small picture in the middle.
        self.zoom_x = self.zoom_y = 1
        self.left = self.top = 0
        self.gap = GAP
        #: The key that leaves the view, said in its border.
        self.hint = hint
        self.title = ""
        self.network: Network | None = None
        self.picture: NetworkPicture | None = None
        self.bands: list[Band] = []
        self._largest: dict[int, float] = {}
        self._per = 1
        self._tallest = 0
        self._placed: list[tuple[int, Band]] = []
        self._styles: dict[str, Style] = {}
        self._colours: dict[tuple, Color] = {}
        self._pairs: dict[tuple[Color, Color], Style] = {}
        #: The selected neuron: (layer, index).
        self.selected: tuple[int, int] = (0, 0)

    # --- what is shown -------------------------------------------------------------------------

    def show(self, network: Network | None, picture: NetworkPicture | None) -> None:
        """Show ``picture`` of ``network`` (a new one after every step)."""
        if network is not self.network:
            self.selected = (0, 0)
        self.network = network
        self.picture = picture
        self.bands = bands(picture) if picture is not None else []
        self._largest = {id(band): band.largest for band in self.bands}
        self._size_to_fit()
        self.refresh()

    def show_picture(self, picture: NetworkPicture, *, title: str) -> None:
        """Show a picture without a graph behind it (a model being trained)."""
        self.title = title
        self.show(None, picture)

    def on_resize(self) -> None:
        self._size_to_fit()
        width = self.size.width
        self.border_subtitle = LEGEND if width >= 110 else LEGEND_SHORT if width >= 72 else ""

    @property
    def per_cell(self) -> int:
        """Neurons (matrix rows) a row of the view holds: 1, or 2 when they do not fit."""
        return self._per

    def _rows(self, band: Band) -> int:
        return -(-len(band.cells) // self._per)

    def _width(self, zoom_x: int) -> int:
        return sum(max(band.width * zoom_x + 1, len(band.label)) + self.gap
                   for band in self.bands)

    def _size_to_fit(self) -> None:
        """A small network is drawn bigger (wider cells, a blank row between neurons) and in
        the middle; a big one at a cell a weight, scrolling if it must."""
        most = max((len(band.cells) for band in self.bands), default=0)
        view = self.size
        # Two neurons a cell tell them apart by colour alone: not under NO_COLOR, where
        # each keeps a row (and its shade) and the view scrolls instead.
        no_color = getattr(self.app, "no_color", False)
        self._per = 1 if no_color or most <= max(1, view.height - 1) else 2
        self.gap = GAP
        if self._width(1) > view.width:  # narrow (beside a lesson): columns closer
            self.gap = 1
        tallest = self._tallest = max((self._rows(band) for band in self.bands), default=0)
        self.zoom_x = 1
        while self.zoom_x < 4 and self._width(self.zoom_x + 1) <= view.width:
            self.zoom_x += 1
        self.zoom_y = 1
        if self.per_cell == 1:
            while self.zoom_y < 3 and 1 + tallest * (self.zoom_y + 1) <= view.height:
                self.zoom_y += 1
        width, height = self._width(self.zoom_x), 1 + tallest * self.zoom_y
        self.left = max(0, (view.width - width) // 2)
        self.top = max(0, (view.height - height) // 2)
        self._place()
        self.virtual_size = Size(width, height)
        picture = self.picture
        if picture is not None:
            layers = " · ".join(f"L{i} {len(layer)}" for i, layer in
                                enumerate(picture.neurons))
            inputs = len(picture.inputs)
            title = self.title or "network view"
            self.border_title = f"{title} · {inputs} in · {layers} · {self.hint}"

    def _columns(self) -> list[tuple[int, Band]]:
        """Each band with its first column (a cell of room left of a band of neurons, for
        the selection's mark); worked out once a picture and size."""
        return self._placed

    def _place(self) -> None:
        x = self.left
        placed = []
        for band in self.bands:
            placed.append((x + 1, band))
            x += max(band.width * self.zoom_x + 1, len(band.label)) + self.gap
        self._placed = placed

    def _band_row(self, band: Band, y: int) -> int | None:
        """The row of ``band`` (a neuron, or two) drawn on row ``y`` of the picture, or None
        (the labels' row, a blank row between neurons, or past the band)."""
        tallest = self._tallest
        index = y - self.top - 1 - (tallest - self._rows(band)) // 2 * self.zoom_y
        if index < 0:
            return None
        r, sub = divmod(index, self.zoom_y)
        if self.zoom_y > 1 and sub == self.zoom_y - 1:
            return None
        return r if r < self._rows(band) else None

    # --- painting --------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        """The widget's style plus a component class's, cached until the CSS changes (a
        matrix of 160x160 weights asks for them tens of thousands of times a paint)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.rich_style + self.get_component_rich_style(name)
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._colours.clear()
        self._pairs.clear()

    def _cell_style(self, cell: Cell) -> Style:
        if cell.mark == "step":
            return self._style("network--current")
        if cell.mark == "changed":
            return self._style("network--changed")
        if cell.number is None:
            return self._style("network--pending")
        if not cell.grad:
            return self._style("network--value")
        return self._style("network--positive" if cell.number > 0 else "network--negative"
                           if cell.number < 0 else "network--value")

    def _colour(self, cell: Cell | None, largest: float) -> Color:
        """A cell's colour in a half-block: its style's colour, faded toward the background
        by how small it is (in eight steps, each colour made once)."""
        level = 0
        if cell is not None and cell.number is not None and largest > 0:
            level = min(8, int(abs(cell.number) / largest * 8))
        key = (None if cell is None else (cell.mark, cell.grad, cell.number is None,
                                          (cell.number or 0) > 0, (cell.number or 0) < 0), level)
        colour = self._colours.get(key)
        if colour is None:
            colour = self._colours[key] = self._mix(cell, level / 8)
        return colour

    def _mix(self, cell: Cell | None, size: float) -> Color:
        background = Color.from_rich_color(self.rich_style.bgcolor) if \
            self.rich_style.bgcolor else Color(0, 0, 0)
        if cell is None:
            return background
        colour = self._cell_style(cell).color
        base = Color.from_rich_color(colour) if colour is not None else Color(200, 200, 200)
        if cell.mark or cell.number is None:
            return base if cell.number is not None or cell.mark else base.blend(background, 0.5)
        return background.blend(base, 0.35 + 0.65 * size)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        row = y + scroll_y
        total = self.virtual_size.width
        chars = [" "] * max(total + self.left, width + scroll_x)
        styles: list[Style] = [self._style("network--base")] * len(chars)
        for x, band in self._columns():
            if row == self.top:
                self._put(chars, styles, x - 1, band.label, self._style("network--label"))
                continue
            r = self._band_row(band, row)
            if r is not None:
                self._paint_band_row(chars, styles, x, band, r)
        segments = [Segment(c, s) for c, s in zip(chars[scroll_x:scroll_x + width],
                                                    styles[scroll_x:scroll_x + width],
                                                    strict=True)]
        return Strip(Segment.simplify(segments), width)

    def _put(self, chars: list[str], styles: list[Style], x: int, text: str,
             style: Style) -> None:
        for i, char in enumerate(text):
            if 0 <= x + i < len(chars):
                chars[x + i] = char
                styles[x + i] = style

    def _paint_band_row(self, chars: list[str], styles: list[Style], x: int, band: Band,
                        r: int) -> None:
        per = self.per_cell
        cw = band.cell_width * self.zoom_x
        largest = self._largest.get(id(band), 0.0)
        picked = self._style("network--picked")
        if self.network is not None and band.layer >= 0 and self.selected[0] == band.layer:
            j = self.selected[1]
            if j // per == r:
                mark = "▶" if per == 1 else ("▀" if j % 2 == 0 else "▄")
                self._put(chars, styles, x - 1, mark, picked)
        if per == 1:
            for c, cell in enumerate(band.cells[r]):
                self._put(chars, styles, x + c * cw, shade(cell, largest) * cw,
                          self._cell_style(cell))
            return
        upper = band.cells[2 * r]
        lower = band.cells[2 * r + 1] if 2 * r + 1 < len(band.cells) else ()
        for c, cell in enumerate(upper):
            below = lower[c] if c < len(lower) else None
            if cell.number is None and not cell.mark and (below is None or (
                    below.number is None and not below.mark)):
                self._put(chars, styles, x + c * cw, NOT_YET * cw,
                          self._style("network--pending"))
                continue
            pair = (self._colour(cell, largest), self._colour(below, largest))
            style = self._pairs.get(pair)
            if style is None:
                style = self._pairs[pair] = Style(color=pair[0].rich_color,
                                                  bgcolor=pair[1].rich_color)
            self._put(chars, styles, x + c * cw, "▀" * cw, style)

    # --- the selection ---------------------------------------------------------------------------

    def action_move(self, direction: str) -> None:
        if self.network is None:  # a picture alone (training): nothing to open
            return
        layer, j = self.selected
        layers = self.network.layers
        if direction in ("up", "down"):
            j += -1 if direction == "up" else 1
        else:
            layer += -1 if direction == "left" else 1
            if not 0 <= layer < len(layers):
                return
            j = min(j, len(layers[layer]) - 1)
        if 0 <= j < len(layers[layer]):
            self.selected = (layer, j)
            self.refresh()

    def action_open(self) -> None:
        """The selected neuron's own graph: the detailed view, scrolled there."""
        if self.network is not None:
            layer, j = self.selected
            self.post_message(NeuronOpened(self, self.network.layers[layer][j].output))

    def on_click(self, event: events.Click) -> None:
        """A click selects a neuron; a double click opens its graph."""
        offset = event.get_content_offset(self)
        if offset is None or self.network is None:
            return
        x, y = offset.x + self.scroll_offset.x, offset.y + self.scroll_offset.y
        for left, band in self._columns():
            if band.layer < 0 or not left - 1 <= x < left + band.width * self.zoom_x:
                continue
            r = self._band_row(band, y)
            if r is None:
                return
            j = r * self.per_cell  # a shared cell: its upper neuron (↓ picks the lower one)
            self.selected = (band.layer, min(j, len(band.cells) - 1))
            self.refresh()
            event.stop()
            if event.chain >= 2:
                self.action_open()
            return
