"""``Explorer``: the notebook widget (anywidget) over a ``Timeline``.

The browser side (``explorer.js``, ``explorer.css``) draws what the traits hold and sends
what was clicked as a message (``{"do": "next"}``, ``{"do": "jump", "step": "7"}``...); this
side does it on the Timeline and sets the traits again. The learner's Values are never
touched: the timeline runs on a copy (``micrograd.presets.copied_program``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from micrograd.expr import Program
from micrograd.nn import Module
from micrograd.presets import copied_program
from micrograd.value import Value
from tui.notebook.timeline import NUDGE_STEPS, Timeline

__all__ = ["Explorer"]

HERE = Path(__file__).parent


class Explorer(anywidget.AnyWidget):
    """The explorer in a notebook cell: ``Explorer(L)``, or ``Explorer(model, x=..., target=...)``
    for an ``nn`` model's loss graph on one sample (as ``explore``)."""

    _esm = HERE / "explorer.js"
    _css = HERE / "explorer.css"

    title = traitlets.Unicode("").tag(sync=True)
    svg = traitlets.Unicode("").tag(sync=True)
    caption = traitlets.Unicode("").tag(sync=True)
    position = traitlets.Int(0).tag(sync=True)
    total = traitlets.Int(0).tag(sync=True)
    forward_steps = traitlets.Int(0).tag(sync=True)
    where = traitlets.Unicode("").tag(sync=True)  # 'forward · step 3 of 11'
    log = traitlets.List(traitlets.Unicode()).tag(sync=True)
    selected = traitlets.Int(-1).tag(sync=True)
    details = traitlets.Unicode("").tag(sync=True)
    h = traitlets.Float(0.01).tag(sync=True)
    h_choices = traitlets.List(traitlets.Float(), list(NUDGE_STEPS)).tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)  # the last thing refused, in a line
    playing = traitlets.Bool(False).tag(sync=True)
    interval = traitlets.Int(600).tag(sync=True)  # ms between steps while playing

    def __init__(
        self,
        graph: Value | Module,
        x: Sequence[float | Value] | None = None,
        target: float | Sequence[float] | None = None,
        *,
        loss: str = "mse",
        title: str = "",
    ) -> None:
        program = copied_program(graph, x, target, loss, title)
        super().__init__()
        self._start(program)
        self.on_msg(self._on_message)

    def __repr__(self) -> str:
        """What a viewer without widgets shows (a forge's notebook preview): what this is."""
        return (f"<the notebook explorer of {self.title}: {self.timeline.caption().split(';')[0]}, "
                f"{self.where}; run the notebook to step it>")

    @classmethod
    def of_program(cls, program: Program) -> Explorer:
        """The widget on a program's graph as it is (``explore`` has copied it already)."""
        widget = cls.__new__(cls)
        anywidget.AnyWidget.__init__(widget)
        widget._start(program)
        widget.on_msg(widget._on_message)
        return widget

    def _start(self, program: Program) -> None:
        self.timeline = Timeline(program.output)
        self.title = program.title
        self.caption = self.timeline.caption()
        self.total = self.timeline.total
        self.forward_steps = self.timeline.stepper.forward_steps
        self._show()

    # --- what Python calls (and the buttons) --------------------------------------------------

    def next(self) -> None:
        self.timeline.next()
        if self.timeline.stepper.at_end:
            self.playing = False
        self._show()

    def back(self) -> None:
        self.timeline.back()
        self._show()

    def start(self) -> None:
        self.timeline.start()
        self._show()

    def backward(self) -> None:
        self.timeline.backward()
        self._show()

    def end(self) -> None:
        self.timeline.end()
        self._show()

    def jump(self, step: object) -> None:
        """To step ``step``; a bad one raises ``ValueError`` (a click shows it instead)."""
        self.timeline.jump(step)
        self._show()

    def play(self) -> None:
        """Play on or off; at the end it starts over, as in the terminal."""
        if not self.playing and self.timeline.stepper.at_end:
            self.timeline.start()
            self._show()
        self.playing = not self.playing

    def select(self, node: object) -> None:
        self.timeline.select(node)
        self._show()

    def set_h(self, h: object) -> None:
        self.timeline.set_h(h)
        self._show()

    def nudge(self, direction: int) -> str:
        """Nudge the selected leaf up (1) or down (-1) by h; the line comparing the output's
        change with grad * h."""
        try:
            return self.timeline.nudge(direction)
        finally:
            self._show()

    # --- the browser's messages ---------------------------------------------------------------

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """One click or key from the browser; what cannot be done is said in ``message``."""
        if not isinstance(content, dict):
            return
        do = content.get("do")
        moves = {"next": self.next, "back": self.back, "start": self.start,
                 "backward": self.backward, "end": self.end, "play": self.play}
        try:
            if do in moves:
                moves[do]()
            elif do == "jump":
                self.jump(content.get("step"))
            elif do == "select":
                self.select(content.get("node"))
            elif do == "h":
                self.set_h(content.get("value"))
            elif do == "nudge":
                self.nudge(1 if content.get("direction", 1) > 0 else -1)
            else:
                return
        except (ValueError, TypeError) as error:
            self.playing = False
            self.message = str(error)

    def _show(self) -> None:
        """Copy the timeline's state into the traits, all at once (one update message)."""
        timeline = self.timeline
        with self.hold_sync():
            self.message = ""
            self.position = timeline.position
            self.where = timeline.position_text()
            self.svg = timeline.svg()
            self.log = timeline.log()
            self.selected = timeline.selected_index()
            self.details = timeline.details()
            self.h = timeline.h
