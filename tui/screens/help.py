"""The help screen: every key, read from the bindings themselves so it can never drift."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import KEY_GROUPS, help_text, key_label


def help_rows() -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(keys, what they do)]) for every group of bindings, in order."""
    return [
        (group, [(key_label(b.key), help_text(b)) for b in bindings])
        for group, bindings in KEY_GROUPS
        if bindings
    ]


def help_text_block() -> Text:
    """The help as styled text: a heading per group, then one line per binding."""
    text = Text()
    width = max(len(keys) for _, rows in help_rows() for keys, _ in rows) + 2
    for group, rows in help_rows():
        text.append(f"{group}\n", style="bold underline")
        for keys, description in rows:
            text.append(f"  {keys:<{width}}", style="bold cyan")
            text.append(f"{description}\n")
        text.append("\n")
    return text


class HelpScreen(ModalScreen[None]):
    """Lists every binding; escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; padding-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("micrograd-tui keys  (escape closes)", id="help-title")
            yield Static(help_text_block(), id="help-keys")
            yield Static(
                "Grads: · not reached yet, green positive, red negative. "
                "Values: ? not computed yet.",
                id="help-legend",
            )

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
