"""A node's details: data, grad, op, operands, users and its local derivatives."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from micrograd.explain import NodeDetails


class DetailsScreen(ModalScreen[None]):
    """Shows ``NodeDetails`` as text; escape, enter or q closes it."""

    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close")]

    DEFAULT_CSS = """
    DetailsScreen { align: center middle; }
    DetailsScreen > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, details: NodeDetails) -> None:
        super().__init__()
        self.details = details

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("\n".join(self.details.lines()), id="details-text", markup=False)
            yield Static("[dim]escape closes[/]", id="details-hint")

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
