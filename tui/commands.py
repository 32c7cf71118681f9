"""Command-palette commands: open a graph (the example files and the presets), find a node.

``ExamplesProvider`` lists "Open example: neuron.mg" for each file in ``examples/`` and
"Open preset: classic neuron" and friends. Choosing one builds the program and hands it to
the app's ``load_program``; a file that is missing or does not parse becomes an error
notification, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual import work
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.css.query import NoMatches
from textual.errors import NoWidget
from textual.events import Click
from textual.markup import escape

from micrograd.bugs import BUGS
from micrograd.expr import ExprError, Program, evaluate
from micrograd.presets import classic_neuron, mlp, neuron

#: How much of a file is read to find its title (the first comment line).
_TITLE_BYTES = 4096


def examples_dir() -> Path | None:
    """The examples folder: the repository's, else the copy inside an installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "examples", here / "examples"):
        if candidate.is_dir():
            return candidate
    return None


def example_files() -> list[Path]:
    """The ``*.mg`` example files, sorted by name (empty when there is no examples folder)."""
    folder = examples_dir()
    return sorted(folder.glob("*.mg")) if folder is not None else []


def example_title(path: Path) -> str:
    """The file's first comment line (without ``#``), else its name; for the palette's help.

        >>> example_title(Path("examples/reuse.mg"))  # doctest: +SKIP
        'A node used twice gets the sum of both gradients: dc/da = 4'
    """
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(_TITLE_BYTES)
    except OSError:
        return path.name
    for line in head.splitlines():
        text = line.strip()
        if not text:
            continue
        if text.startswith("#"):
            return text.lstrip("#").strip() or path.name
        break
    return path.name


def load_example(path: Path) -> Program:
    """Evaluate an example file; its title is the file's stem, as on the command line.

    Raises ``ExprError`` for a program that does not parse and ``OSError`` (or
    ``UnicodeDecodeError``) for a file that cannot be read.
    """
    return evaluate(path.read_text(encoding="utf-8"), filename=path.name)


#: The presets the palette offers: (name, help, how to build it).
PRESET_COMMANDS: list[tuple[str, str, Callable[[], Program]]] = [
    ("classic neuron", "o = tanh(x1*w1 + x2*w2 + b), as in Karpathy's video", classic_neuron),
    ("neuron with 3 inputs (relu)", "random weights, seed 0", partial(neuron, 3, "relu")),
    ("neuron with 2 inputs (sigmoid)", "random weights, seed 0", partial(neuron, 2, "sigmoid")),
    ("MLP 2-3-1", "a tiny network from micrograd.nn, seed 0", partial(mlp, (2, 3, 1))),
    ("MLP 2-3-1 with an mse loss", "target 1.0: the output is the loss",
     partial(mlp, (2, 3, 1), target=1.0)),
    ("MLP 3-4-4-1", "two hidden layers of 4 (tanh), seed 0", partial(mlp, (3, 4, 4, 1))),
]


class ExamplesProvider(Provider):
    """The palette's "Open example: …" and "Open preset: …" commands."""

    def commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        """(name, help, callback) for every example file and preset."""
        found = [
            (f"Open example: {path.name}", example_title(path), partial(self.open_example, path))
            for path in example_files()
        ]
        found += [
            (f"Open preset: {name}", help_text, partial(self.open_preset, name, make))
            for name, help_text, make in PRESET_COMMANDS
        ]
        return found

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(escape(name), callback, text=name, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(
                    score, matcher.highlight(escape(name)), callback, text=name,
                    help=escape(help_text),
                )

    def open_example(self, path: Path) -> None:
        try:
            program = load_example(path)
        except ExprError as error:
            self.app.notify(error.located(), title="The example has an error", severity="error",
                            markup=False)
            return
        except (OSError, UnicodeDecodeError) as error:
            self.app.notify(f"{path.name}: {error}", title="Cannot read the example",
                            severity="error", markup=False)
            return
        self._load(program)

    def open_preset(self, name: str, make: Callable[[], Program]) -> None:
        try:
            program = make()
        except (ValueError, ArithmeticError) as error:
            self.app.notify(f"{name}: {error}", severity="error", markup=False)
            return
        self._load(program)

    def _load(self, program: Program) -> None:
        explorer = getattr(self.app, "explorer", None)
        if explorer is None:  # not the explorer's app (a test app, say): nothing to load into
            self.app.notify("this app cannot open programs", severity="error", markup=False)
            return
        self.app.switch_mode("explore")  # from the training screen too: show what opened
        explorer.load_program(program)
        self.app.notify(f"opened {program.title}", timeout=2, markup=False)


def bug_commands() -> list[tuple[str, str, str | None]]:
    """The bug switch's palette commands: (name, help, the bug or None for off).

        >>> [name for name, _, _ in bug_commands()][:2]
        ['bug: = instead of +=', 'bug: backward in the wrong order']
    """
    found: list[tuple[str, str, str | None]] = [
        (f"bug: {bug.name}", f"{bug.about} (B cycles the bugs)", bug.key)
        for bug in BUGS.values()
    ]
    found.append(("bug: off", "the true backward pass again", None))
    return found


class BugsProvider(Provider):
    """The palette's ``bug: …`` commands: one of the video's backward bugs on, or off."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        set_bug = getattr(self.screen, "set_bug", None)
        if set_bug is None:  # not opened on the explorer
            return []
        return [(name, about, partial(set_bug, bug)) for name, about, bug in bug_commands()]

    async def discover(self) -> Hits:
        for name, about, callback in self._commands():
            yield DiscoveryHit(escape(name), callback, text=name, help=escape(about))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, about, callback in self._commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(escape(name)), callback, text=name,
                          help=escape(about))


#: The most nodes a search lists: enough to choose from, few enough to draw at once.
MAX_NODE_HITS = 40


def find_nodes(names: list[str], query: str, limit: int = MAX_NODE_HITS) -> list[int]:
    """Rows (places in the table) whose node matches ``query``, best first: an exact name,
    the row number (``#12`` or ``12``), then names that start with the query, then names
    that contain it; case is ignored. Plain string tests, so 100,000 names take a few ms.

        >>> find_nodes(["x1", "w1", "x1w1", "#3"], "x1")
        [0, 2]
        >>> find_nodes(["x1", "w1", "x1w1", "#3"], "#3")
        [3]
    """
    text = query.strip().lower()
    if not text:
        return []
    same: list[int] = []
    number = text.lstrip("#")
    by_number = [int(number)] if number.isdigit() and int(number) < len(names) else []
    starts: list[int] = []
    contains: list[int] = []
    for row, name in enumerate(names):
        lowered = name.lower()
        if lowered == text:
            same.append(row)
        elif lowered.startswith(text):
            starts.append(row)
        elif text in lowered:
            contains.append(row)
        if len(same) + len(starts) >= limit:
            break
    found = [*same, *(row for row in by_number if row not in same), *starts, *contains]
    return found[:limit]


class NodesProvider(Provider):
    """Find a node by name or number (``/``, and in the command palette)."""

    async def search(self, query: str) -> Hits:
        screen = self.screen
        stepper = getattr(screen, "stepper", None)
        if stepper is None:  # not opened on the explorer
            return
        names = [stepper.names[node] for node in stepper.order]
        rows = find_nodes(names, query)
        for rank, row in enumerate(rows):
            node = stepper.order[row]
            kind = node._op or node.kind
            # Labels are the learner's text: shown as plain Content, never read as markup.
            yield Hit(
                1.0 - rank / (len(rows) + 1),
                Content(f"{names[row]}"),
                partial(screen.select_node, node),
                text=names[row],
                help=Content(f"#{row} · {kind}"),
            )


class SafeCommandPalette(CommandPalette):
    """Textual's command palette, with page up and page down that cannot fail.

    Textual 8.2.8's list raises KeyError on page up/down when it is 4 rows or less (a short
    terminal), which would end the app. Here a page move in so short a list moves one row.
    """

    BINDINGS = [
        Binding("pageup", "page(-1)", "Previous page", show=False),
        Binding("pagedown", "page(1)", "Next page", show=False),
    ]

    def _on_click(self, event: Click) -> None:  # type: ignore[override]
        """A click read before a resize made the screen smaller, and now outside it, goes
        no further: Textual 8.2.8's handler, run after this one, would raise NoWidget and
        end the app. Any other click goes on to it (a click on the background closes)."""
        try:
            self.get_widget_at(event.screen_x, event.screen_y)
        except NoWidget:
            event.prevent_default()

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        """Textual's search (a private worker of Textual 8.2; tests/tui/test_commands.py
        checks the palette still finds commands), ending quietly when the palette's list
        has gone: the palette closed, or the app, while its search ran."""
        try:
            await CommandPalette._gather_commands.__wrapped__(self, search_value)
        except NoMatches:
            pass

    def action_page(self, direction: int) -> None:
        try:
            commands = self.query_one(CommandList)
        except NoMatches:
            return
        if commands.option_count == 0:
            return
        if commands.scrollable_content_region.height > 4:
            (commands.action_page_down if direction > 0 else commands.action_page_up)()
        else:
            (commands.action_cursor_down if direction > 0 else commands.action_cursor_up)()
