"""What a terminal too small for the explorer shows instead of widgets that cannot fit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Static

#: The smallest terminal the explorer draws itself in. Below it, some of Textual's own
#: widgets fail (Textual 8.2.8: an OptionList narrower than 24 cells raises ValueError in
#: ``rich.cells.chop_cells``, as the editor's Recent list does; the command palette's list
#: raises KeyError on page up/down when it is 4 rows or less). So nothing else is drawn, and
#: no key reaches those widgets, until the terminal is large enough again.
MIN_WIDTH, MIN_HEIGHT = 30, 8


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    """Covers everything while the terminal is too small; goes away by itself when it grows.
    Only quitting works meanwhile: a modal screen, so no key of the screen below or of the
    App gets past it (its own background hides what is below)."""

    BINDINGS = [Binding("q,ctrl+q", "app.quit", "Quit", show=False)]

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small-text", markup=False)

    def on_mount(self) -> None:
        self.on_resize()

    def on_resize(self) -> None:
        width, height = self.app.size
        try:
            text = self.query_one(Static)
        except NoMatches:  # mounted as the app closed: its widgets are already gone
            return
        text.update(
            f"terminal too small\n{width}x{height}, needs {MIN_WIDTH}x{MIN_HEIGHT}\nq quits"
        )
