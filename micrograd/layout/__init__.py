"""Graph -> character cells: where each box goes and how each edge runs, for the canvas.

A layered (Sugiyama) drawing, left to right like the Graphviz pictures of micrograd: inputs
on the left, the output on the right, every edge an orthogonal line of box-drawing
characters from a box's right side into the next box's left side. Pure: no Textual, no Rich,
only NetworkX for the graph, so the canvas just paints and all of this is tested without a
terminal. Nothing recurses on the graph (a chain of a million nodes is fine).

Why not grandalf or Graphviz's ``dot``: neither draws in character cells, and both are slow
for the explorer's graphs (an 863-node MLP: 0.063 s here, 3.5 s with grandalf, 3.1 s with
``dot``, which is also a program to install).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([(0, 2, 0), (1, 2, 1)])       # c = a * b, ids 0, 1, 2
    >>> lay = compute_layout(g, box_width=5, box_height=4)
    >>> [(b.x, b.y) for b in lay.boxes.values()], lay.width, lay.height
    ([(0, 0), (0, 5), (9, 2)], 14, 9)
    >>> for y in range(1, 7):
    ...     print(lay.edge_row(y, 5, 9).replace(" ", "."))
    ─┐..
    .│..
    .└─▶
    .┌─▶
    .│..
    ─┘..

Coordinates are character cells: ``x`` is the column, ``y`` the row, ``(0, 0)`` the top left
corner. A box covers the cells ``x .. x+width-1`` by ``y .. y+height-1``, borders included.
Edges never enter a box: a route starts in the cell just right of its source box (on the
box's middle row, ``(height-1) // 2``) and ends in the cell just left of its target box,
where the arrowhead is. Argument 0 enters above argument 1 when the box has rows for both.

The steps (``compute_layout``, in ``compute``; layers and buses in ``layers``, then
``ordering``, ``rows`` and ``routes``):

1. **Layers.** Each node goes as far right as it can: the sinks (the output) take the last
   layer and every other node sits one layer before its *first* (leftmost) user, i.e.
   layer = depth - (longest path from the node to a sink). An input or a constant thus sits
   just before the op that uses it, a sub-expression is computed just in time, and an
   expression tree has no edge longer than one layer. (Layering by longest path from the
   inputs instead would put the 500 products of a long sum in one column, with edges
   hundreds of layers long.)
2. **Buses.** A node whose edges reach past the next layer gets one virtual one-row item in
   each layer up to its last user, shared by all those edges: one line with a branch at
   each user (not one line per edge, which would make an MLP quadratic).
3. **Order.** A depth-first walk from the output visiting argument 0 before argument 1
   gives the starting order (``a`` above ``b``; a tree gets no crossings); then barycenter
   sweeps left to right and back, ties kept in the current order; the order with the
   fewest crossings (counted between adjacent layers) wins.
4. **Rows.** Items are stacked in their layer with a gap, then each pass moves every layer
   to the rows that make its edges straightest, keeping order and gaps (a weighted median
   per item, pooled by isotonic regression): a node lines up with its user, a long chain
   stays a straight line with the terms coming in from the side, equal operands centre.
5. **Routes.** Between two layers runs a channel. An edge leaves its source on the middle
   row, runs right to a vertical track, along it to the entry row, and right into the
   target. A source's edges share one track (a trunk with branches); sources whose
   vertical spans meet get different tracks, ordered so that lines that need not cross
   don't, and so that no two horizontal lines ever run along each other. Each channel is
   as wide as its tracks need.

Drawing (``Layout.edge_row``, in ``lines``): lines are ``─ │``; bends and branch points
``┌ ┐ └ ┘ ├ ┤ ┬ ┴ ┼`` only ever join lines of the *same* source. Where lines of two
*different* sources cross, the horizontal one is drawn over the vertical one (a ``─``
breaking the ``│``), so a crossing never reads as a junction. ``▶`` marks the cell before a
target box.

The result (``Box``, ``EdgeRoute``, ``Layout`` and its look-ups) is in ``model``;
``collapse`` contracts collapsed groups into one box before layout.
"""

from micrograd.layout.collapse import (
    COLLAPSE_ABOVE,
    Contracted,
    contract,
    find_groups,
    group_output,
)
from micrograd.layout.compute import compute_layout
from micrograd.layout.lines import ARROW
from micrograd.layout.model import Box, EdgeRoute, Layout

__all__ = [
    "ARROW",
    "COLLAPSE_ABOVE",
    "Box",
    "Contracted",
    "EdgeRoute",
    "Layout",
    "compute_layout",
    "contract",
    "find_groups",
    "group_output",
]
