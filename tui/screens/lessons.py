"""The list of lessons (``L``, ``micrograd-tui learn``): each with its progress; enter opens
one at its first page, on a fresh graph."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from micrograd.fmt import visible
from tui.lessons.lesson import Lesson
from tui.lessons.progress import LessonProgress

#: The option that closes the open lesson and keeps the graph (shown while one is open);
#: a lesson's option is its key after ``LESSON_ID`` (a file may be called leave.toml).
LEAVE = "leave"
LESSON_ID = "lesson:"


def lesson_line(number: int, lesson: Lesson, progress: LessonProgress) -> Text:
    """``✓ 1  What a derivative is`` or ``  2  L = d * f, by hand · begun, read to page 3
    of 6``."""
    done = lesson.key in progress.finished
    text = Text()
    text.append("✓ " if done else "  ", style="bold green")
    text.append(f"{number}  ", style="bold")
    text.append(lesson.title)
    page = progress.pages.get(lesson.key)
    if page is not None and not done:
        page = min(page, len(lesson.pages) - 1)
        text.append(f" · begun, read to page {page + 1} of {len(lesson.pages)}", style="dim")
    return text


class LessonsScreen(ModalScreen[str | None]):
    """Choose a lesson: the result is ``LESSON_ID`` and its key, ``LEAVE``, or None
    (escape)."""

    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, lessons: list[Lesson], progress: LessonProgress, *, current: int = 0,
                 open_lesson: bool = False, problems: list[str] | None = None) -> None:
        """``open_lesson``: a lesson is open (an option to leave it is offered);
        ``problems``: lesson files that could not be read, one line each."""
        super().__init__()
        self.lessons = lessons
        self.progress = progress
        self.current = current
        self.open_lesson = open_lesson
        self.problems = problems or []

    def compose(self) -> ComposeResult:
        options = [Option(lesson_line(k, lesson, self.progress), id=LESSON_ID + lesson.key)
                   for k, lesson in enumerate(self.lessons, start=1)]
        if self.open_lesson:
            options.append(Option(Text("  ✗  leave the lesson (keep the graph)", style="dim"),
                                  id=LEAVE))
        with Vertical(id="lessons-dialog") as box:
            box.border_title = "Lessons: the video's path"
            box.border_subtitle = "enter opens · escape closes"
            yield OptionList(*options, id="lessons-list")
            yield Static(id="lessons-summary")
            if self.problems:
                yield Static(Text(visible("\n".join(self.problems))), id="lessons-problems")

    def on_mount(self) -> None:
        try:
            listing = self.query_one(OptionList)
        except NoMatches:  # mounted as the app closed: its widgets are already gone
            return
        if self.lessons:
            listing.highlighted = min(self.current, len(self.lessons) - 1)
        listing.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        summary = self.query_one("#lessons-summary", Static)
        index = event.option_index
        if index < len(self.lessons):
            lesson = self.lessons[index]
            summary.update(Text(lesson.summary or lesson.title))
        else:
            summary.update(Text("Close the lesson panel; the graph stays as it is."))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """``lesson:KEY`` for a lesson, or LEAVE."""
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
