"""The export screen: pick a format, preview it, save it to a file or copy it.

What is exported is what the learner sees: every value as it stands, and every grad as the
Stepper shows it at this moment (0 where no gradient has arrived yet). Ticking "run
backward first" exports the full gradients instead, as ``micrograd-tui export`` does. The
``trace`` format is always the whole lesson, replayed from the values.

The live graph is the app's model and the Stepper moves it, so this screen never touches
it: it takes a snapshot of the numbers when it opens and exports a copy built from that, in
a thread worker, so a big graph never freezes the terminal.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static, Tab, Tabs, TextArea

from micrograd.export import FORMATS, export
from micrograd.expr import Program
from micrograd.files import OutputPathError, check_output_path, write_atomic
from micrograd.fmt import visible
from micrograd.snapshot import GraphSnapshot, full_gradients
from micrograd.stepper import Stepper
from tui.present import plural

#: The preview shows at most this many lines; Save and Copy always use the whole text.
PREVIEW_LINES = 2000



def default_filename(title: str, fmt: str) -> str:
    """A file name for ``title`` in ``fmt``: ``classic-neuron.txt``, ``classic-neuron.dot``.

    Unsafe characters become ``-``; formats that share ``.txt`` with ``text`` get their
    name in front of it (``classic-neuron.trace.txt``) so they do not overwrite each other.
    """
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", title).strip("-.")[:40].rstrip("-.") or "graph"
    return stem + _suffix(fmt)


def _suffix(fmt: str) -> str:
    extension = FORMATS[fmt].extension if fmt in FORMATS else ".txt"
    if extension == ".txt" and fmt != "text":
        return f".{fmt}{extension}"
    return extension


def _position(stepper: Stepper | None, program: Program) -> str:
    """``step 3/11`` when ``stepper`` steps through ``program``, else ``''``."""
    if stepper is None or stepper.root is not program.output:
        return ""
    return f"step {stepper.position}/{len(stepper)}"


# --- confirming an overwrite --------------------------------------------------------------


class ConfirmOverwrite(ModalScreen[bool]):
    """Asks before an existing file is replaced: y overwrites, n or escape keeps it."""

    BINDINGS = [
        Binding("y", "answer(True)", "Overwrite"),
        Binding("n,escape", "answer(False)", "Keep the file"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.path} already exists.", id="confirm-text", markup=False)
            yield Static("Overwrite it?")
            with Horizontal(id="confirm-buttons"):
                yield Button("Overwrite (y)", id="confirm-yes", variant="warning", compact=True)
                yield Button("Keep it (n / esc)", id="confirm-no", compact=True)

    def on_mount(self) -> None:
        # Enter on the focused button is the safe answer.
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, overwrite: bool) -> None:
        self.dismiss(overwrite)


# --- the screen ---------------------------------------------------------------------------


class ExportScreen(ModalScreen[None]):
    """Export the graph in any format of ``micrograd.export``: preview, save, copy."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("s", "save", "Save"),
        Binding("y", "copy", "Copy"),
        Binding("b", "toggle_backward", "Backward first"),
        Binding("left_square_bracket", "cycle(-1)", "Previous format", show=False),
        Binding("right_square_bracket", "cycle(1)", "Next format", show=False),
    ]

    class Ready(Message):
        """A worker finished an export: ``text`` for ``key``, or the ``error`` it hit."""

        def __init__(self, key: tuple[str, bool], text: str | None, error: str | None) -> None:
            super().__init__()
            self.key = key
            self.text = text
            self.error = error

    def __init__(self, program: Program, stepper: Stepper | None = None) -> None:
        """Export ``program``; ``stepper``: the explorer's timeline on it, if it has one
        (the screen then says which step's grads are exported)."""
        super().__init__()
        self.program = program
        #: The numbers on screen when the export was opened: what gets exported.
        self.snapshot = GraphSnapshot.take(program.output)
        self.formats = list(FORMATS)
        self.fmt = "text" if "text" in FORMATS else self.formats[0]
        self.backward_first = False
        #: Finished exports by (format, backward first); trace ignores the flag.
        self.texts: dict[tuple[str, bool], str] = {}
        self.errors: dict[tuple[str, bool], str] = {}
        #: What to do once the export being generated is ready (a Save or Copy pressed early).
        self._waiting: list[Callable[[str], None]] = []
        self._default_path = default_filename(program.title, self.fmt)
        #: Where the learner is on the timeline, for the note on which grads are exported.
        self.position = _position(stepper, program)

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Tabs(
                *(Tab(fmt, id=f"fmt-{fmt}") for fmt in self.formats),
                active=f"fmt-{self.fmt}",
                id="export-formats",
            )
            with Horizontal(id="export-options"):
                yield Checkbox("run backward first", value=self.backward_first,
                               id="export-backward", compact=True)
                yield Static("", id="export-note", markup=False)
            preview = TextArea(
                "", read_only=True, soft_wrap=False, show_cursor=False, id="export-preview"
            )
            preview.border_title = "preview"
            yield preview
            with Horizontal(id="export-save-row"):
                yield Label("Save to")
                yield Input(self._default_path, id="export-path", compact=True)
                yield Button("Save", id="export-save", variant="primary", compact=True)
                yield Button("Copy", id="export-copy", compact=True)
            yield Static("", id="export-status", markup=False)

    def on_mount(self) -> None:
        box = self.query_one("#export-box")
        box.border_title = Content(f"Export · {self.program.title}")
        box.border_subtitle = (
            "←/→ or [ ] format · b backward · s save · y copy · tab move · esc close"
        )
        self.query_one(Tabs).focus()
        self._refresh()

    # --- generating -----------------------------------------------------------------------

    @property
    def choice(self) -> tuple[str, bool]:
        """What the screen shows now: the format, and whether grads are full."""
        return (self.fmt, self.backward_first and self.fmt != "trace")

    @property
    def text(self) -> str | None:
        """The export for the current choice, or None while it is being generated."""
        return self.texts.get(self.choice)

    def _refresh(self) -> None:
        """Show the current choice: from the cache, or start a worker to generate it."""
        self._waiting = []  # a Save or Copy pressed for the previous choice is dropped
        self._update_note()
        key = self.choice
        if key in self.texts or key in self.errors:
            self._show(key)
            return
        preview = self.query_one("#export-preview", TextArea)
        preview.border_subtitle = "generating…"
        preview.load_text("")
        self._generate(key)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _generate(self, key: tuple[str, bool]) -> None:
        """Build a copy of the graph and export it (a thread: big graphs take seconds)."""
        fmt, full = key
        try:
            copy = self.snapshot.build()
            if full:
                full_gradients(copy)
            text = export(copy, fmt)
        except Exception as error:  # shown on screen: the app stays up (a MathError, mostly)
            self.post_message(self.Ready(key, None, f"{type(error).__name__}: {error}"))
            return
        # Posted even when a newer choice cancelled this worker: the text is right for its
        # key, and switching back to it is then instant.
        self.post_message(self.Ready(key, text, None))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        if message.text is None:
            self.errors[message.key] = message.error or "the export failed"
        else:
            self.texts[message.key] = message.text
        if message.key == self.choice:
            self._show(message.key)
            waiting, self._waiting = self._waiting, []
            if message.text is not None:
                for callback in waiting:
                    callback(message.text)

    def _show(self, key: tuple[str, bool]) -> None:
        preview = self.query_one("#export-preview", TextArea)
        if key in self.errors:
            preview.load_text("")
            preview.border_subtitle = "failed"
            self._status(f"cannot export: {self.errors[key]}", "error")
            return
        text = self.texts[key]
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        if lines > PREVIEW_LINES:
            head = "".join(text.splitlines(keepends=True)[:PREVIEW_LINES])
            preview.border_subtitle = (
                f"first {PREVIEW_LINES:,} of {lines:,} lines shown · Save and Copy take all"
            )
        else:
            head = text
            preview.border_subtitle = f"{plural(lines, 'line')} · {plural(len(text), 'char')}"
        preview.load_text(head)
        about = FORMATS[key[0]].description.replace("`", "") if key[0] in FORMATS else ""
        preview.border_title = f"preview · {key[0]}: {about}"

    def _update_note(self) -> None:
        note = self.query_one("#export-note", Static)
        checkbox = self.query_one("#export-backward", Checkbox)
        checkbox.disabled = self.fmt == "trace"
        if self.fmt == "trace":
            note.update("trace replays the whole lesson from the values")
        elif self.backward_first:
            note.update("grads: full, after one backward()")
        else:
            where = f" ({self.position})" if self.position else ""
            note.update(f"values computed · grads as shown now{where}")

    # --- choosing -------------------------------------------------------------------------

    @on(Tabs.TabActivated, "#export-formats")
    def _format_chosen(self, event: Tabs.TabActivated) -> None:
        fmt = (event.tab.id or "").removeprefix("fmt-")
        if fmt not in FORMATS or fmt == self.fmt:
            return
        old = self.fmt
        self.fmt = fmt
        self._follow_path(old, fmt)
        self._status("")
        self._refresh()

    def _follow_path(self, old: str, new: str) -> None:
        """Give the path the new format's extension, unless the learner chose another."""
        path_input = self.query_one("#export-path", Input)
        value = path_input.value
        new_default = default_filename(self.program.title, new)
        if value == self._default_path:
            path_input.value = new_default
        elif value.endswith(_suffix(old)):
            path_input.value = value[: -len(_suffix(old))] + _suffix(new)
        self._default_path = new_default

    def action_cycle(self, delta: int) -> None:
        index = (self.formats.index(self.fmt) + delta) % len(self.formats)
        self.query_one(Tabs).active = f"fmt-{self.formats[index]}"

    def choose(self, fmt: str) -> None:
        """Switch to ``fmt`` as if its tab were picked (for tests and the command line)."""
        self.query_one(Tabs).active = f"fmt-{fmt}"

    @on(Checkbox.Changed, "#export-backward")
    def _backward_changed(self, event: Checkbox.Changed) -> None:
        self.backward_first = event.value
        self._status("")
        self._refresh()

    def action_toggle_backward(self) -> None:
        checkbox = self.query_one("#export-backward", Checkbox)
        if not checkbox.disabled:
            checkbox.toggle()

    # --- saving and copying ---------------------------------------------------------------

    def _status(self, message: str, kind: str = "") -> None:
        status = self.query_one("#export-status", Static)
        status.update(Content(visible(message)))  # it quotes paths the user typed
        status.set_class(kind == "error", "-error")
        status.set_class(kind == "ok", "-ok")

    def _when_ready(self, callback: Callable[[str], None], doing: str) -> None:
        """Run ``callback`` with the current export now, or as soon as it is generated."""
        if self.choice in self.errors:
            self._status(f"cannot export: {self.errors[self.choice]}", "error")
            return
        text = self.text
        if text is not None:
            callback(text)
        else:
            self._waiting = [callback]
            self._status(f"still generating the {self.fmt} export; will {doing} when ready")

    @on(Button.Pressed, "#export-save")
    @on(Input.Submitted, "#export-path")
    def action_save(self) -> None:
        """Save to the path: check it first; ask before replacing a file. In a browser
        (``micrograd-tui serve``) the file goes to the browser as a download instead: the
        server's disk is not the learner's."""
        raw = self.query_one("#export-path", Input).value.strip()
        if self.app.is_web:
            name = Path(raw).name or default_filename(self.program.title, self.fmt)
            self._when_ready(lambda text: self._deliver(name, text), "save")
            return
        try:
            target = check_output_path(raw)
        except OutputPathError as error:
            self._status(f"✗ {error}", "error")
            return
        if target.exists():
            self._status(f"{raw} exists: overwrite it? (y / n)")

            def answered(overwrite: bool | None) -> None:
                if overwrite:
                    self._when_ready(lambda text: self._write(target, text), "save")
                else:
                    self._status(f"not saved: {raw} was kept as it was")

            self.app.push_screen(ConfirmOverwrite(target), answered)
            return
        self._when_ready(lambda text: self._write(target, text), "save")

    def _write(self, target: Path, text: str) -> None:
        try:
            written = write_atomic(target, text)
        except OSError as error:
            self._status(f"✗ not saved: {error}", "error")
            return
        lines = text.count("\n")
        self._status(f"✓ saved {self.fmt} ({plural(lines, 'line')}) to {written}", "ok")

    @on(Button.Pressed, "#export-copy")
    def action_copy(self) -> None:
        """Copy the whole export to the clipboard (OSC 52: the terminal must allow it)."""
        self._when_ready(self._copy, "copy")

    def _deliver(self, name: str, text: str) -> None:
        """Hand the export to the browser, which saves it as ``name``."""
        self.app.deliver_text(io.StringIO(text), save_filename=name, mime_type="text/plain")
        lines = text.count("\n")
        self._status(f"✓ sent {self.fmt} ({plural(lines, 'line')}) to the browser as {name}",
                     "ok")

    def _copy(self, text: str) -> None:
        if self.app.is_web:  # a browser page cannot be handed a clipboard: a download
            self._deliver(default_filename(self.program.title, self.fmt), text)
            return
        self.app.copy_to_clipboard(text)
        size = f"{plural(text.count(chr(10)), 'line')}, {plural(len(text), 'char')}"
        self._status(f"✓ copied the {self.fmt} export ({size}) to the clipboard", "ok")
        self.notify(
            f"copied {size}; terminals without OSC 52 support ignore it",
            title="Export", timeout=3,
        )

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.workers.cancel_group(self, "export")
        self.dismiss(result)
