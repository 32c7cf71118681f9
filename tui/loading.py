"""Opening a graph: the work between a Program and its first paint, and a screen to show
while a big one is being opened.

``open_program`` is plain Python with no Textual in it: the explorer runs it at once for a
small graph and in a worker thread, with progress on a ``LoadingScreen``, for a big one (a
million nodes take seconds to order, name and convert to NetworkX).

A worker thread holds the interpreter lock while it computes; Python hands the lock to
other threads every 5 ms by default, and a key passes several hand-offs on its way through
Textual. ``responsive()`` shortens that interval while background work runs, and pauses
the cycle collector (whose full passes stop every thread), so keys are answered within a
few tens of milliseconds (``bench/responsive.py`` measures it).
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from micrograd.explain import users_of
from micrograd.expr import Program
from micrograd.fmt import visible_label
from micrograd.graph import to_networkx
from micrograd.layout import COLLAPSE_ABOVE, find_groups
from micrograd.network import find_network
from micrograd.stepper import Stepper
from micrograd.value import Value
from tui.messages import OpenProgress
from tui.opened import Opened

#: Graphs with more nodes than this are opened in a worker thread, with progress shown.
OPEN_IN_WORKER_ABOVE = 20_000

#: The interpreter's thread switch interval while background work runs (Python's default is
#: 0.005 s): short enough for keys to get through, long enough not to slow the work much.
RESPONSIVE_SWITCH_INTERVAL = 0.0005

Progress = Callable[[str], None]


def open_program(program: Program, progress: Progress | None = None) -> Opened:
    """Everything the explorer works out about ``program`` before showing it; ``progress``
    hears each stage by name."""
    say = progress or (lambda stage: None)
    say("ordering the nodes")
    stepper = Stepper(program.output)
    order = stepper.order
    size = len(order)
    say(f"finding who uses each of {size:,} nodes")
    users = users_of(order)
    say("converting to NetworkX")
    nx_graph = to_networkx(program.output, order=order)  # the Stepper's sort, not another
    say("finding neurons and named expressions")
    groups = _shown_names(find_groups(nx_graph))
    collapsed = set(groups) if size > COLLAPSE_ABOVE else set()
    say("indexing")
    names = stepper.names
    return Opened(
        program, stepper, users, nx_graph, groups, collapsed,
        by_id={node._id: node for node in order},
        row_of={node: row for row, node in enumerate(order)},
        longest_name=max((len(names[node]) for node in order), default=4),
        edges=sum(len(node._prev) for node in order),
        opened_data={node: node.data for node in order if not node._prev},
        warning=program.unused_warning(order),
        network=find_network(nx_graph, groups) if groups else None,
    )


def _shown_names(groups: dict[str, list[int]]) -> dict[str, list[int]]:
    """Groups named as they are drawn (a box's title): a label's tab or newline shown, not
    obeyed; a name that would then clash with another keeps its own."""
    shown: dict[str, list[int]] = {}
    for name, ids in groups.items():
        title = visible_label(name)
        shown[title if title not in groups and title not in shown else name] = ids
    return shown


def bigger_than(root: Value, limit: int) -> bool:
    """Whether ``root``'s graph has more than ``limit`` nodes, found without walking past
    ``limit`` of them: cheap however big the graph is.

        >>> from micrograd import Value
        >>> x = Value(1.0)
        >>> bigger_than(x * x + x, 2), bigger_than(x * x + x, 3)
        (True, False)
    """
    seen = {root}
    stack = [root]
    while stack:
        for parent in stack.pop()._prev:
            if parent not in seen:
                if len(seen) >= limit:
                    return True
                seen.add(parent)
                stack.append(parent)
    return False


_busy = 0
_busy_lock = threading.Lock()
_default_interval = sys.getswitchinterval()
_collector_was_on = True


@contextmanager
def responsive() -> Iterator[None]:
    """While the block runs (background work in a thread), keep the screen answering keys:
    hand the interpreter lock between threads more often, and pause the cycle collector,
    whose full passes over millions of new objects would stop every thread for a second or
    two (what is built has no reference cycles; ``gc.freeze()`` after opening keeps it out of
    later passes). Nests, across threads too."""
    global _busy, _default_interval, _collector_was_on
    with _busy_lock:
        if _busy == 0:
            _default_interval = sys.getswitchinterval()
            sys.setswitchinterval(RESPONSIVE_SWITCH_INTERVAL)
            _collector_was_on = gc.isenabled()
            gc.disable()
        _busy += 1
    try:
        yield
    finally:
        with _busy_lock:
            _busy -= 1
            if _busy == 0:
                sys.setswitchinterval(_default_interval)
                if _collector_was_on:
                    # What the work built would otherwise be scanned by the first full pass
                    # after this, a stall of a second at a million nodes: freeze it first.
                    gc.freeze()
                    gc.enable()


class LoadingScreen(ModalScreen[None]):
    """What a big graph shows while it is being opened: the stage, and how to quit. Modal,
    so no other key acts meanwhile (there is nothing to act on yet)."""

    BINDINGS = [Binding("q,ctrl+q,ctrl+c", "app.quit", "Quit", show=False)]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.what = title

    def compose(self) -> ComposeResult:
        yield Static("", id="loading-text", markup=False)

    def on_mount(self) -> None:
        self.show("reading the program")

    def show(self, stage: str) -> None:
        """The stage the work has reached: ``building the graph``, ``laying out``..."""
        self.query_one(Static).update(f"opening {self.what}\n{stage}…\n\nq quits")

    def on_open_progress(self, message: OpenProgress) -> None:
        """The worker opening the program reached another stage."""
        self.show(message.stage)
