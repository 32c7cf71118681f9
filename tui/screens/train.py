"""The training screen: a small network learns a toy data set, one step at a time.

The ``Trainer`` (``micrograd.train``) does every step in a thread worker, under a lock; the
worker posts a ``TrainView`` (plain numbers: the curves, the grid of scores, the largest
grads) and this screen only draws it, at most a few times a second while playing, so the
keys stay answered. ``enter`` opens one sample's loss at the current weights in the
explorer, where its backward pass can be stepped; ``T`` there comes back here.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, replace

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from micrograd.errors import MathError
from micrograd.fmt import fmt_number, visible
from micrograd.graph import paused_gc
from micrograd.network import NetworkPicture, model_network
from micrograd.train import Trainer, loss_term_float
from tui.keys import TRAINING
from tui.lessons.goals import Event
from tui.messages import LessonEvent
from tui.plot import (
    boundary_map,
    curve_heights,
    line_chart,
    nearest_point,
    point_cell,
    with_now,
)
from tui.theme import ACCURACY_COLOUR, CLASS_COLOURS, LOSS_COLOUR
from tui.widgets.footer import Footer
from tui.widgets.lesson_panel import LessonPanel
from tui.widgets.network_view import NetworkView

#: Seconds between steps while playing, slowest last; ``+`` and ``-`` move along.
PLAY_DELAYS = (0.0, 0.1, 0.3, 1.0)
#: While playing, the screen is redrawn at most this often (seconds); the boundary, which
#: costs about as much as a step, at most this often.
REDRAW_EVERY = 0.25
BOUNDARY_EVERY = 0.6
#: A loss above this has exploded: these losses start near 1 and fall as training works.
EXPLODED = 1e6
DIVERGED = (
    "the loss has exploded: training diverged (the learning rate is too large "
    "for this run); backspace goes back, r starts over"
)
#: The parameters listed, largest grad first (as many as fit, up to this).
MOST_GRADS = 12

ZERO_GRAD_OFF = (
    "zero_grad is OFF: each step's grads add to the old ones, the updates grow and "
    "training goes wrong (z: on again)"
)


@dataclass(frozen=True)
class TrainView:
    """What the screen shows after a step: plain numbers, taken under the trainer's lock."""

    generation: int
    step: int
    steps: int
    next_lr: float
    losses: list[float]
    accuracies: list[float]
    ms_per_step: float | None
    grads: list[tuple[str, float, float]]
    zero_grad: bool
    grid: list[list[float]] | None  # None: keep the boundary drawn last
    scores: list[float]
    losses_now: list[float]  # each sample's loss term at the weights drawn
    now: tuple[float, float]  # loss and accuracy over all samples at the weights drawn
    ranges: tuple[tuple[float, float], tuple[float, float]]
    network: NetworkPicture | None = None  # every weight's grad of the last backward


class TrainUpdated(Message):
    """A worker has a new view for the screen."""

    def __init__(self, view: TrainView) -> None:
        super().__init__()
        self.view = view


class TrainFailed(Message):
    """A step could not be taken (an overflow, mostly): the trainer is as before it."""

    def __init__(self, error: str, generation: int) -> None:
        super().__init__()
        self.error = error
        self.generation = generation


class BoundaryMap(Static):
    """The decision boundary; a click selects the nearest data point."""

    class Clicked(Message):
        def __init__(self, col: int, row: int) -> None:
            super().__init__()
            self.col, self.row = col, row

    def on_resize(self) -> None:
        """The grid of scores has a cell per character: a new size needs a new grid."""
        if isinstance(self.screen, TrainScreen):
            self.screen.refresh_view()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.post_message(self.Clicked(offset.x, offset.y))


class Curves(Static):
    """The loss and accuracy charts, drawn to fit: redrawn when the panel changes size (the
    numbers above it grow a line when zero_grad is off)."""

    def on_resize(self) -> None:
        if isinstance(self.screen, TrainScreen):
            self.screen._draw_curves()


class TrainScreen(Screen[None]):
    """Train, watch, step back, and open one sample's graph."""

    BINDINGS = TRAINING

    def __init__(self, trainer: Trainer) -> None:
        super().__init__()
        self.trainer = trainer
        self.lock = threading.Lock()
        self.generation = 0
        self.playing = False
        self.speed = 1
        self.selected = 0
        self.view: TrainView | None = None
        self.grid: list[list[float]] | None = None
        self.message = ""
        #: The grads panel shows the network's weight matrices (v: the largest grads).
        self.show_network = True

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="train-body"):
            with Vertical(id="train-left"):
                yield BoundaryMap(id="train-map")
                network = NetworkView(hint="v: the largest grads", id="train-network")
                network.can_focus = False  # the arrows and enter choose samples here
                yield network
                yield Static(id="train-grads")
            with Vertical(id="train-right"):
                yield Static(id="train-stats")
                yield Curves(id="train-curves")
                yield LessonPanel(training=True, id="train-lesson")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#train-map").border_title = "decision boundary"
        self.query_one("#train-grads").border_title = "largest grads (last backward) · v: network"
        # Shown or hidden before the first layout: a change later would resize the map,
        # and a resized map starts its view over.
        self.query_one(NetworkView).display = self.show_network
        self.query_one("#train-grads").display = not self.show_network
        self.query_one("#train-stats").border_title = "training"
        self.query_one("#train-curves").border_title = "loss and accuracy"
        self._update_title()
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self._update_title()
        self.refresh_view()

    def _update_title(self) -> None:
        config = self.trainer.config
        sizes = "-".join(map(str, config.sizes))
        self.title = f"training MLP {sizes} on {config.data}"
        self.sub_title = f"{config.samples} points · {config.loss} loss · seed {config.seed}"

    # --- work in a thread ------------------------------------------------------------------

    def _map_size(self) -> tuple[int, int]:
        """The boundary's grid: a score per character across, two per character down."""
        size = self.query_one("#train-map").content_size
        return max(size.width, 1), max(size.height, 1) * 2

    def _start(self) -> int:
        """A new generation of work: views of older ones are dropped when they arrive."""
        self.generation += 1
        return self.generation

    def refresh_view(self) -> None:
        """Redraw from the trainer as it is (after back, start over, a resize); while
        playing, play on at the new size."""
        if self.playing:
            self._train_worker(self._start(), self._map_size(), None)
        else:
            self._view_worker(self._start(), self._map_size())

    @work(thread=True, exclusive=True, group="train", exit_on_error=False)
    def _view_worker(self, generation: int, size: tuple[int, int]) -> None:
        with self.lock:
            view = self._take_view(generation, size, boundary=True)
        self.post_message(TrainUpdated(view))

    @work(thread=True, exclusive=True, group="train", exit_on_error=False)
    def _train_worker(self, generation: int, size: tuple[int, int], count: int | None) -> None:
        """Take ``count`` steps, or play (``None``) until paused or the planned steps are
        done; post a view now and then."""
        worker = get_current_worker()
        drawn = boundary = 0.0
        taken = 0
        while not worker.is_cancelled and (count is None or taken < count):
            if count is None and self.trainer.done:
                break
            with self.lock:
                if worker.is_cancelled:
                    break
                try:
                    # A step builds and frees some 66,000 nodes without a reference cycle:
                    # the cycle collector's passes over them would only stall the keys.
                    with paused_gc():
                        self.trainer.train_step()
                except (MathError, ArithmeticError, ValueError) as error:
                    self.post_message(TrainFailed(str(error), generation))
                    return
                taken += 1
                now = time.monotonic()
                last = count is not None and taken == count
                if last or now - drawn >= REDRAW_EVERY:
                    with_boundary = last or now - boundary >= BOUNDARY_EVERY
                    view = self._take_view(generation, size, boundary=with_boundary)
                    drawn = time.monotonic()
                    boundary = drawn if with_boundary else boundary
                    self.post_message(TrainUpdated(view))
            if count is None:  # a moment without the lock: other work may take it
                time.sleep(max(PLAY_DELAYS[self.speed], 0.005))
        if count is None:
            with self.lock:
                view = self._take_view(generation, size, boundary=True)
            self.post_message(TrainUpdated(view))
            self.app.call_from_thread(self._played_out, generation)

    def _take_view(self, generation: int, size: tuple[int, int], *, boundary: bool) -> TrainView:
        trainer = self.trainer
        history = trainer.history
        recent = history[-10:]
        ranges = trainer.bounds()
        grid = trainer.scores_grid(*ranges, *size) if boundary else None
        scores = trainer.scores()
        return TrainView(
            generation=generation,
            step=trainer.step,
            steps=trainer.config.steps,
            next_lr=trainer.lr_at(trainer.step),
            losses=[r.loss for r in history],
            accuracies=[r.accuracy for r in history],
            ms_per_step=(sum(r.seconds for r in recent) / len(recent) * 1000) if recent else None,
            grads=trainer.largest_grads(MOST_GRADS),
            zero_grad=trainer.zero_grad,
            grid=grid,
            scores=scores,
            losses_now=[loss_term_float(score, y, trainer.config.loss)
                        for score, y in zip(scores, trainer.y, strict=True)],
            now=trainer.loss_and_accuracy(),
            ranges=ranges,
            network=model_network(
                [[neuron.w for neuron in layer.neurons] for layer in trainer.model.layers],
                [[neuron.b for neuron in layer.neurons] for layer in trainer.model.layers]),
        )

    def _played_out(self, generation: int) -> None:
        if generation == self.generation and self.playing:
            self.playing = False
            self.message = f"done: the {self.trainer.config.steps} planned steps (space goes on)"
            self._draw_stats()

    # --- messages ----------------------------------------------------------------------------

    def on_train_updated(self, message: TrainUpdated) -> None:
        if message.view.generation != self.generation:
            return  # from work that was replaced: the trainer has moved on
        self.view = message.view
        if message.view.grid is not None:
            self.grid = message.view.grid
        self._draw()
        self.post_message(LessonEvent(Event("train", number=message.view.step)))
        self.post_message(LessonEvent(Event("accuracy", number=message.view.now[1])))

    def on_train_failed(self, message: TrainFailed) -> None:
        if message.generation != self.generation:
            return
        self.playing = False
        self.message = f"the step failed, nothing changed: {visible(message.error)}"
        self.app.notify(self.message, severity="error", markup=False)
        self._draw_stats()

    def _point_cells(self) -> list[tuple[int, int] | None] | None:
        """Each data point's character cell on the map as drawn, or None before a drawing."""
        if self.view is None or self.grid is None:
            return None
        cols, rows = len(self.grid[0]), len(self.grid) // 2
        return [point_cell(x, y, *self.view.ranges, cols, rows) for x, y in self.trainer.X]

    @on(BoundaryMap.Clicked)
    def _clicked(self, message: BoundaryMap.Clicked) -> None:
        cells = self._point_cells()
        if cells is None:
            return
        near = nearest_point(cells, (message.col, message.row))
        if near is not None:
            self.selected = near
            self._draw()

    # --- drawing -----------------------------------------------------------------------------

    def _draw(self) -> None:
        self._draw_map()
        self._draw_stats()
        self._draw_curves()
        self._draw_grads()

    def _draw_map(self) -> None:
        view, grid = self.view, self.grid
        widget = self.query_one("#train-map", Static)
        if view is None or grid is None:
            return
        points = [(x, y, label) for (x, y), label in zip(self.trainer.X, self.trainer.y,
                                                          strict=True)]
        widget.update(boundary_map(grid, points, *view.ranges, predictions=view.scores,
                                   selected=self.selected))
        label, loss = self.trainer.y[self.selected], view.losses_now[self.selected]
        widget.border_subtitle = (
            f"sample {self.selected}: y = {label:+d}, loss {fmt_number(loss)} · enter: graph"
        )

    def _draw_stats(self) -> None:
        view = self.view
        widget = self.query_one("#train-stats", Static)
        if view is None:
            return
        text = Text()
        text.append(f"step {view.step}", style="bold")
        text.append(f" of {view.steps} · next lr {fmt_number(view.next_lr)}\n")
        loss, right = view.now
        text.append(f"now: loss {fmt_number(loss)} · accuracy ")
        text.append(f"{right:.0%}", style="bold")
        text.append("\n" if view.losses else "  (space: a step, a: play)\n")
        pace = f"{view.ms_per_step:.0f} ms/step" if view.ms_per_step is not None else ""
        delay = PLAY_DELAYS[self.speed]
        speed = "full speed" if delay == 0 else f"every {delay:g} s"
        state = "playing" if self.playing else "paused"
        text.append(" · ".join(part for part in (pace, state, speed) if part) + "\n")
        text.append("● ", style=CLASS_COLOURS[-1])
        text.append("y = -1  ")
        text.append("● ", style=CLASS_COLOURS[1])
        text.append("y = +1  ✕ wrong side")
        if not math.isfinite(loss) or loss > EXPLODED:
            text.append("\n" + DIVERGED, style="bold red")
        elif not view.zero_grad:
            text.append("\n" + ZERO_GRAD_OFF, style="bold red")
        elif self.message:
            text.append("\n" + self.message, style="italic")
        widget.update(text)

    def _draw_curves(self) -> None:
        view = self.view
        widget = self.query_one("#train-curves", Static)
        if view is None:
            return
        size = widget.content_size
        width, height = max(size.width, 12), max(size.height, 6)
        loss_height, accuracy_height = curve_heights(height)
        loss_now, accuracy_now = view.now
        text = Text()
        text.append("loss\n", style="bold")
        text.append("\n".join(line_chart(with_now(view.losses, loss_now), width, loss_height,
                                         first_step=0)) + "\n", style=LOSS_COLOUR)
        text.append("accuracy\n", style="bold")
        text.append("\n".join(line_chart(with_now(view.accuracies, accuracy_now), width,
                                         accuracy_height, low=0.0, high=1.0,
                                         fmt=lambda a: f"{a:.0%}", first_step=0)),
                    style=ACCURACY_COLOUR)
        widget.update(text)

    def action_train_network(self) -> None:
        """The weights' grads as the network's matrices, or the largest grads as a list."""
        self.show_network = not self.show_network
        self._draw_grads()

    def _draw_network(self) -> None:
        network = self.query_one(NetworkView)
        grads = self.query_one("#train-grads", Static)
        network.display = self.show_network
        grads.display = not self.show_network
        view = self.view
        if self.show_network and view is not None and view.network is not None:
            network.show_picture(view.network, title="weights' grads (last backward)")

    def _draw_grads(self) -> None:
        self._draw_network()
        view = self.view
        widget = self.query_one("#train-grads", Static)
        if view is None:
            return
        rows = max(widget.content_size.height - 1, 1)
        width = max((len(label) for label, _, _ in view.grads[:rows]), default=5)
        width = max(width, len("param"))
        text = Text(f"{'param':<{width}}  {'data':>9}  {'grad':>9}\n", style="bold")
        if all(grad == 0 for _, _, grad in view.grads):
            widget.update(Text("no grads yet: they appear after the first step", style="italic"))
            return
        for label, data, grad in view.grads[:rows]:
            colour = "green" if grad > 0 else "red" if grad < 0 else ""
            text.append(f"{visible(label):<{width}}  {fmt_number(data):>9}  ")
            text.append(f"{fmt_number(grad):>9}\n", style=colour)
        widget.update(text.rstrip() or text)

    # --- actions -----------------------------------------------------------------------------

    def _stop(self) -> None:
        """Pause: the playing worker stops after the step it is taking."""
        self.playing = False
        self.app.workers.cancel_group(self, "train")

    def action_train_step(self) -> None:
        self._stop()
        self.message = ""
        self._train_worker(self._start(), self._map_size(), 1)

    def action_train_play(self) -> None:
        if self.playing:
            self.playing = False
            self.refresh_view()  # replaces the playing worker, which stops after its step
        else:
            self.playing = True
            self.message = ""
            self._train_worker(self._start(), self._map_size(), None)
        self._draw_stats()

    def action_train_back(self) -> None:
        self._stop()
        self._change_worker(self._start(), self._map_size(), "back")

    def action_train_restart(self) -> None:
        self._stop()
        self._change_worker(self._start(), self._map_size(), "restart")
        self.post_message(LessonEvent(Event("restart")))

    @work(thread=True, exclusive=True, group="train", exit_on_error=False)
    def _change_worker(self, generation: int, size: tuple[int, int], change: str) -> None:
        """Go back a step or start over, in a thread: the lock may be held by a step that
        is under way, and the keys must not wait for it."""
        with self.lock:
            if change == "back":
                went = self.trainer.back()
                message = "" if went else "at step 0: nothing to go back to"
            else:
                self.trainer.reset()
                message = "started over: the same weights and data"
            view = self._take_view(generation, size, boundary=True)
        self.app.call_from_thread(setattr, self, "message", message)
        self.post_message(TrainUpdated(view))

    def action_train_zero_grad(self) -> None:
        # No lock: a step reads the flag once, at its start; the next step sees the change.
        self.trainer.zero_grad = not self.trainer.zero_grad
        on = self.trainer.zero_grad
        self.message = "zero_grad is on again: each step starts from fresh grads" if on else ""
        if self.view is not None:
            self.view = replace(self.view, zero_grad=on)
        self._draw_stats()
        self.post_message(LessonEvent(Event("zero_grad", "on" if on else "off")))

    def action_train_speed(self, change: int) -> None:
        self.speed = min(max(self.speed - change, 0), len(PLAY_DELAYS) - 1)
        self._draw_stats()

    def action_select(self, dx: int, dy: int) -> None:
        cells = self._point_cells()
        if cells is None:
            return
        near = nearest_point(cells, cells[self.selected], direction=(dx, dy),
                             exclude=self.selected)
        if near is not None:
            self.selected = near
            self._draw_map()

    def action_open_sample(self) -> None:
        """The selected sample's loss at the current weights, in the explorer."""
        self._stop()
        if self.view is not None and self.view.losses_now[self.selected] == 0:
            self.app.notify(
                f"sample {self.selected}'s loss is 0 (past the margin), so every grad in its "
                "graph is 0: a ✕ or a point near the boundary has grads to follow",
                severity="warning", timeout=8, markup=False,
            )
        self._sample_worker(self._start(), self.selected)

    @work(thread=True, exclusive=True, group="train", exit_on_error=False)
    def _sample_worker(self, generation: int, index: int) -> None:
        with self.lock:  # after the step under way, if playing: the weights it leaves
            program = self.trainer.sample_program(index)
        if generation == self.generation:
            self.app.call_from_thread(self.app.open_sample, program)

    def action_leave(self) -> None:
        self._stop()
        self.generation += 1
        self.app.switch_mode("explore")

