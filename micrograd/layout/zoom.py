"""Zoom levels: how big a node is drawn, and the roomiest level at which a graph fits.

A zoom level is only a box size and the spacing around boxes; ``lay_out`` turns a graph into
a ``Layout`` at that level, and ``fit`` picks the level for a canvas of a given size. The
canvas paints a box differently at each level (a framed box, two bare rows, a name in a
row), but where every box goes is decided here, so it is tested without a terminal.

    >>> import networkx as nx
    >>> from micrograd.layout.collapse import contract
    >>> g = nx.MultiDiGraph([(0, 2, 0), (1, 2, 1)])          # c = a * b
    >>> plan = fit(contract(g, {}, set()), 78, 10)
    >>> plan.zoom.name, plan.layout.width <= 78, plan.layout.height <= 10
    ('full', True, True)
    >>> fit(contract(g, {}, set()), 30, 5).zoom.name, fit(contract(g, {}, set()), 20, 5).zoom.name
    ('compact', 'overview')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from micrograd.layout.collapse import Contracted
from micrograd.layout.compute import compute_layout
from micrograd.layout.layers import assign_layers, read_graph
from micrograd.layout.model import Layout

__all__ = ["FULL", "COMPACT", "OVERVIEW", "LEVELS", "Layouts", "Zoom", "Plan", "could_fit",
           "fit", "lay_out", "level_named", "overview_fitting", "roomier", "tighter"]


@dataclass(frozen=True)
class Zoom:
    """One zoom level: every box ``box_width`` x ``box_height`` cells, at least ``row_gap``
    blank rows between two boxes of a layer and ``channel`` columns between two layers."""

    name: str
    box_width: int
    box_height: int
    row_gap: int = 1
    channel: int = 4
    #: Tracks at the left of each channel: long last stretches, for labels on the edges.
    tracks_left: bool = False

    @property
    def label(self) -> str:
        """What the graph's border says: ``full``, ``compact``, ``overview``."""
        return self.name


#: Today's boxes: a frame, the name and op on top, ``data`` and ``grad`` on rows of their
#: own. 19 columns hold "grad -1.234e-05".
FULL = Zoom("full", 19, 4)
#: Two bare rows: the name and op, then ``data ∇grad``. 12 columns hold "0.7071 ∇-1.5".
COMPACT = Zoom("compact", 12, 2)
#: A node a row: its name (and its number, where there is room: ``a ∇6.0``), cut to the
#: room there is (a cell at the least), colour for its state. ``fit`` narrows the boxes
#: until the graph fits.
OVERVIEW = Zoom("overview", 10, 1, row_gap=0, channel=3)

#: Roomiest first: ``fit`` tries them in this order, and ``z`` / ``Z`` move along it.
LEVELS = (FULL, COMPACT, OVERVIEW)

#: The narrowest an overview box gets (a cell: the node's state in colour, no name).
OVERVIEW_MIN_WIDTH = 1


def level_named(name: str) -> Zoom:
    """The zoom level called ``name`` (``full``, ``compact`` or ``overview``)."""
    for level in LEVELS:
        if level.name == name:
            return level
    raise ValueError(f"no zoom level {name!r}; the levels are "
                     + ", ".join(level.name for level in LEVELS))


def roomier(zoom: Zoom) -> Zoom | None:
    """The next level in (bigger boxes), None at full."""
    index = [level.name for level in LEVELS].index(zoom.name)
    return LEVELS[index - 1] if index > 0 else None


def tighter(zoom: Zoom) -> Zoom | None:
    """The next level out (smaller boxes), None at the overview."""
    index = [level.name for level in LEVELS].index(zoom.name)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


def lay_out(contracted: Contracted, zoom: Zoom = FULL,
            progress: Callable[[str], None] | None = None) -> Layout:
    """The canvas's layout of ``contracted`` at ``zoom``. A collapsed group's box grows (at
    full zoom) so each input gets a row of its own, up to 8 rows."""
    graph = contracted.graph
    size = None
    if contracted.collapsed and zoom.box_height >= FULL.box_height:
        def size(node: int) -> tuple[int, int]:
            if node in contracted.collapsed:
                rows = min(8, max(zoom.box_height, graph.in_degree(node) + 2))
                return zoom.box_width, rows
            return zoom.box_width, zoom.box_height

    return compute_layout(graph, box_width=zoom.box_width, box_height=zoom.box_height,
                          size=size, channel=zoom.channel, row_gap=zoom.row_gap,
                          progress=progress, tracks_left=zoom.tracks_left)


@dataclass(frozen=True)
class Plan:
    """A zoom level and the graph's layout at it; ``fits`` says whether all of it is inside
    the canvas it was planned for."""

    zoom: Zoom
    layout: Layout
    fits: bool


def _fits(layout: Layout, width: int, height: int) -> bool:
    return layout.width <= width and layout.height <= height


#: The cache ``fit`` may be given: layouts already made, by zoom level.
Layouts = dict[Zoom, Layout]


def could_fit(contracted: Contracted, width: int, height: int) -> bool:
    """Whether the graph could fit at all: every level takes a row a box and a column a
    layer at the least, plus a channel between layers. Cheap (no layout), so a graph far too
    big is not laid out level after level to learn that it fits at none."""
    nodes, edges = read_graph(contracted.graph)
    if not nodes:
        return True
    layer_of, depth = assign_layers(len(nodes), edges)
    tallest = max(Counter(layer_of).values())
    narrowest = (depth + 1) * OVERVIEW_MIN_WIDTH + depth * OVERVIEW.channel
    return tallest <= height and narrowest <= width


def fit(contracted: Contracted, width: int, height: int, cache: Layouts | None = None) -> Plan:
    """The roomiest zoom at which the whole graph fits a ``width`` x ``height`` canvas.

    Full boxes where they fit; else the compact rows (with a blank row between boxes if
    there is room for it, else none); else overview boxes as wide as the width allows, down
    to a cell. A graph that fits at none of these is planned at the compact level: what is
    in view stays readable, and the overview strip shows the rest (``fits`` is False).
    ``cache`` keeps the layouts made (by level), for the next call on the same graph.
    """
    cache = {} if cache is None else cache

    def layout_at(zoom: Zoom) -> Layout:
        if zoom not in cache:
            cache[zoom] = lay_out(contracted, zoom)
        return cache[zoom]

    if not could_fit(contracted, width, height):
        return Plan(COMPACT, layout_at(COMPACT), False)
    full = layout_at(FULL)
    if _fits(full, width, height):
        return Plan(FULL, full, True)
    for gap in (COMPACT.row_gap, 0):
        compact_zoom = replace(COMPACT, row_gap=gap)
        compact = layout_at(compact_zoom)
        if _fits(compact, width, height):
            return Plan(compact_zoom, compact, True)
        if compact.height <= height:
            break  # too wide: fewer blank rows would not help
    overview = overview_fitting(contracted, width, height, cache)
    if overview is not None:
        return overview
    return Plan(COMPACT, layout_at(COMPACT), False)


def overview_fitting(contracted: Contracted, width: int, height: int,
                     cache: Layouts | None = None) -> Plan | None:
    """The overview level with boxes as wide as ``width`` allows (at most its own width,
    at least a cell), or None when the graph is too tall or too wide even so.

    Every column of boxes is as wide as one box, so a layout one cell wider per box is
    ``columns`` cells wider: one layout at the narrowest says how wide the boxes can be.
    """
    cache = {} if cache is None else cache
    narrow_zoom = replace(OVERVIEW, box_width=OVERVIEW_MIN_WIDTH)
    if narrow_zoom not in cache and not could_fit(contracted, width, height):
        return None
    if narrow_zoom not in cache:
        cache[narrow_zoom] = lay_out(contracted, narrow_zoom)
    narrow = cache[narrow_zoom]
    if not _fits(narrow, width, height):
        return None
    columns = sum(1 for layer in narrow.layers if layer)
    spare = (width - narrow.width) // max(1, columns)
    box_width = min(OVERVIEW.box_width, OVERVIEW_MIN_WIDTH + spare)
    if box_width == OVERVIEW_MIN_WIDTH:
        return Plan(narrow_zoom, narrow, True)
    zoom = replace(OVERVIEW, box_width=box_width)
    if zoom not in cache:
        cache[zoom] = lay_out(contracted, zoom)
    return Plan(zoom, cache[zoom], True)
