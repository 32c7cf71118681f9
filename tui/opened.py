"""What the explorer knows about a program it opened: ``Opened``, the model data that
``tui.loading.open_program`` makes (at once, or in a worker for a big graph) and the screen
shows. Plain data with no Textual in it, so a message can carry it (``ProgramOpened``)
without the messages importing the loading screen."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from micrograd.expr import Program
from micrograd.network import Network
from micrograd.stepper import Stepper
from micrograd.value import Value


@dataclass
class Opened:
    """A program made ready to show: its timeline, who uses each node, its NetworkX graph,
    its groups, and which of them start collapsed."""

    program: Program
    stepper: Stepper
    users: dict[Value, list[Value]]
    nx_graph: nx.MultiDiGraph
    groups: dict[str, list[int]]
    collapsed: set[str] = field(default_factory=set)
    #: Lookups the widgets need, made here (in the worker for a big graph) rather than on
    #: the screen's thread: a node by id, a node's row, the longest name, the edge count.
    by_id: dict[int, Value] = field(default_factory=dict)
    row_of: dict[Value, int] = field(default_factory=dict)
    longest_name: int = 4
    edges: int = 0
    #: The leaves' values as opened (``u`` undoes nudges back to them).
    opened_data: dict[Value, float] = field(default_factory=dict)
    #: Names the output does not use (``Program.unused_warning``), or ''.
    warning: str = ""
    #: The layers of neurons, for the network view (None: not an MLP's graph).
    network: Network | None = None
