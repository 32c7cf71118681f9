"""The messages of the explorer, one type per event (as in Toolong's ``messages.py``).

The graph and the node table post the same ``NodeSelected`` and ``DetailsRequested``, so the
app handles each event once, whichever panel it came from. Every worker thread posts its
progress and its result as a message (Harlequin's pattern) instead of calling back into the
screen: a message to a screen that has closed meanwhile is dropped, so no worker needs to
ask whether anyone still wants its result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message
from textual.widget import Widget

if TYPE_CHECKING:
    from micrograd.expr import Program
    from micrograd.layout import Layout
    from micrograd.stepper import Stepper
    from micrograd.value import Value
    from tui.lessons.goals import Event
    from tui.opened import Opened

# --- the panels --------------------------------------------------------------------------


@dataclass
class NodeMessage(Message):
    """Something about ``node``, from ``widget`` (the graph or the node table)."""

    widget: Widget
    node: Value

    @property
    def control(self) -> Widget:
        """The panel it came from (so ``@on(NodeSelected, "#table")`` matches)."""
        return self.widget


class NodeSelected(NodeMessage):
    """The selection moved to ``node`` in ``widget``."""


class DetailsRequested(NodeMessage):
    """Enter on ``node`` in ``widget``: show the node's details."""


@dataclass
class SeekRequested(Message):
    """The learner chose a step in the log: move the timeline to ``position``."""

    position: int


# --- the workers ---------------------------------------------------------------------------


@dataclass
class OpenProgress(Message):
    """Opening a program in a worker reached ``stage`` (``ordering the nodes``...)."""

    stage: str


@dataclass
class ProgramOpened(Message):
    """A worker opened a program; ``screen`` is the loading screen shown meanwhile."""

    opened: Opened
    screen: Widget


@dataclass
class OpenFailed(Message):
    """A program given on the command line did not build: ``error`` says why."""

    error: str


@dataclass
class LayoutProgress(Message):
    """The layout worker of ``generation`` reached ``stage`` (``layers``, ``rows``...)."""

    generation: int
    stage: str


@dataclass
class LayoutDone(Message):
    """The layout worker of ``generation`` finished: the ``layout``, or None and ``error``."""

    generation: int
    layout: Layout | None
    error: str = ""


@dataclass
class SketchDone(Message):
    """The sketch worker of ``generation`` finished: a graph too big to lay out, as its
    ``sketch`` (``micrograd.layout.raster``) shrunk to the canvas (``grid``)."""

    generation: int
    sketch: object
    grid: object


@dataclass
class ProgramBuilt(Message):
    """The editor's or the builder's worker finished: the program, or the error to show."""

    result: Program | Exception


@dataclass
class LessonEvent(Message):
    """The learner did something a lesson page may be waiting for: a step, a nudge, a
    selection in the explorer; a training step, zero_grad switched on the training screen.
    Posted where it happens, it bubbles up to the App, whose lesson guide is the one handler.
    ``stepper`` is the explorer's timeline, for goals about a place on it (None: the
    training screen's)."""

    event: Event
    stepper: Stepper | None = None


# --- the view ------------------------------------------------------------------------------


@dataclass
class ViewMoved(Message):
    """The graph's view scrolled (a step, a key, the wheel): the overview strip follows."""

    widget: Widget


@dataclass
class ZoomAt(Message):
    """A click on the whole graph shrunk, or on the overview strip: zoom in on layout cell
    ``(x, y)``; ``node`` is the node there, if any."""

    widget: Widget
    x: int
    y: int
    node: Value | None = None


@dataclass
class NeuronOpened(Message):
    """Enter (or a double click) on a neuron of the network view: show ``node`` (its
    output) in the graph."""

    widget: Widget
    node: object
