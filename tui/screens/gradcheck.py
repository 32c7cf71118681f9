"""The gradient check: every leaf's gradient from backward() beside central differences.

It runs ``micrograd.check.check_gradients`` on a copy of the graph (the check nudges data
and runs its own backward; the live graph is the Stepper's, so it is never touched), in a
thread worker, a batch of leaves at a time: rows appear as they are checked, a big graph
shows its progress, and escape stops it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, ProgressBar, Static
from textual.worker import get_current_worker

from micrograd.bugs import Bug
from micrograd.check import GradCheck, GradRow, check_gradients
from micrograd.expr import Program
from micrograd.fmt import fmt_error, fmt_number, fmt_sci, visible
from micrograd.formulas import node_names
from micrograd.graph import leaf_roles
from micrograd.snapshot import GraphSnapshot
from micrograd.value import CONSTANT, Value

#: Two gradients agree when their relative error is at most this (``GradCheck.ok``'s default).
TOLERANCE = 1e-4
#: The central-difference step.
H = 1e-6
#: Leaves checked per call of ``check_gradients``: each call runs one backward() first, so a
#: batch keeps that cost small, and the table still fills in steps on a big graph.
BATCH = 32

#: Lines of the dialog that are not the table (border, notes, summary, detail): the table
#: gets the rest of the screen and scrolls, so the summary always stays in view.
RESERVED_LINES = 14

COLUMNS = ("leaf", "kind", "analytic", "numerical", "abs error", "rel error", "ok")
#: Added when some leaf could not be checked: what went wrong there.
NOTE = "note"


@dataclass(frozen=True)
class CheckedLeaf:
    """A row of the check, with the name the learner sees for its leaf in the live graph."""

    name: str
    position: int  # in topological order: the order of the graph
    row: GradRow

    @property
    def ok(self) -> bool:
        return self.row.ok(TOLERANCE)


def _number(x: float) -> str:
    """Eight significant digits: enough to see the two agree, short enough for 80 columns;
    a dash where there is no number (the graph could not be evaluated)."""
    return "—" if math.isnan(x) else fmt_number(x, 8)


def _verdict(leaf: CheckedLeaf) -> Text:
    if leaf.row.error is not None:
        return Text("✗ error", style="bold red")
    if leaf.ok:
        return Text("✓", style="green")
    return Text("✗ differs", style="bold red")


def summary(leaves: list[CheckedLeaf]) -> str:
    """One line on the whole check: the worst error, and whether every gradient agrees."""
    if not leaves:
        return "no leaves checked"
    result = GradCheck([leaf.row for leaf in leaves], H)
    worst_row = result.worst
    worst = next(leaf for leaf in leaves if leaf.row is worst_row)
    n = len(leaves)
    failed = [leaf for leaf in leaves if leaf.row.error is not None]
    differ = [leaf for leaf in leaves if leaf.row.error is None and not leaf.ok]
    if not failed and not differ:
        every = "the gradient agrees" if n == 1 else f"all {n} gradients agree"
        return (
            f"✓ worst relative error {worst.row.rel_error:.1e} at {worst.name} — "
            f"{every} (tolerance {fmt_sci(TOLERANCE)})"
        )
    parts = []
    if differ:
        worst_differ = max(differ, key=lambda leaf: leaf.row.rel_error)
        parts.append(
            f"✗ {len(differ)} of {n} gradients disagree (tolerance {fmt_sci(TOLERANCE)}); worst "
            f"relative error {fmt_error(worst_differ.row.rel_error)} at {worst_differ.name}"
        )
    if failed:
        names = ", ".join(leaf.name for leaf in failed[:3]) + (", …" if len(failed) > 3 else "")
        parts.append(
            f"✗ {len(failed)} of {n} could not be checked: the graph fails at x ± s ({names})"
        )
    return " · ".join(parts)


def detail(leaf: CheckedLeaf) -> str:
    """The highlighted row in words."""
    row = leaf.row
    if row.error is not None:
        return (
            f"{leaf.name}: backward() says {_number(row.analytic)}, but the graph cannot be "
            f"evaluated at {leaf.name} ± {fmt_sci(row.step)}: {row.error}"
        )
    text = (
        f"{leaf.name}: backward() {row.analytic!r}, central differences {row.numerical!r} "
        f"(step {fmt_sci(row.step)}): {'agree' if leaf.ok else 'DISAGREE'} "
        f"(relative error {fmt_error(row.rel_error)})"
    )
    if not leaf.ok:
        text += "; honest at a kink (relu at 0), else a wrong rule"
    return text


class GradCheckScreen(ModalScreen[None]):
    """Checks every variable leaf's gradient against central differences, on a copy."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("o", "toggle_order", "Worst first / graph order"),
    ]

    class Progress(Message):
        """A batch of leaves is checked: ``done`` of ``total``."""

        def __init__(self, leaves: list[CheckedLeaf], done: int, total: int) -> None:
            super().__init__()
            self.leaves = leaves
            self.done = done
            self.total = total

    class Failed(Message):
        """The check itself could not run (not one leaf: the whole graph)."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, program: Program, bug: Bug | None = None) -> None:
        super().__init__()
        self.program = program
        #: The bug switched on in the explorer (B): its backward is the one checked.
        self.bug = bug
        #: The data on screen when the check was asked for: the point it is made at.
        self.snapshot = GraphSnapshot.take(program.output)
        self.leaf_positions = [
            i for i, node in enumerate(self.snapshot.order)
            if not node._prev and node.kind != CONSTANT
        ]
        order = self.snapshot.order
        every_name = node_names(order)
        self.names = {i: visible(every_name[order[i]]) for i in self.leaf_positions}
        #: A leaf's kind as a learner sees it: the video's w1, w2, b are a neuron's
        #: parameters, though built as inputs.
        roles = leaf_roles(program.output)
        self.roles = {i: roles.get(order[i], order[i].kind) for i in self.leaf_positions}
        self.leaves: list[CheckedLeaf] = []
        self._by_position: dict[int, CheckedLeaf] = {}
        self.worst_first = False
        self.done = False

    def compose(self) -> ComposeResult:
        with Vertical(id="check-box"):
            which = "backward()"
            if self.bug is not None:
                which = f"backward() with the bug on ({self.bug.name})"
            yield Static(
                f"{which} against central differences (f(x+s) − f(x−s)) / 2s, with the step "
                f"s = {fmt_sci(H)} × max(1, |x|) scaled to each leaf, on a copy of the graph at its"
                " current values",
                id="check-about", markup=False,
            )
            table: DataTable[str | Text] = DataTable(
                id="check-table", cursor_type="row", zebra_stripes=True
            )
            yield table
            yield ProgressBar(id="check-progress", show_eta=False)
            yield Static("", id="check-summary", markup=False)
            yield Static("", id="check-detail", markup=False)

    def on_mount(self) -> None:
        box = self.query_one("#check-box")
        box.border_title = Content(f"Gradient check · {self.program.title}")
        box.border_subtitle = "↑/↓ row · o worst first / graph order · esc close"
        table = self.query_one(DataTable)
        for label in COLUMNS:
            table.add_column(label, key=label)
        total = len(self.leaf_positions)
        if total == 0:
            table.display = False
            self.query_one(ProgressBar).display = False
            self.done = True
            self._summary(
                "This graph has no variable leaves (only constants), so there is no gradient "
                "to check. Give it an input, e.g. x = 2.0.",
                "",
            )
            return
        self.query_one(ProgressBar).update(total=total, progress=0)
        self._summary(f"checking {total:,} {'leaf' if total == 1 else 'leaves'}…", "")
        table.focus()
        self._check()

    def on_resize(self) -> None:
        table = self.query_one(DataTable)
        table.styles.max_height = max(4, self.size.height - RESERVED_LINES)

    @work(thread=True, exclusive=True, group="gradcheck", exit_on_error=False)
    def _check(self) -> None:
        """Build a copy and check it a batch at a time (a thread: it can take seconds)."""
        worker = get_current_worker()
        try:
            copies = self.snapshot.build_nodes(keep_names=True)
            root: Value = copies[-1]
            total = len(self.leaf_positions)
            for start in range(0, total, BATCH):
                if worker.is_cancelled:
                    return
                batch = self.leaf_positions[start : start + BATCH]
                result = check_gradients(root, [copies[i] for i in batch], h=H,
                                         **({"backward": self.bug.backward} if self.bug else {}))
                rows = [
                    CheckedLeaf(self.names[i], i, row)
                    for i, row in zip(batch, result.rows, strict=True)
                ]
                self.post_message(self.Progress(rows, start + len(batch), total))
        except Exception as error:  # shown on screen: the app stays up
            self.post_message(self.Failed(f"{type(error).__name__}: {error}"))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.leaves.extend(message.leaves)
        self._by_position.update((leaf.position, leaf) for leaf in message.leaves)
        self.query_one(ProgressBar).update(progress=message.done)
        if message.done < message.total:
            self._add_rows(message.leaves)
            self._summary(f"checked {message.done:,} of {message.total:,} leaves…", "")
            return
        self.done = True
        self.query_one(ProgressBar).display = False
        self._fill_table()
        good = all(leaf.ok for leaf in self.leaves)
        self._summary(summary(self.leaves), "ok" if good else "bad")
        self._show_worst()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.done = True
        self.query_one(ProgressBar).display = False
        self._summary(f"✗ the check could not run: {message.error}", "bad")

    # --- the table ------------------------------------------------------------------------

    def _worst(self) -> CheckedLeaf | None:
        worst_row = GradCheck([leaf.row for leaf in self.leaves], H).worst
        return next((leaf for leaf in self.leaves if leaf.row is worst_row), None)

    def _cells(self, leaf: CheckedLeaf, worst: bool) -> list[str | Text]:
        row = leaf.row
        rel = Text(fmt_error(row.rel_error))
        if worst:
            rel.stylize("bold " + ("yellow" if leaf.ok else "red"))
        cells: list[str | Text] = [
            Text(leaf.name, style="bold" if worst else ""),
            self.roles.get(leaf.position, leaf.row.leaf.kind),
            _number(row.analytic),
            _number(row.numerical),
            fmt_error(row.abs_error),
            rel,
            _verdict(leaf),
        ]
        if self._with_notes:
            cells.append(str(row.error) if row.error is not None else "")
        return cells

    def _add_rows(self, leaves: list[CheckedLeaf]) -> None:
        table = self.query_one(DataTable)
        for leaf in leaves:
            table.add_row(*self._cells(leaf, False), key=str(leaf.position))

    def _ordered(self) -> list[CheckedLeaf]:
        if not self.worst_first:
            return sorted(self.leaves, key=lambda leaf: leaf.position)
        return sorted(
            self.leaves,
            key=lambda leaf: (
                -(math.inf if math.isnan(leaf.row.rel_error) else leaf.row.rel_error),
                leaf.position,
            ),
        )

    @property
    def _with_notes(self) -> bool:
        return any(leaf.row.error is not None for leaf in self.leaves) and self.done

    def _fill_table(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for label in COLUMNS + ((NOTE,) if self._with_notes else ()):
            table.add_column(label, key=label)
        worst = self._worst()
        for leaf in self._ordered():
            table.add_row(*self._cells(leaf, leaf is worst), key=str(leaf.position))

    def _show_worst(self) -> None:
        worst = self._worst()
        if worst is None:
            return
        table = self.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(str(worst.position)))
        self._detail(worst)

    def _detail(self, leaf: CheckedLeaf) -> None:
        self.query_one("#check-detail", Static).update(detail(leaf))

    @on(DataTable.RowHighlighted, "#check-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.done or event.row_key.value is None:
            return
        position = int(event.row_key.value)
        leaf = self._by_position.get(position)
        if leaf is not None:
            self._detail(leaf)

    def _summary(self, text: str, kind: str) -> None:
        line = self.query_one("#check-summary", Static)
        line.update(text)
        line.set_class(kind == "ok", "-ok")
        line.set_class(kind == "bad", "-bad")

    def action_toggle_order(self) -> None:
        if not self.done or not self.leaves:
            return
        self.worst_first = not self.worst_first
        self._fill_table()
        self._show_worst()
        order = "worst first" if self.worst_first else "graph order"
        self.notify(f"rows in {order}", timeout=1.5)

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.workers.cancel_group(self, "gradcheck")
        self.dismiss(result)
