"""What the explorer's dialogs share: a box of text that closes (help, a node's details), and
a form that builds a program (the editor, the builder). Their styles are in ``app.tcss``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widgets import Button

from micrograd.expr import Program
from tui.keys import CLOSE
from tui.messages import ProgramBuilt


class TextModal(ModalScreen[None]):
    """A box of text over the explorer, scrolled when taller than the screen; escape or q
    closes it (``CLOSE``), and each kind adds its own key (``?`` for help, enter for
    details)."""

    BINDINGS = CLOSE

    def action_close(self) -> None:
        self.dismiss(None)


class BuildScreen(ModalScreen[Program | None]):
    """A screen that closes with the Program it builds (the editor, the builder).

    A small program is built at once (``built``). A big one is built in a worker thread that
    posts ``ProgramBuilt``, with the Build button disabled meanwhile; if the screen was
    cancelled by then, the message goes nowhere.
    """

    #: The Build button, disabled while a build runs in the background.
    BUILD_BUTTON: ClassVar[str]

    #: Whether a build is running in the background.
    building: var[bool] = var(False, init=False)

    def watch_building(self, building: bool) -> None:
        self.query_one(self.BUILD_BUTTON, Button).disabled = building

    def build_in_background(self, make: Callable[[], Program | Exception]) -> None:
        """Run ``make`` (which returns the program, or the error to show) in a thread."""
        self.building = True
        self._build_worker(make)

    @work(thread=True, exclusive=True, group="build")
    def _build_worker(self, make: Callable[[], Program | Exception]) -> None:
        self.post_message(ProgramBuilt(make()))

    @on(ProgramBuilt)
    def _background_build_done(self, message: ProgramBuilt) -> None:
        self.building = False
        if self.is_active:  # else covered (a terminal made too small): the build is dropped
            self.built(message.result)

    def built(self, result: Program | Exception) -> None:
        """Close with the program; or ring, show the error (``build_failed``) and stay."""
        if isinstance(result, Program):
            self.dismiss(result)
            return
        self.build_failed(result)
        self.app.bell()

    def build_failed(self, error: Exception) -> None:
        """Show why the build failed; the graph is unchanged."""
        raise NotImplementedError
