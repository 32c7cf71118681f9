"""A node's details: data, grad, op, operands, users and its local derivatives."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from micrograd.explain import NodeDetails
from tui.keys import DETAILS_SCREEN
from tui.screens.modal import TextModal


class DetailsScreen(TextModal):
    """Shows ``NodeDetails`` as text; escape, enter or q closes it."""

    BINDINGS = DETAILS_SCREEN

    def __init__(self, details: NodeDetails) -> None:
        super().__init__()
        self.details = details

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("\n".join(self.details.lines()), id="details-text", markup=False)
            yield Static("[dim]escape closes[/]", id="details-hint")
