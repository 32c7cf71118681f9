"""Set a leaf's value (``s``): one line, read by the expression language, never run.

The video changes an input and watches the output; this box asks for the new value of the
selected leaf. A value that does not read (``2 +``, a name, ``1/0``) is said on one line in
the box, and nothing changes; escape leaves it as it was.
"""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from micrograd.fmt import fmt_number
from micrograd.quiz import read_answer


def read_value(text: str) -> float:
    """A typed value as a finite number, or ValueError in one line (``read_answer`` parses
    it with the expression language: ``-2``, ``1/3``, ``2**0.5``)."""
    value = read_answer(text)
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


class SetValueScreen(ModalScreen[float | None]):
    """Asks for a leaf's new value; dismissed with the number, or None (escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, name: str, now: float) -> None:
        super().__init__()
        self.leaf_name = name
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(f"Set {self.leaf_name}")
            with Horizontal():
                yield Label(Content(f"{self.leaf_name} (now {fmt_number(self.now)}) ="))
                yield Input(placeholder="a number, or arithmetic like 1/3", id="set-value",
                            compact=True)
            yield Static("", id="set-error")
            yield Static("enter sets it · escape: leave it · u later puts it back",
                         id="set-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            value = read_value(event.value)
        except ValueError as error:
            self.query_one("#set-error", Static).update(Content(str(error)))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
