"""The explorer: the graph, the node table and the step log, driven by the Stepper.

State flows one way. The Stepper is the model; a key moves it, and the widgets repaint the
nodes the move changed. No widget does math. This screen is the app's ``explore`` mode; the
App (``tui/app.py``) is the shell around it and the training screen. What the learner does
goes to the lessons as one message, ``LessonEvent``, which bubbles up to the App.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import re
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header
from textual.worker import get_current_worker

from micrograd.bugs import BUGS
from micrograd.explain import node_details
from micrograd.expr import ExprError, Program
from micrograd.files import write_atomic
from micrograd.fmt import visible
from micrograd.layout import Contracted, Layout, contract, group_output
from micrograd.layout.raster import Raster, sketch
from micrograd.layout.zoom import (
    COMPACT,
    FULL,
    OVERVIEW,
    Plan,
    Zoom,
    fit,
    lay_out,
    overview_fitting,
    roomier,
    tighter,
)
from micrograd.layout.zoom import level_named as level_of
from micrograd.network import picture, update
from micrograd.notebook import skipped_summary
from micrograd.nudge import nudge, slope_table
from micrograd.quiz import Question, marks, question
from micrograd.stepper import BackwardStep, ForwardStep, recompute
from micrograd.value import Value
from tui.commands import NodesProvider, SafeCommandPalette
from tui.experiments import Experiments, bug_title
from tui.keys import EXPLORER_BINDINGS
from tui.lessons.goals import LESSON_H, Event, node_named, nudge_off_the_page
from tui.lessons.lesson import Page
from tui.loading import (
    OPEN_IN_WORKER_ABOVE,
    LoadingScreen,
    Opened,
    Progress,
    bigger_than,
    open_program,
    responsive,
)
from tui.messages import (
    DetailsRequested,
    LayoutDone,
    LayoutProgress,
    LessonEvent,
    NeuronOpened,
    NodeSelected,
    OpenFailed,
    OpenProgress,
    ProgramOpened,
    SeekRequested,
    SketchDone,
    ViewMoved,
    ZoomAt,
)
from tui.present import node_view, plural
from tui.screens.details import DetailsScreen
from tui.widgets.dag_canvas import DagCanvas
from tui.widgets.footer import Footer
from tui.widgets.lesson_panel import LessonPanel
from tui.widgets.minimap import Minimap
from tui.widgets.network_view import NetworkView
from tui.widgets.node_table import NodeTable
from tui.widgets.step_log import StepLog

#: Seconds between autoplay steps, slowest first; ``+`` and ``-`` move along it.
AUTOPLAY_DELAYS = (2.0, 1.2, 0.8, 0.5, 0.3, 0.15, 0.05)

#: The widest channel between two layers that edge labels (``d``) get; longer ones are cut.
EDGE_LABEL_ROOM = 30

#: Seeks longer than this many steps run in chunks, the screen updated between them.
SEEK_IN_CHUNKS_ABOVE = 20_000
#: How long one chunk of a long seek may compute before the screen gets a turn.
SEEK_CHUNK_SECONDS = 0.015

#: The nudge step sizes ``{`` and ``}`` choose from.
NUDGE_STEPS = (0.001, 0.01, 0.1, 1.0)


class _Abandoned(Exception):
    """A layout no longer wanted: a newer graph or collapse state replaced it."""


#: Graphs whose contracted form has more boxes than this are laid out in a worker thread.
LAYOUT_IN_WORKER_ABOVE = 1_500
#: More boxes than this are not drawn: laying out a million boxes takes most of a minute
#: and gigabytes, holds the interpreter lock in long C calls (sorts) that stall the keys, and
#: shows a learner nothing a table does not (bench/RESULTS.md).
MAX_DRAWN_BOXES = 200_000

_LOADING = "loading…"


def _placeholder(title: str) -> Program:
    """What the explorer holds while the real program is being opened: one node."""
    return Program(Value(0.0, label=_LOADING), {}, "", title or "program")


class ExplorerScreen(Experiments, Screen[None]):
    """One graph's timeline, stepped forward and backward: the app's ``explore`` mode."""

    BINDINGS = EXPLORER_BINDINGS

    #: Autoplay on or off, and its speed (an index into AUTOPLAY_DELAYS); the watchers keep
    #: the timer and the subtitle in step. ``always_update``: ``+`` at the fastest speed
    #: still says the speed, as ``}`` at the largest h still says h.
    autoplay: var[bool] = var(False, init=False)
    speed: var[int] = var(3, init=False, always_update=True)
    #: The nudge step h, an index into NUDGE_STEPS (h = 0.01).
    nudge_index: var[int] = var(1, init=False, always_update=True)
    #: Quiz mode (``t``): ask for each operand's grad before a backward step is shown; the
    #: score, kept until the app closes, is in the title.
    quiz: var[bool] = var(False, init=False)
    quiz_right: var[int] = var(0, init=False)
    quiz_asked: var[int] = var(0, init=False)

    def __init__(self, program: Program | None = None, *,
                 loader: Callable[[Progress], Program] | None = None,
                 title: str = "") -> None:
        """Explore ``program``; or, for a program that takes long to build, the one
        ``loader`` builds (in a worker, with progress shown; ``title`` names it meanwhile).
        A big graph is opened in a worker too."""
        super().__init__()
        self.autoplay_timer: Timer | None = None
        #: Programs opened in this session, newest first (the editor offers them).
        self.recent: list[Program] = []
        self.layout_generation = 0
        #: The zoom the learner chose (z, Z, o), or None: the roomiest that fits (0).
        self.zoom_by_hand: Zoom | None = None
        self.zoom: Zoom = FULL
        self._layout_zoom: Zoom = COMPACT
        self._layout_whole = False
        self.network_on = False
        #: Whether the thread opening a big graph is still at work (the App's ``run_async``).
        self.loader_running = False
        #: A long seek (``end`` on a big graph) runs in steps between screen updates.
        self.seeking = False
        self._pending: Callable[[Progress], Program] | None = None
        if program is not None and loader is None:
            if bigger_than(program.output, OPEN_IN_WORKER_ABOVE):
                loader, title = (lambda progress: program), program.title
            else:
                self._install(open_program(program))
                return
        if loader is None:
            raise TypeError("the explorer needs a program or a loader")
        self._pending = loader
        self._install(open_program(_placeholder(title)))

    def _install(self, opened: Opened) -> None:
        """Make an opened program the model: its timeline, its groups, and (if small) its
        layout. The widgets follow in ``load_program`` once they exist."""
        program = opened.program
        self.program = program
        self.stepper = opened.stepper
        self.bug = None  # a new graph opens with the true backward pass (B: a bug)
        self.users = opened.users
        self.nx_graph = opened.nx_graph
        self.groups = opened.groups
        self.group_of = {node: name for name, ids in self.groups.items() for node in ids}
        #: The leaves' values as opened, so nudges can be undone (``u``).
        self.opened_data = opened.opened_data
        self.collapsed: set[str] = opened.collapsed
        self.opened = opened
        #: The layers of neurons, for the network view (None: not an MLP's graph).
        self.network = opened.network
        if program.output.label != _LOADING:
            self.recent = [program, *(p for p in self.recent if p is not program)][:10]
        self._contract()

    def _contract(self) -> None:
        """Contract the collapsed groups; the layout follows (``_start_layout``), at the
        canvas's size."""
        self.contracted = contract(self.nx_graph, self.groups, self.collapsed)
        self.layout_generation += 1
        self.graph_layout: Layout | None = None
        #: This contraction's layouts by zoom level, kept: a zoom changed back, a resize and
        #: a big graph's levels (each a worker's while) cost nothing the second time.
        self.layouts: dict[Zoom, Layout] = {}

    def _canvas_size(self) -> tuple[int, int]:
        """The canvas's size in cells; a guess from the terminal's before it is laid out."""
        size = self.query_one(DagCanvas).size
        if size.width > 0 and size.height > 0:
            return size.width, size.height
        return max(10, self.app.size.width - 2), max(3, self.app.size.height // 2 - 4)

    def _start_layout(self, focus: Value | None = None) -> None:
        """Lay the graph out at the zoom the learner chose, or else the roomiest at which
        all of it fits the canvas, and show it; a big graph is laid out in a worker with
        progress shown. ``focus`` is the node to show (default: the current step's)."""
        canvas = self.query_one(DagCanvas)
        boxes = self.contracted.graph.number_of_nodes()
        focus = focus or self._focus()
        width, height = self.planned_for = self._canvas_size()
        if boxes > MAX_DRAWN_BOXES:  # the whole graph's shape, sketched without a layout
            canvas.set_layout(None, self.contracted)
            canvas.show_message(f"{boxes:,} boxes: sketching the whole graph…")
            self.layout_generation += 1
            self._sketch_worker(self.stepper.order, self.contracted.owner, (width, height),
                                self.layout_generation)
            return
        if boxes <= LAYOUT_IN_WORKER_ABOVE:
            plan, whole = self._plan(width, height)
            self._show_layout(plan.layout, plan.zoom, focus, whole=whole)
            return
        # A big graph never fits: it opens at the compact level (the overview strip shows
        # the rest), and its layouts are kept, so changing zoom again is at once.
        zoom = self.zoom_by_hand or COMPACT
        whole = zoom.name == OVERVIEW.name
        if whole and self.layouts:  # the whole graph, shrunk from a layout already made
            made, layout = next(iter(self.layouts.items()))
            self._show_layout(layout, made, focus, whole=True)
            return
        if zoom in self.layouts:
            self._show_layout(self.layouts[zoom], zoom, focus)
            return
        zoom = COMPACT if whole else zoom
        canvas.set_layout(None, self.contracted)
        canvas.show_message(f"laying out {boxes:,} boxes…")
        self.layout_generation += 1
        self._layout_zoom = zoom
        self._layout_whole = whole
        self._layout_worker(self.contracted, zoom, self.layout_generation)

    def _plan(self, width: int, height: int) -> tuple[Plan, bool]:
        """A small graph's layout for a ``width`` x ``height`` canvas, and whether it is to be
        drawn whole (shrunk): the overview of a graph too big for a row a node."""
        zoom = self.zoom_by_hand
        cache = self.layouts
        if zoom is None:
            return fit(self.contracted, width, height, cache), False
        if zoom.name == OVERVIEW.name:
            plan = overview_fitting(self.contracted, width, height, cache)
            if plan is not None:
                return plan, False
            made = next(iter(cache.items()), None)  # shrink a layout made already
            if made is not None:
                return Plan(made[0], made[1], False), True
            narrow = replace(OVERVIEW, box_width=1)
            cache[narrow] = lay_out(self.contracted, narrow)
            return Plan(narrow, cache[narrow], False), True
        if zoom not in cache:
            cache[zoom] = lay_out(self.contracted, zoom)
        return Plan(zoom, cache[zoom], False), False

    def _show_layout(self, layout: Layout, zoom: Zoom, focus: Value | None, *,
                     whole: bool = False) -> None:
        self.graph_layout = layout
        self.zoom = zoom
        self.layouts.setdefault(zoom, layout)
        canvas = self.query_one(DagCanvas)
        canvas.set_layout(layout, self.contracted, focus, zoom=zoom, whole=whole,
                          fitted=self.zoom_by_hand is None)
        self._update_minimap()

    @work(thread=True, exclusive=True, group="layout")
    def _layout_worker(self, contracted: Contracted, zoom: Zoom, generation: int) -> None:
        """Lay out in a thread; the stages and the result come back as messages."""
        worker = get_current_worker()

        def progress(stage: str) -> None:
            if worker.is_cancelled or generation != self.layout_generation:
                raise _Abandoned
            self.post_message(LayoutProgress(generation, stage))

        try:
            with responsive():
                layout = lay_out(contracted, zoom, progress)
        except _Abandoned:
            return
        except Exception as error:  # a bug in the layout must not take the app down
            message = f"the graph could not be laid out: {type(error).__name__}: {error}"
            self.post_message(LayoutDone(generation, None, message))
            return
        self.post_message(LayoutDone(generation, layout))

    @work(thread=True, exclusive=True, group="layout")
    def _sketch_worker(self, order: list[Value], owner: dict, size: tuple[int, int],
                       generation: int) -> None:
        """The shape of a graph too big to lay out, shrunk to the canvas, made in a thread."""
        with responsive():
            drawn = sketch(order, owner)
            grid = Raster(drawn, *size)
        self.post_message(SketchDone(generation, drawn, grid))

    def on_sketch_done(self, message: SketchDone) -> None:
        if message.generation != self.layout_generation:
            return
        self.graph_layout = None
        self.query_one(DagCanvas).set_layout(
            message.sketch, self.contracted, zoom=OVERVIEW, whole=True, grid=message.grid)
        self._update_minimap()
        gc.freeze()  # a million cells' lists, acyclic: kept out of the collector's scans

    def on_layout_progress(self, message: LayoutProgress) -> None:
        if message.generation == self.layout_generation:
            boxes = self.contracted.graph.number_of_nodes()
            self.query_one(DagCanvas).show_message(
                f"laying out {boxes:,} boxes: {message.stage}…")

    def on_layout_done(self, message: LayoutDone) -> None:
        if message.generation != self.layout_generation:
            return  # a newer graph or collapse state has replaced this one
        canvas = self.query_one(DagCanvas)
        if message.layout is None:
            canvas.show_message(message.error)
            return
        self._show_layout(message.layout, self._layout_zoom, self._focus(),
                          whole=self._layout_whole)
        # A big graph and its layout are millions of long-lived objects with no reference
        # cycles (they are freed by reference counting). Left to the cycle collector, each
        # full collection would scan them all and freeze the screen for a moment; frozen,
        # they are left out of its scans.
        gc.freeze()

    # --- zoom ----------------------------------------------------------------------------------

    def action_zoom(self, direction: int) -> None:
        """``Z`` in (bigger boxes), ``z`` out (more of the graph): full, compact, overview.
        A zoom chosen by hand is kept until the learner changes it (or fits again)."""
        canvas = self.query_one(DagCanvas)
        if canvas.graph_layout is None:
            return
        now = OVERVIEW if canvas.whole else level_of(self.zoom.name)
        wanted = roomier(now) if direction > 0 else tighter(now)
        if wanted is None:
            self.say(f"already at the {'roomiest' if direction > 0 else 'smallest'} zoom "
                      f"({now.name}) · 0 fits the graph", timeout=2)
            return
        # Out of the whole graph, in at the selection (the arrows or a click chose it).
        self._set_zoom(wanted, focus=canvas.selected if canvas.whole else None)

    def _set_zoom(self, zoom: Zoom | None, focus: Value | None = None) -> None:
        boxes = self.contracted.graph.number_of_nodes()
        if boxes > MAX_DRAWN_BOXES:
            self.say(f"{boxes:,} boxes are too many to draw one by one (at most "
                      f"{MAX_DRAWN_BOXES:,}): the whole graph is its shape; the step log and "
                      "the table follow every step" + (" · C collapses the groups"
                                                        if self.groups else ""),
                      severity="warning", timeout=5)
            return
        self.zoom_by_hand = zoom
        self._start_layout(focus=focus)
        self.tell_lesson(Event("zoom", zoom.name if zoom else "fit"))

    def action_edge_labels(self) -> None:
        """Each edge's local derivative written on it (full zoom, channels made wide enough
        for the longest); again: off, and the graph fitted as before."""
        canvas = self.query_one(DagCanvas)
        canvas.edge_labels = not canvas.edge_labels
        if not canvas.edge_labels:
            self._set_zoom(None)
            return
        longest = max((len(canvas.edge_text(node, k)) for node in self.stepper.order
                       for k in range(len(node._prev))), default=0)
        self._set_zoom(replace(FULL, channel=min(EDGE_LABEL_ROOM, longest + 5), tracks_left=True))

    def action_fit(self) -> None:
        """The roomiest zoom at which the whole graph fits, as the graph opened."""
        self._set_zoom(None)

    def action_overview(self) -> None:
        """The whole graph on one screen; a click (or Z) zooms in there."""
        self._set_zoom(OVERVIEW)

    def on_zoom_at(self, message: ZoomAt) -> None:
        """A click on the whole graph: the compact level, there."""
        node = message.node
        if node is not None:
            self.query_one(DagCanvas).selected = node
        self._set_zoom(COMPACT, focus=node)

    def on_view_moved(self, message: ViewMoved) -> None:
        """The canvas scrolled or changed size: the strip follows, and a fitted graph is
        fitted again to the new size. (It may arrive as the app closes, the canvas gone.)"""
        if not message.widget.is_attached:
            return
        with contextlib.suppress(NoMatches):
            if (self.graph_layout is not None
                    and self._canvas_size() != getattr(self, "planned_for", None)
                    and self.contracted.graph.number_of_nodes() <= LAYOUT_IN_WORKER_ABOVE):
                self._start_layout(focus=self._focus())
                return
            self._update_minimap()

    # --- the network view ------------------------------------------------------------------------

    def action_network_view(self) -> None:
        """The network view on or off: layers of neurons and weight matrices."""
        if self.network is None:
            self.say("the network view needs an MLP's graph (neurons named L0.N0, ...): "
                      "--preset mlp, the builder (m), or explore(MLP(...))", severity="warning")
            return
        self._show_network(not self.network_on)

    def _show_network(self, on: bool, *, said: bool = True) -> None:
        """Show the network view in the graph's place, or the graph again."""
        self.network_on = on
        view = self.query_one(NetworkView)
        canvas = self.query_one(DagCanvas)
        view.display = on
        canvas.display = not on
        if on:
            self._paint_network()
            if canvas.has_focus:
                view.focus()
        elif view.has_focus:
            canvas.focus()
        self._update_minimap()
        if said:
            self.tell_lesson(Event("view", "network" if on else "graph"))

    def _paint_network(self, touched: list[Value] | None = None) -> None:
        """Show the network at the timeline's position: the cells of the ``touched`` nodes
        brought up to date, or (None) the whole picture made anew."""
        if not (self.network_on and self.network is not None):
            return
        view = self.query_one(NetworkView)
        shown = view.picture
        if touched is not None and shown is not None and view.network is self.network:
            ids = [node.id for node in touched]
            current = self.stepper.current
            if current is not None:
                ids.append(current.node.id)
            update(shown, self.network, self.stepper, self.nodes_by_id(), ids)
            view.show(self.network, shown)
            return
        view.show(self.network, picture(self.network, self.stepper, self.nodes_by_id()))

    def on_neuron_opened(self, message: NeuronOpened) -> None:
        """Enter on a neuron: the graph, on that neuron's output."""
        node = self.nodes_by_id().get(message.node)
        self._show_network(False)
        if node is not None:
            self.call_after_refresh(self.select_node, node)

    def _update_minimap(self) -> None:
        with contextlib.suppress(NoMatches):
            self.query_one(Minimap).follow()

    def load_program(self, program: Program | None, *, keep_lesson: bool = False) -> None:
        """Replace the graph with ``program``'s and go back to the start of its timeline; a
        big graph is opened in a worker, with progress shown.

        ``None`` (a cancelled screen) changes nothing. A graph that is not the open lesson's
        (from the editor, the builder, the palette) closes the lesson, whose pages name the
        lesson's nodes; ``keep_lesson`` is for the lesson's own graphs.
        """
        if program is None:
            return
        guide = self.app.guide
        if guide.in_lesson and not keep_lesson:
            guide.leave_lesson()
            self.say("lesson closed: this graph is not the lesson's · L opens it again",
                      timeout=5)
        self.autoplay = False
        self._cancel_seek()
        if bigger_than(program.output, OPEN_IN_WORKER_ABOVE):
            self._load_in_background(lambda progress: program, program.title)
            return
        self._show_opened(open_program(program))

    def _show_opened(self, opened: Opened) -> None:
        """Install an opened program and show it in every widget."""
        self._install(opened)
        canvas = self.query_one(DagCanvas)
        canvas.set_graph(self.stepper, self.graph_layout, self.contracted, opened.by_id)
        canvas.group_of = self.group_of
        self._start_layout()
        self.query_one(NodeTable).set_stepper(self.stepper, row_of=opened.row_of,
                                              longest_name=opened.longest_name)
        self.query_one(StepLog).set_stepper(self.stepper)
        self.query_one(NodeTable).select(self.stepper.root)
        self._last_position = 0
        self._show_network(self.network_on and self.network is not None, said=False)
        self._update_titles()
        self._warn_unused()

    def _load_in_background(self, loader: Callable[[Progress], Program], title: str) -> None:
        screen = LoadingScreen(title)
        self.app.push_screen(screen)
        self._load_worker(loader, screen)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_worker(self, loader: Callable[[Progress], Program], screen: LoadingScreen) -> None:
        """Build and open a program in a thread; the loading screen shows each stage."""
        worker = get_current_worker()

        def progress(stage: str) -> None:
            if not worker.is_cancelled:
                screen.post_message(OpenProgress(stage))

        self.loader_running = True
        try:
            with responsive():
                try:
                    progress("building the graph")
                    program = loader(progress)
                    opened = open_program(program, progress)
                except (ExprError, ValueError, ArithmeticError, OSError) as error:
                    message = error.located() if isinstance(error, ExprError) else str(error)
                    self.post_message(OpenFailed(message))
                    return
                except Exception as error:  # a bug: end as a crash, not on this screen
                    if not worker.is_cancelled:
                        self.app.call_from_thread(self.app._handle_exception, error)
                    return
            if not worker.is_cancelled:
                self.post_message(ProgramOpened(opened, screen))
        finally:
            self.loader_running = False

    def on_program_opened(self, message: ProgramOpened) -> None:
        # Only the too-small cover can be above the loading screen (no other key works
        # meanwhile): take both away, then cover again if the terminal is still too small.
        while message.screen in self.app.screen_stack:
            self.app.pop_screen()
        self._show_opened(message.opened)
        self.app.check_size()
        # A big graph: millions of long-lived objects without reference cycles. Frozen, the
        # cycle collector stops rescanning them (as after a layout, above).
        gc.freeze()

    def _warn_unused(self) -> None:
        """Say which names the output does not use (a typo or a forgotten term, usually): in
        a toast, and in the step log until the first step; the lines read and not run
        (``import math``, a display line) are a note there too."""
        warning = self.opened.warning
        notes = [f"warning: {warning}"] if warning else []
        if warning:
            self.say(warning, severity="warning", timeout=6)
        skipped = skipped_summary(self.opened.program.skipped)
        if skipped:
            notes.append(f"{skipped} (e shows them)")
        if notes:
            self.query_one(StepLog).show(notes=notes)

    # --- collapsing groups ---------------------------------------------------------------------

    def action_toggle_collapse(self) -> None:
        """Collapse the selected node's group into one box, or expand a collapsed box."""
        canvas = self.query_one(DagCanvas)
        node = canvas.selected
        box = canvas.box_of(node)
        if box in self.contracted.collapsed:
            name = self.contracted.collapsed[box][0]
            self.collapsed.discard(name)
        elif node.id in self.group_of:
            name = self.group_of[node.id]
            self.collapsed.add(name)
            canvas.selected = self.nodes_by_id()[group_output(self.nx_graph, self.groups[name])]
        else:
            self.say(f"{self.stepper.names[node]} is not part of a group (a neuron or a "
                      "named expression)", severity="warning")
            return
        self._contract()
        self._start_layout(focus=canvas.selected)  # the box just folded or unfolded
        self.tell_lesson(Event("collapse"))

    def action_toggle_all_groups(self) -> None:
        """Collapse every group, or expand them all if they are all collapsed."""
        if not self.groups:
            self.say("this graph has no groups (neurons or named expressions)",
                        severity="warning")
            return
        self.collapsed = set() if self.collapsed == set(self.groups) else set(self.groups)
        canvas = self.query_one(DagCanvas)
        self._contract()
        canvas.selected = self.stepper.root
        self._start_layout()
        self.tell_lesson(Event("collapse"))

    def nodes_by_id(self) -> dict[int, Value]:
        return self.query_one(DagCanvas).nodes

    # --- the screen ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield LessonPanel(id="lesson")
        yield DagCanvas(self.stepper, self.graph_layout, self.contracted, id="canvas")
        yield NetworkView(id="network")
        yield Minimap(id="minimap")
        with Horizontal(id="bottom"):
            yield StepLog(self.stepper, id="panel")
            yield NodeTable(self.stepper, id="table")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        # The handler runs before Textual's own, which is what updates ``self.size``.
        self._update_titles(event.size.width)

    def on_screen_resume(self) -> None:
        """Back from the training screen: the header is the graph's again."""
        self._update_titles()

    def on_mount(self) -> None:
        self._update_titles()
        if self._pending is not None:
            loader, self._pending = self._pending, None
            self._load_in_background(loader, self.program.title)
        self.query_one(DagCanvas).group_of = self.group_of
        self._start_layout()
        self.query_one(DagCanvas).focus()
        self.query_one(NodeTable).select(self.stepper.root)
        self._warn_unused()

    def _update_titles(self, width: int | None = None) -> None:
        nodes = len(self.stepper.order)
        edges = self.opened.edges
        title = self.program.title
        if len(title) > 40:
            title = title[:39] + "…"
        # At 80 columns the header has room for the graph's title, the score and the counts.
        width = self.app.size.width if width is None else width
        self.app.title = title if width < 100 else f"micrograd-tui · {title}"
        if self.quiz:
            self.app.title += f" · quiz {self.quiz_right}/{self.quiz_asked}"
        self.app.title += bug_title(self.bug)
        playing = f" · autoplay every {AUTOPLAY_DELAYS[self.speed]:g} s" if self.autoplay else ""
        self.app.sub_title = f"{plural(nodes, 'node')} · {plural(edges, 'edge')}{playing}"

    def watch_quiz(self) -> None:
        self._update_titles()

    watch_quiz_right = watch_quiz_asked = watch_quiz

    # --- moving along the timeline --------------------------------------------------------------

    def _focus(self) -> Value | None:
        """The node the learner is looking at: the current step's, or the next one's."""
        return self.stepper.current.node if self.stepper.current else self.stepper.next_node()

    def _touched(self, step: ForwardStep | BackwardStep | None) -> list[Value]:
        if step is None:
            return []
        if isinstance(step, ForwardStep):
            return [step.node]
        return [step.node, *(term.parent for term in step.terms)]

    def _in_view(self) -> list[Value]:
        """The nodes a learner needs to see for the current step: its node first, then what
        it read (a forward step's operands) or wrote (a backward step's operands)."""
        step = self.stepper.current
        if step is None:
            focus = self.stepper.next_node()
            return [focus] if focus is not None else []
        return [step.node, *step.node._prev]

    def _after_move(self, touched: list[Value], *, everything: bool = False,
                    notes: list[str] | None = None) -> None:
        """Repaint what a move changed, and keep the current step's nodes in view."""
        canvas = self.query_one(DagCanvas)
        table = self.query_one(NodeTable)
        if everything:
            canvas.repaint()
            table.refresh()
        else:
            canvas.refresh_nodes(touched)
            table.refresh_nodes(touched)
        self.query_one(StepLog).show(notes=[*(notes or []), *self.bug_notes()])
        in_view = self._in_view()
        if in_view:
            canvas.show_step(in_view)
            table.follow(in_view)
        self._update_minimap()
        self._paint_network(None if everything else touched)
        if self.stepper.at_end:
            self.autoplay = False
        moved = self.stepper.position - self._last_position
        self._last_position = self.stepper.position
        self.tell_lesson(Event("moved", number=moved))

    #: The timeline position the last move left (a lesson's ``step`` goal wants a step on).
    _last_position = 0

    def action_step(self) -> None:
        """The next step; in quiz mode a backward step first asks for the grads."""
        if self.quiz:
            asked = question(self.stepper)
            if asked is not None:
                from tui.screens.quiz import QuizScreen

                self.autoplay = False
                upcoming = self.stepper.next_node()
                if upcoming is not None:  # show the node and its operands while asking
                    self.query_one(DagCanvas).show_step([upcoming, *upcoming._prev])
                self.app.push_screen(QuizScreen(asked), partial(self._answered, asked))
                return
        self._take_step()

    def _take_step(self, notes: list[str] | None = None) -> None:
        self._cancel_seek()
        before = self._touched(self.stepper.current)
        try:
            step = self.stepper.step()
        except ArithmeticError as error:  # the graph no longer computes here: say so
            self.autoplay = False
            self.say(f"cannot take this step: {error}", severity="error")
            return
        if step is None:
            self.app.bell()
            return
        self._after_move(before + self._touched(step), notes=notes)

    def _answered(self, asked: Question, answers: dict[str, float] | None) -> None:
        """Mark the quiz answers, then show the step with its working."""
        if answers is None or self.stepper.position + 1 != asked.position:
            return  # escape: no step taken
        verdicts = asked.check(answers)
        right = sum(v.right for v in verdicts)
        self.quiz_right += right
        self.quiz_asked += len(verdicts)
        # One short line above the step (its working): both must show on a small log.
        self._take_step(notes=[marks(verdicts, self.quiz_right, self.quiz_asked)])
        self.tell_lesson(Event("answer", number=len(verdicts)))

    def action_quiz(self) -> None:
        """Quiz mode on or off; the score is kept until the app closes."""
        self.quiz = not self.quiz
        # Said in the step log, not a toast: a toast would cover the quiz's own questions.
        if self.quiz:
            note = ("quiz on: before each backward step, type what each grad will be "
                    "(t turns it off)")
        else:
            note = f"quiz off · score {self.quiz_right}/{self.quiz_asked}"
        self.query_one(StepLog).show(notes=[note])
        self.tell_lesson(Event("quiz", "on" if self.quiz else "off"))

    def on_seek_requested(self, message: SeekRequested) -> None:
        self._seek(message.position)

    def action_back(self) -> None:
        self._cancel_seek()
        step = self.stepper.back()
        if step is None:
            self.app.bell()
            return
        self._after_move(self._touched(step) + self._touched(self.stepper.current))

    def _seek(self, position: int) -> None:
        """Move the timeline to ``position``: at once when it is near, else a chunk of steps
        at a time between screen updates, with progress shown and ``escape`` to stop."""
        self._cancel_seek()
        if abs(position - self.stepper.position) <= SEEK_IN_CHUNKS_ABOVE:
            try:
                self.stepper.seek(position)
            except ArithmeticError as error:
                self.say(f"stopped at step {self.stepper.position}: {error}",
                          severity="error")
            self._after_move([], everything=True)
            return
        self.seeking = True
        self._seek_worker(position)

    @work(exclusive=True, group="seek")
    async def _seek_worker(self, target: int) -> None:
        """Step toward ``target`` for SEEK_CHUNK_SECONDS at a time, then let the screen
        answer keys and show how far it got. Cancelled (``escape``, or another move), it stays
        where it got to: every step leaves the timeline whole."""
        stepper = self.stepper
        log = self.query_one(StepLog)
        start = stepper.position
        move = stepper.step if target > start else stepper.back
        # Two records a node, none in a reference cycle: the collector's full passes over
        # them would stall the screen (up to half a second at a million nodes).
        collector_was_on = gc.isenabled()
        gc.disable()
        try:
            while stepper.position != target:
                deadline = time.perf_counter() + SEEK_CHUNK_SECONDS
                move()  # at least one step a chunk
                while stepper.position != target and time.perf_counter() < deadline:
                    move()
                done = abs(stepper.position - start) / abs(target - start)
                log.border_subtitle = (f"going to step {target:,}: {done:.0%} · "
                                       "escape stops")
                await asyncio.sleep(0)
        except ArithmeticError as error:
            self.say(f"stopped at step {stepper.position}: {error}", severity="error")
        finally:
            if collector_was_on:
                gc.freeze()  # the records made: kept out of later passes too
                gc.enable()
            self.seeking = False
            if self.stepper is stepper and self.app.is_running:
                with contextlib.suppress(NoMatches):  # the app may be closing
                    self._after_move([], everything=True)

    def _cancel_seek(self) -> None:
        if self.seeking:
            self.workers.cancel_group(self, "seek")
            self.seeking = False

    def action_stop(self) -> None:
        """``escape``: stop a long seek or autoplay where it is."""
        if self.seeking:
            self._cancel_seek()
            self._after_move([], everything=True)
            self.say(f"stopped at step {self.stepper.position:,}", timeout=2)
        else:
            self.autoplay = False

    def action_start(self) -> None:
        self._seek(0)

    def action_finish(self) -> None:
        self._seek(len(self.stepper))

    def action_backward_phase(self) -> None:
        """To the first backward step: the output's grad seeded with 1."""
        self._seek(self.stepper.forward_steps + 1)

    # --- autoplay ----------------------------------------------------------------------------

    def action_autoplay(self) -> None:
        """Autoplay on or off; at the end, it starts over from the start."""
        if not self.autoplay and self.stepper.at_end:
            self.stepper.reset()
            self._after_move([], everything=True)
        self.autoplay = not self.autoplay

    def watch_autoplay(self) -> None:
        self._set_autoplay_timer()

    def validate_speed(self, speed: int) -> int:
        return max(0, min(len(AUTOPLAY_DELAYS) - 1, speed))

    def watch_speed(self) -> None:
        self._set_autoplay_timer()
        self.say(f"autoplay: a step every {AUTOPLAY_DELAYS[self.speed]:g} s", timeout=1.5)

    def _set_autoplay_timer(self) -> None:
        """A timer at the current speed while autoplay is on, none while it is off; the
        subtitle says which."""
        if self.autoplay_timer is not None:
            self.autoplay_timer.stop()
            self.autoplay_timer = None
        if self.autoplay:
            self.autoplay_timer = self.set_interval(
                AUTOPLAY_DELAYS[self.speed], self._autoplay_tick
            )
        self._update_titles()

    def _autoplay_tick(self) -> None:
        if not self.is_attached or not self.app.is_running:  # the app closing: widgets go
            return
        if self.stepper.at_end:
            self.autoplay = False
        else:
            self._take_step()

    def action_faster(self) -> None:
        self.speed += 1

    def action_slower(self) -> None:
        self.speed -= 1

    # --- selection and details ----------------------------------------------------------------

    def action_find(self) -> None:
        """Find a node by name or number and select it."""
        if not SafeCommandPalette.is_open(self.app):
            self.app.push_screen(SafeCommandPalette(providers=[NodesProvider],
                                                placeholder="Find a node: a name, or #number…"))

    def select_node(self, node: Value, *, by_learner: bool = True) -> None:
        """Select ``node`` in the graph and the table, scrolling both to it (a lesson page
        selecting its node is not the learner's doing)."""
        self.query_one(DagCanvas).select(node)
        self.query_one(NodeTable).select(node)
        if by_learner:
            self.tell_lesson(Event("select", self.stepper.names.get(node, "")))

    def on_node_selected(self, message: NodeSelected) -> None:
        """The selection moved in the graph or the table: the other one follows."""
        canvas = self.query_one(DagCanvas)
        other = self.query_one(NodeTable) if message.control is canvas else canvas
        other.select(message.node)
        self.tell_lesson(Event("select", self.stepper.names.get(message.node, "")))

    def on_details_requested(self, message: DetailsRequested) -> None:
        """Enter on a node, in the graph or the table."""
        self._show_details(message.node)

    def _show_details(self, node: Value) -> None:
        view = node_view(self.stepper, node)
        details = node_details(
            node, self.users.get(node, []), self.stepper.names,
            computed=view.computed,
            grad_known=view.grad_state != "none",
            operands_known=all(self.stepper.is_computed(p) for p in node._prev),
            contributions=self.stepper.contributions(node),
            slopes=self._slopes(node),
        )
        self.app.push_screen(DetailsScreen(details))
        self.tell_lesson(Event("details", self.stepper.names.get(node, "")))

    #: A leaf's details show the slope by nudging (the graph computed again per h) up to
    #: this many nodes; past it the details open at once without them.
    SLOPES_UP_TO = 5_000

    def _slopes(self, node: Value) -> tuple[str, ...]:
        """A leaf's slope table (h, (f(x+h) - f(x))/h, error), or () for an op node, a
        big graph, or a graph that does not compute."""
        order = self.stepper.order
        if node._prev or len(order) > self.SLOPES_UP_TO:
            return ()
        try:
            return tuple(slope_table(self.stepper.root, node, order=order))
        except (ArithmeticError, ValueError):
            return ()

    # --- the workbench ----------------------------------------------------------------------

    def action_edit(self) -> None:
        from tui.screens.editor import EditorScreen

        self.app.push_screen(EditorScreen(self.program, self.recent), self.load_program)

    def action_build(self) -> None:
        from tui.screens.builder import BuilderScreen

        self.app.push_screen(BuilderScreen(), self.load_program)

    def action_export(self) -> None:
        from tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.program, self.stepper))

    def action_grad_check(self) -> None:
        from tui.screens.gradcheck import GradCheckScreen

        bug = BUGS[self.bug] if self.bug else None
        self.app.push_screen(GradCheckScreen(self.program, bug=bug))
        self.tell_lesson(Event("check"))

    @property
    def nudge_step(self) -> float:
        return NUDGE_STEPS[self.nudge_index]

    def action_nudge(self, direction: int) -> None:
        """Move the selected leaf by ±h, recompute forward, and compare Δoutput with grad*h."""
        leaf = self.query_one(DagCanvas).selected
        if leaf._prev:
            self.say(
                f"{self.stepper.names[leaf]} is computed, not a leaf: select an input, a "
                "parameter or a constant (arrow keys in the graph) to nudge it",
                severity="warning",
            )
            return
        self.autoplay = False
        h = direction * self.nudge_step
        try:
            result = nudge(self.stepper.root, leaf, h, self.stepper.order)
        except ArithmeticError as error:
            self._restart_timeline(self.stepper.position)
            self.say(f"cannot nudge {self.stepper.names[leaf]} by {h:+g}: {error}",
                        severity="error")
            return
        # The grads of the new point are in the graph; show them at the end of the timeline.
        self._restart_timeline(None)
        self.query_one(StepLog).show(
            notes=[f"nudge: {result.text(self.stepper.names)}",
                   "timeline moved to the end: the grads of the new point · u undoes nudges"]
        )
        way = "up" if direction > 0 else "down"
        name = self.stepper.names[leaf]
        if self.app.guide.in_lesson:  # a page quotes the numbers of its own nudge, not of any nudge
            off = nudge_off_the_page(h, name, result.leaf_before,
                                     self.opened_data.get(leaf, result.leaf_before))
            if off:
                self.say(off, severity="warning", timeout=6)
                return
        self.tell_lesson(Event("nudge", f"{name} {way}"))

    def action_reset_nudges(self) -> None:
        """Put every leaf back to its value when the graph was opened."""
        changed = [n for n, data in self.opened_data.items() if n.data != data]
        if not changed:
            self.say("nothing to undo: no leaf has been nudged", timeout=2)
            return
        for leaf in changed:
            leaf.data = self.opened_data[leaf]
        recompute(self.stepper.root, self.stepper.order)
        self._restart_timeline(0)
        names = ", ".join(self.stepper.names[n] for n in changed[:5])
        self.say(f"nudges undone ({names}); back to the start", timeout=3)
        self.tell_lesson(Event("moved"))

    def _restart_timeline(self, position: int | None) -> None:
        """A fresh Stepper on the same graph, at ``position`` (None: the end)."""
        self.stepper = self.new_stepper()  # with the bug, if one is on (B)
        try:
            self.stepper.seek(len(self.stepper) if position is None else position)
        except ArithmeticError as error:
            self.say(f"stopped at step {self.stepper.position}: {error}", severity="error")
        self.query_one(DagCanvas).set_stepper(self.stepper)
        self.query_one(NodeTable).set_stepper(self.stepper, keep_cursor=True)
        self.query_one(StepLog).set_stepper(self.stepper)
        self._last_position = self.stepper.position
        self._paint_network()

    def action_step_size(self, direction: int) -> None:
        self.nudge_index += direction

    def validate_nudge_index(self, index: int) -> int:
        return max(0, min(len(NUDGE_STEPS) - 1, index))

    def watch_nudge_index(self) -> None:
        self.say(f"nudge step h = {self.nudge_step:g}", timeout=1.5)

    def action_screenshot(self) -> None:
        """An SVG of the screen, in the folder the app was started from."""
        stamp = time.strftime("%m%d-%H%M%S")
        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.program.title).strip("-")[:16] or "graph"
        name = f"mg-{slug}-{stamp}.svg"
        if self.app.is_web:  # in a browser (serve): a download, not a file on the server
            self.app.deliver_screenshot(filename=name)
            self.say(f"screenshot sent to the browser:\n{name}", timeout=5)
            return
        try:  # Textual's save_screenshot writes in place; ours is atomic like every file
            path = str(write_atomic(os.path.join(os.getcwd(), name), self.app.export_screenshot()))
        except OSError as error:
            self.say(f"cannot save the screenshot here: {error.strerror or error}",
                      severity="error")
            return
        # File name and folder on lines of their own: a toast wraps a long path mid-word.
        self.say(f"screenshot saved:\n{name}\nin {os.path.dirname(path)}", timeout=5)

    def say(self, message: str, **kwargs) -> None:
        """A notification whose text is shown as is: it often quotes the learner's labels
        (no markup, and control characters made visible)."""
        self.notify(visible(message), markup=False, **kwargs)


    # --- lessons: what the explorer tells them, and what a page asks of it ---------------------

    def tell_lesson(self, event: Event) -> None:
        """The learner did something a page may be waiting for: one message, which bubbles
        up to the App's lesson guide (the training screen posts the same)."""
        self.post_message(LessonEvent(event, self.stepper))

    def ready_for_lesson(self) -> None:
        """The state a lesson's text assumes, whatever the learner changed before: no
        autoplay, the zoom that fits (a page may set another), h = 0.01."""
        self.autoplay = False
        self.zoom_by_hand = None
        if self.nudge_step != LESSON_H:
            self.nudge_index = NUDGE_STEPS.index(LESSON_H)

    def show_page(self, page: Page) -> None:
        """A page is open: show what it talks about (a view, a zoom) and select its node."""
        view = page.view
        if view in ("network", "graph"):
            self._show_network(view == "network" and self.network is not None, said=False)
        elif view:
            self._show_network(False, said=False)
            self.zoom_by_hand = None if view == "fit" else level_of(view)
            self._start_layout()
        if page.select:
            node = node_named(page.select, self.stepper)
            if node is not None:  # after the canvas has its size (a lesson opened at start)
                self.call_after_refresh(self.select_node, node, by_learner=False)
