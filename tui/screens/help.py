"""The help screen: every key, read from the bindings themselves so it can never drift."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.keys import HELP_SCREEN, KEY_GROUPS, help_text, key_label
from tui.screens.modal import TextModal
from tui.widgets.dag_canvas import LEGEND_MARKS


def help_rows(first: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(keys, what they do)]) for every group of bindings, in order; the group
    whose title starts with ``first`` first (the training screen's keys, asked from there)."""
    rows = [
        (group, [(key_label(b.key), help_text(b)) for b in bindings])
        for group, bindings in KEY_GROUPS
        if bindings
    ]
    if first:
        rows.sort(key=lambda row: not row[0].startswith(first))  # stable: the rest in order
    return rows


def help_table(first: str = "") -> Group:
    """The help: a heading per group, then a grid of one row per binding, so a long
    description wraps under itself, not under the keys."""
    width = max(len(keys) for _, rows in help_rows() for keys, _ in rows) + 2
    parts: list[Text | Table] = []
    for k, (group, rows) in enumerate(help_rows(first)):
        parts.append(Text(("\n" if k else "") + group, style="bold underline"))
        table = Table.grid(padding=(0, 1))
        table.add_column(width=width, style="bold cyan", no_wrap=True)
        table.add_column(ratio=1)
        for keys, description in rows:
            table.add_row("  " + keys, description)
        parts.append(table)
    return Group(*parts)


def help_legend() -> str:
    """The canvas's marks, three to a line (markup)."""
    items = [f"{mark} {meaning}" for mark, meaning in LEGEND_MARKS]
    return "\n".join("   ".join(items[k:k + 3]) for k in range(0, len(items), 3))


#: What the quiz is, for the help screen.
QUIZ_HELP = (
    "Quiz (t): before each backward step, type what each operand's grad will be after it "
    "(a number, or arithmetic like -3 * -2). Right is within 1e-3; a wrong answer shows the "
    "working. The score is in the title. Autoplay and jumps skip the questions."
)


class HelpScreen(TextModal):
    """Lists every binding; escape, q or ? closes it."""

    BINDINGS = HELP_SCREEN

    def __init__(self, first: str = "") -> None:
        """``first``: the start of the title of the group of keys to list first."""
        super().__init__()
        self.first = first

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("micrograd-tui keys  (escape closes)", id="help-title")
            yield Static(help_legend(), id="help-legend")
            yield Static(help_table(self.first), id="help-keys")
            yield Static(QUIZ_HELP, id="help-quiz", markup=False)
