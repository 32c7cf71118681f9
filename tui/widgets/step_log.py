"""The step log: every step so far with its arithmetic, the newest (the current one) at the
bottom, whole.

Older steps take one row per line, cut at the panel's width; the current step and any note
above it (a nudge's result, a quiz's marks) are wrapped so they can be read in full. It is a
Line API widget: rows are made only when they are on screen, and how many rows each older
step takes is known without formatting it (one per operand), so a timeline of 200,000
steps costs no more to show than one of ten.

Up and down choose an older step; enter moves the timeline there.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from micrograd.stepper import ForwardStep, Step, Stepper
from tui.keys import STEP_LOG, TIMELINE_IN_PANELS
from tui.messages import SeekRequested
from tui.present import position_text, start_hint, wrap_formula


def rows_of(record: Step) -> int:
    """How many lines a step has: one for a forward step or the seed, one per operand."""
    if isinstance(record, ForwardStep) or record.seed:
        return 1
    return len(record.terms)


class StepLog(ScrollView, can_focus=True):
    """The timeline so far as text; the border title says where we are."""

    BINDINGS = [*STEP_LOG, *TIMELINE_IN_PANELS]

    COMPONENT_CLASSES = {
        "step-log--gutter",
        "step-log--forward",
        "step-log--backward",
        "step-log--current",
        "step-log--cursor",
        "step-log--note",
        "step-log--hint",
    }

    DEFAULT_CSS = """
    /* The scrollbar's column is kept even before the log is long enough to need it: the
       current step is wrapped to the width, and a scrollbar appearing afterwards would
       cover its last column. */
    StepLog {
        height: 1fr; padding: 0 0 0 1; scrollbar-size-vertical: 1; overflow-x: hidden;
        scrollbar-gutter: stable;
    }
    StepLog > .step-log--gutter { color: $text-muted; }
    StepLog > .step-log--forward { color: $text-muted; }
    StepLog > .step-log--backward { color: $text-muted; }
    StepLog > .step-log--current { text-style: bold; }
    StepLog > .step-log--cursor { background: $primary 45%; }
    StepLog > .step-log--note { color: $this-step; text-style: bold; }
    StepLog > .step-log--hint { color: $text; }
    """

    def __init__(self, stepper: Stepper, **kwargs) -> None:
        super().__init__(**kwargs)
        self.notes: list[str] = []  # lines under the current step, e.g. the last nudge
        #: The step the cursor is on (an index into the history), or None: follow the newest.
        self.cursor: int | None = None
        self.set_stepper(stepper)

    # --- the model --------------------------------------------------------------------------

    def set_stepper(self, stepper: Stepper) -> None:
        """A new timeline: any note about the old one goes."""
        self.stepper = stepper
        #: starts[k] is the first row of history[k]; one more entry past the last step.
        self._starts: list[int] = [0]
        self.notes = []
        self.cursor = None
        self.show()

    def show(self, notes: list[str] | None = None) -> None:
        """Catch up with the Stepper (and set new ``notes``), then bring the current step
        into view."""
        if notes is not None:
            self.notes = notes
        self.cursor = None
        self._sync()
        self._update_titles()
        self.refresh()
        self._follow()
        # The new virtual size counts only after a refresh: follow again then.
        self.call_after_refresh(self._follow)

    def _sync(self) -> None:
        """Make ``_starts`` match the history, which only ever changes at its end."""
        history = self.stepper.history
        starts = self._starts
        if len(starts) > len(history) + 1:
            del starts[len(history) + 1:]
        elif len(starts) < len(history) + 1:  # new steps: one running sum over them
            sums = accumulate(map(rows_of, history[len(starts) - 1:]), initial=starts[-1])
            next(sums)  # the initial value, which is starts[-1] already
            starts.extend(sums)
        self._tail = self._wrap_tail(self._text_width())
        self.virtual_size = Size(self._text_width(), self._older_rows() + len(self._tail))

    def _older_rows(self) -> int:
        """Rows taken by every step before the current one (as of the last ``_sync``)."""
        synced = len(self._starts) - 1
        return self._starts[synced - 1] if synced else 0

    def _in_sync(self) -> bool:
        """Whether the log has caught up with the timeline. A long move (``end`` on a big
        graph) steps between screen updates; until it is done the log shows no steps."""
        return len(self.stepper.history) == len(self._starts) - 1

    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width)

    def _gutter(self) -> int:
        return len(str(len(self.stepper))) + 1

    def _wrap_tail(self, width: int) -> list[tuple[str, str]]:
        """The notes (a quiz's marks, a nudge's result: what the learner just did, so they
        come first) and the current step or the start hint, wrapped: (text, style name).

        When the whole step does not fit the panel, its compact form (without the ``de/da``
        notation) is used instead."""
        stepper = self.stepper
        rows: list[tuple[str, str]] = []
        for note in self.notes:
            rows.extend((row, "note") for row in wrap_formula(note, width))
        if stepper.current is None:
            for line in start_hint(stepper):
                rows.extend((row, "hint") for row in wrap_formula(line, width))
            return rows
        step = self._wrap_step(stepper.current.lines, width)
        height = self.scrollable_content_region.height
        if len(rows) + len(step) > height:
            step = min(step, self._wrap_step(stepper.current.compact_lines, width), key=len)
        return rows + step

    def _wrap_step(self, lines: tuple[str, ...], width: int) -> list[tuple[str, str]]:
        gutter = self._gutter()
        number = f"{self.stepper.position:>{gutter - 1}} "
        rows = []
        for k, line in enumerate(lines):
            for j, row in enumerate(wrap_formula(line, width - gutter)):
                prefix = number if k == 0 and j == 0 else " " * gutter
                rows.append((prefix + row, "current"))
        return rows

    def _update_titles(self) -> None:
        stepper = self.stepper
        self.border_title = position_text(stepper)
        self.border_subtitle = "done · home starts over" if stepper.at_end else ""

    # --- painting -------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._sync()
        self._follow()

    def _style(self, *names: str) -> Style:
        style = self.rich_style
        for name in names:
            style = style + self.get_component_rich_style(f"step-log--{name}")
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if not self._in_sync():
            text = "moving along the timeline…" if y == 0 else ""
            return Strip([Segment(text[:width], self._style("hint"))]).extend_cell_length(
                width, self.rich_style)
        row = y + int(self.scroll_offset.y)
        older = self._older_rows()
        if row < older:
            index = bisect_right(self._starts, row) - 1
            record = self.stepper.history[index]
            line = record.lines[row - self._starts[index]]
            gutter = self._gutter()
            number = f"{index + 1:>{gutter - 1}} " if row == self._starts[index] else " " * gutter
            text = line if len(line) <= width - gutter else line[: width - gutter - 1] + "…"
            extra = ("cursor",) if index == self.cursor else ()
            segments = [
                Segment(number, self._style("gutter", *extra)),
                Segment(text, self._style(record.phase, *extra)),
            ]
            return Strip(segments).extend_cell_length(width, self._style(*extra))
        tail = row - older
        if tail >= len(self._tail):
            return Strip.blank(width, self.rich_style)
        text, style = self._tail[tail]
        extra = ("cursor",) if self.cursor == len(self.stepper.history) - 1 else ()
        return Strip([Segment(text[:width], self._style(style, *extra))]).extend_cell_length(
            width, self._style(*extra)
        )

    # --- scrolling and the cursor -------------------------------------------------------------

    def _follow(self) -> None:
        """Show the whole current step if it fits, else its beginning."""
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        older = self._older_rows()
        bottom = older + len(self._tail) - height
        # Forced: until the next layout the log may not know it has a scrollbar yet (the
        # quiz's step grew it while the quiz covered it), and an unforced scroll was lost.
        self.scroll_to(y=max(0, min(older, bottom)), animate=False, force=True)

    def _scroll_to_cursor(self) -> None:
        if self.cursor is None:
            return
        height = self.scrollable_content_region.height
        top = self._starts[self.cursor]
        end = self._starts[self.cursor + 1] if self.cursor + 1 < len(self.stepper.history) \
            else self._older_rows() + len(self._tail)
        current = int(self.scroll_offset.y)
        if top < current:
            self.scroll_to(y=top, animate=False)
        elif end > current + height:
            self.scroll_to(y=max(top, end - height), animate=False)

    def action_cursor(self, delta: int) -> None:
        """Move the cursor ``delta`` steps; from none, up starts at the newest step."""
        count = len(self.stepper.history)
        if not count or not self._in_sync():
            return
        start = count if self.cursor is None else self.cursor
        self.cursor = max(0, min(count - 1, start + delta))
        self.border_subtitle = f"enter goes to step {self.cursor + 1}"
        self.refresh()
        self._scroll_to_cursor()

    def action_seek(self) -> None:
        """Move the timeline to the step under the cursor (it becomes the current step)."""
        if self.cursor is not None:
            self.post_message(SeekRequested(self.cursor + 1))

    def on_click(self, event) -> None:
        """A click on an older step puts the cursor on it; a second click seeks there."""
        row = event.y + int(self.scroll_offset.y)
        if row >= self._older_rows() or not self.stepper.history or not self._in_sync():
            return
        index = bisect_right(self._starts, row) - 1
        if self.cursor == index:
            self.action_seek()
        else:
            self.cursor = index
            self.border_subtitle = f"enter goes to step {index + 1}"
            self.refresh()

    # --- for tests and the quiz -------------------------------------------------------------

    def plain_text(self) -> str:
        """Everything in the log as plain lines, none of them cut or wrapped: the position,
        every step before the current one, the notes, then the current step (or the hint)."""
        stepper = self.stepper
        lines = [line for record in stepper.history[:-1] for line in record.lines]
        current = stepper.current.lines if stepper.current else start_hint(stepper)
        return "\n".join([position_text(stepper), *lines, *self.notes, *current])
