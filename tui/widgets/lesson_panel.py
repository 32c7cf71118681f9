"""The lesson panel: the open lesson's page beside the explorer (or the training screen),
and on its last line what the page waits for.

It shows what the ``Tour`` says and nothing else; the app calls ``show`` whenever the tour
moves. Lesson text is shown as written (no markup, control characters refused by the
loader).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui.lessons.goals import page_keys
from tui.lessons.tour import Tour


def status_line(tour: Tour) -> Text:
    """The page's last line: what it waits for, or how to go on."""
    page = tour.page
    if tour.waiting and page.goal is not None:
        text = Text("▶ waiting for: ", style="bold")
        text.append(page.goal.describe(page_keys(page.goal, page.text) or None))
        text.append("  (n skips)", style="dim")
        return text
    if tour.on_last_page:
        more = ("n: next lesson · L: the list" if tour.has_next_lesson
                else "that was the last lesson · L: the list")
        return Text.assemble(("✓ lesson done", "bold green"), f" · {more}")
    if page.goal is not None:  # met: reached before the page opened, or just now
        return Text.assemble(("✓ done", "bold green"), " · ", ("n", "bold"), ": next page")
    return Text.assemble(("n", "bold"), ": next page · ", ("p", "bold"), ": back")


class LessonPanel(Vertical):
    """The page's text (scrolls if a terminal is too short for it) over its status line."""

    DEFAULT_CLASSES = "lesson-panel"

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="lesson-scroll", can_focus=False):
            yield Static(classes="lesson-text")
        yield Static(classes="lesson-status")

    def on_mount(self) -> None:
        """A panel made after the lesson opened (the training screen's) shows it at once."""
        guide = getattr(self.app, "guide", None)  # the App's LessonGuide (tui.lesson_guide)
        self.show(guide.current_tour() if guide is not None else None)

    def __init__(self, *, training: bool = False, id: str | None = None) -> None:
        """``training``: the training screen's panel, which shows only a lesson about
        training (an explorer lesson's page would speak of a graph not on that screen)."""
        super().__init__(id=id)
        self.training = training

    def show(self, tour: Tour | None) -> None:
        """Show ``tour``'s page, or hide the panel when no lesson is open. Its screen gets
        the class ``-lesson`` meanwhile, for the styles that make room for it."""
        if tour is not None and self.training and tour.lesson.training is None:
            tour = None
        self.display = tour is not None
        self.screen.set_class(tour is not None, "-lesson")
        if tour is None:
            return
        lesson = tour.lesson
        # Text, not a string: a string title is read as markup, and a lesson's title is
        # the teacher's text (a '[' in it would be taken for a style).
        self.border_title = Text(f"Lesson {tour.index + 1} · {lesson.title}")
        self.border_subtitle = f"page {tour.page_index + 1} of {len(lesson.pages)}"
        self.query_one(".lesson-text", Static).update(Text(tour.page.text))
        self.query_one(".lesson-status", Static).update(status_line(tour))
        self.query_one(".lesson-scroll", VerticalScroll).scroll_home(animate=False)
