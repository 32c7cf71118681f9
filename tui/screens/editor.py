"""The expression editor: change the program's text, see errors while typing, build the graph.

Errors are part of the interface: the line under the editor says what is wrong and where
(``line 2, col 7: unknown function 'tanhh'``), repeats the source line with a caret under the
column, and the offending character is marked in the text itself. A failed build changes
nothing; a good one dismisses the screen with the new ``Program``.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Label, Select, Static, TextArea

from micrograd.expr import ExprError, Program, evaluate
from micrograd.fmt import fmt_number, has_control, visible
from micrograd.notebook import Skipped, skipped_summary
from micrograd.value import topological_order
from tui.present import plural
from tui.screens.modal import BuildScreen
from tui.widgets.footer import Footer

#: Select's "nothing chosen": ``Select.NULL`` from Textual 8 on, ``Select.BLANK`` before
#: (pyproject.toml declares Textual 3.7 as the lowest, and CI runs the tests on it).
NO_CHOICE = Select.NULL if hasattr(Select, "NULL") else Select.BLANK
#: Texts up to this many characters are checked while typing; longer ones when built.
LIVE_CHECK_LIMIT = 20_000
#: Seconds of no typing before the text is checked, so a half-typed name is not an error.
CHECK_DELAY = 0.3
#: How much of a long source line the caret display shows.
CARET_WIDTH = 72

EXAMPLE_SOURCE = """\
# example: d = tanh(a*b + c)
# The open graph, "{title}", was built in Python (micrograd.nn), so it has no
# program text to edit. Change this example or write your own, then press ctrl+b.
a = 2.0
b = -3.0
c = 1.0
d = tanh(a*b + c)
"""


def initial_text(program: Program) -> str:
    """The text to edit for ``program``: its source, or an example when it has none."""
    return program.source or EXAMPLE_SOURCE.format(title=program.title)


def caret_lines(source_line: str, col: int, width: int = CARET_WIDTH) -> tuple[str, str]:
    """The source line and a ``^`` under 1-based ``col``, cut to ``width`` around the column.

    A long line is shown as a window with ``…`` at the cut ends, so the caret stays visible.

        >>> caret_lines("n = x1*w3", 8)
        ('n = x1*w3', '       ^')
    """
    line = visible(source_line.replace("\t", " "))  # one character for one: columns hold
    index = max(0, col - 1)
    if len(line) <= width:
        return line, " " * index + "^"
    start = max(0, min(index - width // 2, len(line) - width))
    window = line[start : start + width]
    if start > 0:
        window = "…" + window[1:]
    if start + width < len(line):
        window = window[:-1] + "…"
    return window, " " * (index - start) + "^"


def program_title(text: str, built: Program, base: Program) -> str:
    """The title of a program built from ``text``, edited from ``base``.

    Unchanged text keeps ``base``'s title (a file's name, ``classic neuron``); otherwise the
    first comment line, as ``evaluate`` found it, or ``'edited program'``.
    """
    if base.source and text == base.source:
        return base.title
    return "edited program" if built.title == "expression" else built.title


class ProgramArea(TextArea):
    """A TextArea that marks the character an error points at (red), without moving the cursor."""

    COMPONENT_CLASSES = TextArea.COMPONENT_CLASSES | {
        "program-area--error", "program-area--skipped"}

    # ctrl+a selects all, as in most editors (TextArea's ctrl+a goes to the line's start,
    # which home still does, and its select-all is F7, which nobody would guess).
    BINDINGS = [
        Binding("ctrl+a,f7", "select_all", "Select all", tooltip="Select the whole program"),
    ]

    DEFAULT_CSS = """
    ProgramArea > .program-area--error { background: $error; color: $text; text-style: bold; }
    ProgramArea > .program-area--skipped { color: $text-disabled; text-style: italic; }
    """

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, **kwargs)
        #: The marked character, 0-based (row, column), or None.
        self.error_at: tuple[int, int] | None = None
        #: Statements read and not run, dimmed in place: row -> [(start, end)], 0-based.
        self.skipped: dict[int, list[tuple[int, int]]] = {}

    def mark_error(self, location: tuple[int, int] | None) -> None:
        if location == self.error_at:
            return
        self.error_at = location
        # Rendered lines are cached by cursor and scroll position only, so drop them. The
        # cache is TextArea's private ``_line_cache`` (Textual has no public way to drop it);
        # the snapshot test_editor_with_an_error shows the mark, so a change fails there.
        self._line_cache.clear()
        self.refresh()

    def mark_skipped(self, skipped: list[Skipped]) -> None:
        """Dim each statement that is read and not run (an import, a print, a display line),
        so the learner sees in the text itself what the graph leaves out."""
        marks: dict[int, list[tuple[int, int]]] = {}
        for statement in skipped:
            start = statement.col - 1
            end = start + len(statement.text) if not statement.text.endswith("...") else 10**9
            marks.setdefault(statement.line - 1, []).append((start, end))
        if marks == self.skipped:
            return
        self.skipped = marks
        self._line_cache.clear()  # as in mark_error
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if has_control(line.plain):  # shown, not obeyed: an ESC in a comment stays text
            shown = Text(visible(line.plain), end=line.end)
            for span in line.spans:
                shown.stylize(span.style, span.start, span.end)
            line = shown
        for start, end in self.skipped.get(line_index, ()):
            line.stylize(self.get_component_rich_style("program-area--skipped"), start,
                         min(end, len(line.plain)))
        if self.error_at is not None and self.error_at[0] == line_index:
            col = self.error_at[1]
            if col >= len(line.plain):
                # An error at the end of the line ("expected an expression after '+'").
                line.append(" " * (col - len(line.plain) + 1))
            line.stylize(self.get_component_rich_style("program-area--error"), col, col + 1)
        return line


class EditorScreen(BuildScreen):
    """Edit the program's text; ctrl+b builds it and closes, escape cancels."""

    BINDINGS = [
        Binding("ctrl+b", "build", "Build", tooltip="Build the graph from this text"),
        Binding("ctrl+r", "recent", "Recent",
                tooltip="Load a program opened earlier in this session"),
        Binding("ctrl+l", "clear", "Clear",
                tooltip="Clear the editor, to write a program from nothing (ctrl+z undoes it)"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing the graph"),
    ]

    BUILD_BUTTON = "#editor-build"

    def __init__(self, program: Program, recent: list[Program]) -> None:
        super().__init__()
        self.program = program
        self.recent = list(recent) or [program]
        #: The program whose text was last loaded; building it unchanged keeps its title.
        self.base = program
        self._check_timer: Timer | None = None

    # --- the screen --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="editor-dialog") as dialog:
            dialog.border_title = Content(f"Edit the program · {self.program.title}")
            with Horizontal(id="editor-recent-row"):
                yield Label("Recent (ctrl+r):", id="editor-recent-label")
                yield Select(
                    self._recent_options(), prompt="load a program opened earlier…",
                    id="editor-recent", compact=True,
                )
            yield ProgramArea(
                initial_text(self.program), id="editor-text", show_line_numbers=True,
                soft_wrap=False,
            )
            yield Static("", id="editor-status", markup=False)
            with Horizontal(id="editor-buttons"):
                yield Button("Build", id="editor-build", variant="primary", compact=True)
                yield Button("Cancel", id="editor-cancel", compact=True)
                yield Static(
                    "one statement a line: name = expression · ctrl+z undo", id="editor-hint"
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ProgramArea).focus()
        self.check()

    def _recent_options(self) -> list[tuple[Text, int]]:
        options = []
        for index, program in enumerate(self.recent):
            notes = []
            if program is self.program:
                notes.append("open now")
            if not program.source:
                notes.append("no text")
            suffix = f" ({', '.join(notes)})" if notes else ""
            options.append((Text(f"{program.title}{suffix}"), index))
        return options

    # --- checking while typing ---------------------------------------------------------------

    @on(TextArea.Changed, "#editor-text")
    def _text_changed(self) -> None:
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_timer(CHECK_DELAY, self.check)

    def check(self) -> None:
        """Evaluate the text (when small enough) and show the result or the first error."""
        if self._check_timer is not None:
            self._check_timer.stop()  # a check is due anyway: this one is it
            self._check_timer = None
        if self.building:
            return
        text = self.query_one(ProgramArea).text
        if len(text) > LIVE_CHECK_LIMIT:
            self.query_one(ProgramArea).mark_error(None)
            self.query_one(ProgramArea).mark_skipped([])
            self._status(
                f"{len(text):,} characters: too long to check while typing;"
                " ctrl+b builds and checks it", "-note",
            )
            return
        try:
            program = evaluate(text)
        except ExprError as error:
            self.show_error(error)
            return
        self.show_ok(program)

    def show_ok(self, program: Program) -> None:
        """The output's value, a warning (not an error) for names it does not use, and the
        lines read and not run (dimmed in the text too)."""
        area = self.query_one(ProgramArea)
        area.mark_error(None)
        area.mark_skipped(program.skipped)
        output = program.output
        nodes = len(topological_order(output))
        text = (f"ok · {plural(nodes, 'node')} · output {output.label or 'output'} = "
                f"{fmt_number(output.data)} · ctrl+b builds it")
        if program.skipped:
            text += f"\n{skipped_summary(program.skipped)} (dimmed)"
        warning = program.unused_warning()
        if warning:
            self._status(f"{text}\n⚠ {warning}", "-warning")
        else:
            self._status(text, "-ok")

    def show_error(self, error: ExprError) -> None:
        """The message, the source line with a caret, and a mark on the character itself."""
        area = self.query_one(ProgramArea)
        row = min(max(error.line - 1, 0), area.document.line_count - 1)
        source_line = area.document.get_line(row)
        area.mark_error((row, max(error.col - 1, 0)))
        area.mark_skipped([])  # the text changed: the marks of the last good build are stale
        shown, caret = caret_lines(error.text or source_line, error.col)
        self._status(f"✗ {error}\n  {shown}\n  {caret}", "-error")

    def _status(self, text: str, kind: str) -> None:
        status = self.query_one("#editor-status", Static)
        status.update(visible(text))
        status.set_classes(kind)

    # --- recent programs -----------------------------------------------------------------

    def action_recent(self) -> None:
        select = self.query_one("#editor-recent", Select)
        select.focus()
        select.expanded = True

    @on(Select.Changed, "#editor-recent")
    def _recent_chosen(self, event: Select.Changed) -> None:
        if event.value is NO_CHOICE:
            return
        self.load_recent(int(event.value))  # type: ignore[arg-type]
        event.select.value = NO_CHOICE

    def action_clear(self) -> None:
        """Empty the editor, as one edit (ctrl+z brings the text back)."""
        area = self.query_one(ProgramArea)
        area.replace("", (0, 0), area.document.end)
        area.focus()
        self.check()

    def load_recent(self, index: int) -> None:
        """Put a recent program's text in the editor, as one edit (ctrl+z takes it back)."""
        program = self.recent[index]
        area = self.query_one(ProgramArea)
        area.replace(initial_text(program), (0, 0), area.document.end)
        area.move_cursor((0, 0))
        area.focus()
        self.base = program
        self.query_one("#editor-dialog").border_title = (
            Content(f"Edit the program · {program.title}")
        )
        self.check()

    # --- building ------------------------------------------------------------------------

    @on(Button.Pressed, "#editor-build")
    def action_build(self) -> None:
        if self.building:
            return
        text = self.query_one(ProgramArea).text
        base = self.base

        def build() -> Program | ExprError:
            try:
                program = evaluate(text)
            except ExprError as error:
                return error
            program.title = program_title(text, program, base)
            return program

        if len(text) <= LIVE_CHECK_LIMIT:
            self.built(build())
            return
        self._status(f"building… ({len(text):,} characters)", "-note")
        self.build_in_background(build)

    def build_failed(self, error: Exception) -> None:
        """Point at the error: in the status line, and with the cursor in the text."""
        assert isinstance(error, ExprError)
        self.show_error(error)
        area = self.query_one(ProgramArea)
        if area.error_at is not None:
            area.move_cursor(area.error_at)
        area.focus()

    @on(Button.Pressed, "#editor-cancel")
    def action_cancel(self) -> None:
        if self._check_timer is not None:
            self._check_timer.stop()
        self.dismiss(None)
