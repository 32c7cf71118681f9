"""The lessons in the app: the open lesson and page, across the explorer and the training
screen.

A lesson spans both modes (lesson 9 trains, then steps a sample's graph), so the App owns
this guide rather than either screen. What the learner does arrives as one message,
``LessonEvent``, from either screen; ``saw`` is its one handler. The lessons' own rules (what a
page asks for, when it is met, the progress file) are plain Python in ``tui/lessons/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from micrograd.expr import ExprError
from micrograd.stepper import Stepper
from micrograd.train import Trainer
from tui.lessons.goals import Event
from tui.lessons.lesson import readable_lessons
from tui.lessons.progress import LessonProgress
from tui.lessons.tour import Tour
from tui.widgets.lesson_panel import LessonPanel

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.screens.explorer import ExplorerScreen
    from tui.screens.train import TrainScreen


class LessonHost(Protocol):
    """What the guide needs of the App (``tui.app.ExplorerApp``): its two screens, the mode
    on show, boxes and toasts."""

    explorer: ExplorerScreen
    training: TrainScreen | None
    current_mode: str

    def show_training(self, trainer: Trainer | None) -> None: ...
    def switch_mode(self, mode: str) -> object: ...
    def push_screen(self, screen: Screen, callback: object = None) -> object: ...
    def notify(self, message: str, **kwargs: object) -> None: ...
    def bell(self) -> None: ...


class LessonGuide:
    """The tour (the lessons and the saved progress) and whether a lesson is open."""

    def __init__(self, app: LessonHost, tour: Tour | None = None) -> None:
        self.app = app
        #: The lessons, loaded when first asked for unless given (``micrograd-tui learn``).
        self.tour = tour
        self.in_lesson = False
        #: The bundled lessons that could not be read (the list screen names them).
        self.problems: list[str] = []

    def load_tour(self) -> Tour | None:
        """The bundled lessons and the saved progress, read once; None (said) if no lesson
        can be read."""
        if self.tour is None:
            lessons, self.problems = readable_lessons()
            if not lessons:
                self.app.notify("no lesson could be read: " + "; ".join(self.problems[:2]),
                                severity="error", markup=False)
                return None
            self.tour = Tour(lessons, LessonProgress.load())
        return self.tour

    def show_list(self) -> None:
        """The list of lessons; enter opens one where the learner left it."""
        from tui.screens.lessons import LessonsScreen

        tour = self.load_tour()
        if tour is None:
            return
        current = tour.index if self.in_lesson else tour.first_unfinished()
        self.app.push_screen(
            LessonsScreen(tour.lessons, tour.progress, current=current,
                          open_lesson=self.in_lesson, problems=self.problems),
            self._chosen,
        )

    def _chosen(self, chosen: str | None) -> None:
        from tui.screens.lessons import LEAVE, LESSON_ID

        if chosen is None or self.tour is None:
            return
        if chosen == LEAVE:
            self.leave_lesson()
            return
        keys = [lesson.key for lesson in self.tour.lessons]
        self.open_lesson(keys.index(chosen.removeprefix(LESSON_ID)))

    def open_lesson(self, index: int, page: int = 0) -> None:
        """Open lesson ``index`` (from 0) at ``page``, on a fresh copy of its graph in the
        explorer, or a new run on the training screen (and that run's first sample in the
        explorer), with the page beside them."""
        tour = self.load_tour()
        if tour is None:
            return
        app = self.app
        explorer = app.explorer
        tour.open(index, page)
        lesson = tour.lesson
        self.in_lesson = True
        explorer.ready_for_lesson()
        app.switch_mode("explore")  # a training lesson starts a run of its own
        if lesson.has_graph:
            try:
                program = lesson.build()
            except (ExprError, ValueError, ArithmeticError) as error:
                explorer.say(f"{lesson.path.name}: {error}", severity="error")
                return
            explorer.load_program(program, keep_lesson=True)
        if lesson.training is not None:
            trainer = Trainer(lesson.train_config())
            if not lesson.has_graph:  # escape shows a sample of this run, not an old graph
                explorer.load_program(trainer.sample_program(0), keep_lesson=True)
            app.show_training(trainer)
        explorer.quiz = lesson.quiz
        self.page_opened()

    def turn(self, delta: int) -> None:
        """n / p in a lesson: the next or previous page; n on the last page, the next
        lesson."""
        tour = self.tour
        if tour is None or not self.in_lesson:
            return
        if delta > 0 and tour.on_last_page:
            if tour.has_next_lesson:
                self.open_lesson(tour.index + 1)
            else:
                self.app.explorer.say("that was the last lesson · L lists them all", timeout=4)
            return
        if not tour.turn(delta):
            self.app.bell()
            return
        self.page_opened()

    def leave_lesson(self) -> None:
        """Close the lesson panel; the graph and the timeline stay as they are."""
        self.in_lesson = False
        self.show_panels()

    def saw(self, event: Event, stepper: Stepper | None) -> None:
        """The learner did something: if it is what the page asked for, the page turns.
        ``stepper``: the explorer's timeline (None on the training screen)."""
        if not self.in_lesson or self.tour is None:
            return
        if self.tour.observe(event, stepper):
            self.page_opened()

    def page_opened(self) -> None:
        """A page is open: the explorer shows what it names, and the panels the page; say if
        progress could not be saved."""
        tour = self.tour
        if tour is None:
            return
        app = self.app
        on_the_explorer = app.current_mode == "explore"
        if on_the_explorer:
            app.explorer.show_page(tour.page)
        tour.already_done(app.explorer.stepper if on_the_explorer else None)
        self.show_panels()
        if tour.save_error:
            app.notify(tour.save_error, severity="warning", timeout=6, markup=False)
            tour.save_error = ""

    def current_tour(self) -> Tour | None:
        """The tour while a lesson is open (what the lesson panels show), else None."""
        return self.tour if self.in_lesson else None

    def show_panels(self) -> None:
        """Every lesson panel (the explorer's, the training screen's) shows the page."""
        tour = self.current_tour()
        for screen in (self.app.explorer, self.app.training):
            if screen is not None:
                for panel in screen.query(LessonPanel):
                    panel.show(tour)
                # The page keys (n, p) come and go with the lesson: each screen's footer is
                # told. (The App's own refresh_bindings does nothing until the App has mounted,
                # and a lesson given on the command line opens while it mounts.)
                screen.refresh_bindings()
