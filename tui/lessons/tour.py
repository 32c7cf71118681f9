"""The guided tour: which lesson is open, which page, and when a page is done.

Plain Python, no Textual: the app reports what the learner does (``Event``) and shows what
``Tour`` says; the tests walk it without a terminal.
"""

from __future__ import annotations

from micrograd.stepper import Stepper
from tui.lessons.goals import Event
from tui.lessons.lesson import Lesson, Page
from tui.lessons.progress import LessonProgress


class Tour:
    """The lessons in order, the one open, its page, and the learner's progress (saved as
    pages are reached)."""

    def __init__(self, lessons: list[Lesson], progress: LessonProgress) -> None:
        if not lessons:
            raise ValueError("a tour needs at least one lesson")
        self.lessons = lessons
        self.progress = progress
        self.index = 0
        self.page_index = 0
        #: Quiz answers given since the page opened (for an ``answer N`` goal).
        self.answered = 0
        #: Whether the page's goal has been met since it opened (it then waits no more).
        self.page_done = False
        #: Why progress could not be saved, the last time it could not ('' if it was).
        self.save_error = ""

    @property
    def lesson(self) -> Lesson:
        return self.lessons[self.index]

    @property
    def page(self) -> Page:
        return self.lesson.pages[self.page_index]

    @property
    def on_last_page(self) -> bool:
        return self.page_index == len(self.lesson.pages) - 1

    @property
    def has_next_lesson(self) -> bool:
        return self.index + 1 < len(self.lessons)

    def first_unfinished(self) -> int:
        """Where ``learn`` starts: the lesson opened last if it is unfinished, else the
        first unfinished one, else the first."""
        keys = [lesson.key for lesson in self.lessons]
        last = self.progress.last
        if last in keys and last not in self.progress.finished:
            return keys.index(last)
        for k, key in enumerate(keys):
            if key not in self.progress.finished:
                return k
        return 0

    def open(self, index: int, page: int = 0) -> None:
        """Open lesson ``index`` at ``page`` (the first, unless a test says otherwise).

        A lesson starts over when opened again: its pages describe a graph the learner has
        stepped and nudged to that point, and a fresh graph would not match a later page.
        The list says how far the learner got."""
        self.index = index
        self._go(min(max(page, 0), len(self.lesson.pages) - 1))

    def turn(self, delta: int) -> bool:
        """Turn ``delta`` pages within the lesson; False (nothing changes) past either end."""
        page = self.page_index + delta
        if not 0 <= page < len(self.lesson.pages):
            return False
        self._go(page)
        return True

    def observe(self, event: Event, stepper: Stepper | None = None) -> bool:
        """Whether ``event`` completes the page's goal; if so the next page opens (the last
        page's goal finishes the lesson). A page whose goal is met waits no more."""
        goal = self.page.goal
        if goal is None or self.page_done:
            return False
        if event.kind == "answer":
            self.answered += int(event.number)
            event = Event("answer", number=self.answered)
        if not goal.met(event, stepper):
            return False
        self._done()
        if not self.on_last_page:
            self._go(self.page_index + 1)
        return True

    def already_done(self, stepper: Stepper | None) -> bool:
        """Whether the page's goal is a place on the timeline the learner has already
        reached or passed (they pressed ``end`` a page early). The page then says so and
        waits for ``n``, rather than turning at once: the learner has not read it yet."""
        goal = self.page.goal
        if goal is None or self.page_done or goal.kind == "step" or stepper is None:
            return False
        if not goal.met(Event("moved"), stepper):
            return False
        self._done()
        return True

    @property
    def waiting(self) -> bool:
        """Whether the page waits for the learner to do something (its goal is not met)."""
        return self.page.goal is not None and not self.page_done

    def _done(self) -> None:
        self.page_done = True
        if self.on_last_page:
            self.progress.finish(self.lesson.key)
            self._save()

    def _go(self, page: int) -> None:
        self.page_index = page
        self.answered = 0
        self.page_done = False
        key = self.lesson.key
        self.progress.reached(key, max(page, 0))
        if self.on_last_page and self.page.goal is None:
            self.progress.finish(key)
        self._save()

    def _save(self) -> None:
        self.save_error = self.progress.save()
