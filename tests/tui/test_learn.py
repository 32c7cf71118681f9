"""The lessons in the app, walked as a learner would: every page of every lesson, with the
keys its text asks for, at 80x24 (where each page must fit), to the end of the last one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.text import Text

from micrograd.fmt import fmt_number
from tui.app import ExplorerApp
from tui.lessons.goals import LESSON_H, Goal
from tui.lessons.lesson import Lesson, bundled_lessons
from tui.lessons.progress import LessonProgress
from tui.lessons.tour import Tour
from tui.screens.details import DetailsScreen
from tui.screens.gradcheck import GradCheckScreen
from tui.screens.lessons import LessonsScreen
from tui.screens.quiz import QuizScreen
from tui.screens.train import TrainScreen
from tui.widgets.lesson_panel import LessonPanel
from tui.widgets.step_log import StepLog


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Progress goes to a folder of the test's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "micrograd-tui"


def learn_app(lesson: int | None = 0) -> ExplorerApp:
    lessons = bundled_lessons()
    tour = Tour(lessons, LessonProgress.load())
    return ExplorerApp(lessons[0].build(), tour=tour, lesson=lesson)


def panel(app: ExplorerApp) -> LessonPanel:
    return app.screen.query_one(LessonPanel)


def mentions(text: str, *keys: str) -> bool:
    """Whether the page tells the learner to press one of ``keys`` (a word or a sign)."""
    words = set(re.findall(r"[\w+\-]+|[^\w\s]", text.replace("(", " ").replace(")", " ")))
    return any(key in words for key in keys)


async def settle(pilot) -> None:
    await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.05)


async def answer_quiz(pilot) -> None:
    """Type each grad the quiz asks for (right), as a learner who worked it out would."""
    asked = pilot.app.screen.asked
    for k, ask in enumerate(asked.asks):
        if k:
            await pilot.press("tab")
        await pilot.press(*fmt_number(ask.expected))
    await pilot.press("enter")
    await pilot.pause()


def page_turned(tour: Tour, where: tuple[int, int]) -> bool:
    return (tour.index, tour.page_index) != where or (
        tour.on_last_page and tour.lesson.key in tour.progress.finished)


#: Goals met by one key, which the page must name.
ONE_KEY = {"quiz": "t", "zero_grad": "z", "restart": "r", "sample": "enter", "view": "v"}


async def do_what_the_page_asks(pilot, tour: Tour, goal: Goal, text: str) -> None:
    """Press the keys the page's text names until its goal is met (and fail if the text
    does not name them)."""
    app: ExplorerApp = pilot.app
    where = (tour.index, tour.page_index)
    kind = goal.kind
    if kind in {"step", "forward", "backward", "grad", "answer"} or (
            kind == "end" and mentions(text, "space")):
        key = "b" if kind == "backward" and mentions(text, "b") else "space"
        assert mentions(text, key, "→"), f"{where}: the text names no key for {goal}"
        for _ in range(400):
            if page_turned(tour, where):
                break
            if isinstance(app.screen, QuizScreen):
                await answer_quiz(pilot)
            else:
                await pilot.press(key)
                key = "space"
            await pilot.pause()
        return
    if kind == "end":
        assert mentions(text, "end", "f")
        await pilot.press("end")
    elif kind == "start":
        key = "u" if mentions(text, "u") else "home"
        assert mentions(text, key, "r")
        await pilot.press(key)
    elif kind == "nudge":
        down = goal.number < 0 or (goal.number == 0 and not mentions(text, "]"))
        key = "[" if down else "]"
        assert mentions(text, key), f"{where}: nudge without naming {key}"
        await pilot.press("left_square_bracket" if down else "right_square_bracket")
    elif kind == "details":
        assert mentions(text, "enter")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)
        await pilot.press("escape")
    elif kind == "select":
        assert mentions(text, "/")
        await pilot.press("slash")
        await pilot.pause(0.2)
        await pilot.press(*goal.name)
        await pilot.pause(0.4)
        await pilot.press("enter")
    elif kind == "bug":  # B cycles off → = → wrong order → no zero_grad → off
        assert mentions(text, "B"), f"{where}: {goal} without naming B"
        for _ in range(4):
            if page_turned(tour, where):
                break
            await pilot.press("B")
            await pilot.pause()
        assert app.explorer.bug == (None if goal.name == "off" else goal.name), where
    elif kind in ONE_KEY:
        assert mentions(text, ONE_KEY[kind]), f"{where}: {goal} without naming its key"
        await pilot.press(ONE_KEY[kind])
    elif kind == "check":
        assert mentions(text, "g")
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, GradCheckScreen)
        await pilot.press("escape")
    elif kind == "collapse":
        key = "C" if mentions(text, "C") else "c"
        assert mentions(text, key)
        await pilot.press(key)
    elif kind == "train" and mentions(text, "space"):
        for _ in range(int(goal.number)):
            await pilot.press("space")
            await settle(pilot)
    elif kind in {"train", "accuracy"}:
        assert mentions(text, "a"), f"{where}: the text names no key for {goal}"
        app.screen.speed = 0  # the learner would watch; the test need not wait
        await pilot.press("a")
        for _ in range(600):
            await pilot.pause(0.1)
            if page_turned(tour, where):
                break
        if isinstance(app.screen, TrainScreen) and app.screen.playing:
            await pilot.press("a")
    await settle(pilot)


@pytest.mark.slow
async def test_every_lesson_walks_to_its_end_with_the_keys_its_text_asks_for() -> None:
    app = learn_app(0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tour = app.guide.tour
        assert tour is not None
        for k, lesson in enumerate(tour.lessons):
            assert (tour.index, tour.page_index) == (k, 0), lesson.key
            for number, page in enumerate(lesson.pages):
                await pilot.pause()
                where = f"{lesson.key} page {number + 1}"
                assert tour.page_index == number, where
                shown = panel(app)
                assert shown.display and page.text[:20] in str(
                    shown.query_one(".lesson-text").render()), where
                scroll = shown.query_one(".lesson-scroll")
                assert scroll.max_scroll_y == 0, f"{where} does not fit at 80x24"
                if page.goal is not None and not tour.page_done:
                    await do_what_the_page_asks(pilot, tour, page.goal, page.text)
                    assert page_turned(tour, (k, number)), f"{where}: {page.goal} not met"
                    if number + 1 < len(lesson.pages):
                        continue
                if number + 1 < len(lesson.pages):
                    await pilot.press("n")
            assert lesson.key in tour.progress.finished
            if not isinstance(app.screen, TrainScreen):
                await change_what_a_learner_may_change(pilot)
            await pilot.press("n")  # the next lesson
            await settle(pilot)
        assert tour.progress.finished == {lesson.key for lesson in tour.lessons}
        assert LessonProgress.load().finished == tour.progress.finished  # saved


async def change_what_a_learner_may_change(pilot) -> None:
    """What lesson 1 invites and a learner tries between lessons: a smaller h ({), another
    zoom (z), the quiz switched (t), another theme. The next lesson must still walk with
    the numbers its text quotes."""
    app: ExplorerApp = pilot.app
    await pilot.press("left_curly_bracket", "Z", "t")
    if app.explorer.zoom_by_hand is None:  # already the roomiest: out, then
        await pilot.press("z")
    app.theme = "textual-light" if app.theme != "textual-light" else "nord"
    await pilot.pause()
    assert app.explorer.nudge_step != LESSON_H


async def test_a_nudge_with_another_h_does_not_turn_a_page_that_quotes_h_001(said) -> None:
    """The issue's walk: lesson 3, h made 0.001 on its first page, then the nudge its page
    asks for. The next page quotes the change for h = 0.01, so it does not open; the app says
    why and how to set h back, and then the page's nudge turns it."""
    app = learn_app(2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tour = app.guide.tour
        await pilot.press("left_curly_bracket")
        assert app.explorer.nudge_step == 0.001
        while tour.page.goal is None or tour.page.goal.kind != "nudge":
            page = tour.page_index
            if tour.page.goal is not None and not tour.page_done:
                await do_what_the_page_asks(pilot, tour, tour.page.goal, tour.page.text)
            if tour.page_index == page:
                await pilot.press("n")
            await settle(pilot)
        nudging = tour.page_index
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert tour.page_index == nudging and not tour.page_done
        assert any("the page's numbers are for h = 0.01, not 0.001: } sets h = 0.01" in line
                   for line in said(app))
        await pilot.press("u", "right_curly_bracket", "right_square_bracket")
        await pilot.pause()
        assert tour.page_index == nudging + 1
        assert "ΔL = 0.06" in "\n".join(app.query_one(StepLog).notes)


async def test_a_lesson_opens_with_h_and_the_zoom_its_text_assumes() -> None:
    app = learn_app(0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("left_curly_bracket", "Z")
        await settle(pilot)
        assert app.explorer.nudge_step == 0.001 and app.explorer.zoom_by_hand is not None
        app.guide.open_lesson(2)
        await settle(pilot)
        assert app.explorer.nudge_step == LESSON_H and app.explorer.zoom_by_hand is None


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (140, 45)])
async def test_every_page_fits_beside_the_graph(size: tuple[int, int]) -> None:
    """Turning pages with n alone: each page's text is whole on screen, with its status."""
    lessons: list[Lesson] = bundled_lessons()
    app = learn_app(0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for k, lesson in enumerate(lessons):
            for number in range(len(lesson.pages)):
                await pilot.pause()
                shown = panel(app)
                where = f"{lesson.key} page {number + 1} at {size}"
                assert shown.query_one(".lesson-scroll").max_scroll_y == 0, where
                assert shown.query_one(".lesson-status").size.height >= 1, where
                await pilot.press("n")
                await settle(pilot)
            assert app.guide.tour.index == min(k + 1, len(lessons) - 1)


# --- the lesson screen's keys and memory ------------------------------------------------------


async def test_L_lists_the_lessons_and_enter_opens_one_and_leave_closes_it() -> None:
    app = ExplorerApp(bundled_lessons()[0].build())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n")  # no lesson open: n steps the timeline
        assert app.explorer.stepper.position == 1 and not panel(app).display
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, LessonsScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.guide.in_lesson and app.guide.tour.index == 1 and panel(app).display
        assert app.explorer.program.title == app.guide.tour.lesson.title
        assert app.explorer.stepper.position == 0 and app.explorer.quiz  # lesson 2 has the quiz on
        await pilot.press("n", "n")
        # pages, not steps
        assert app.guide.tour.page_index == 2 and app.explorer.stepper.position == 0
        await pilot.press("p")
        assert app.guide.tour.page_index == 1
        await pilot.press("L")
        await pilot.pause()
        options = app.screen.query_one("#lessons-list")
        await pilot.press(*["down"] * (options.option_count - 2), "enter")  # the last option
        await pilot.pause()
        assert not app.guide.in_lesson and not panel(app).display
        await pilot.press("n")
        assert app.explorer.stepper.position == 1  # n steps again


async def test_n_typed_into_the_quiz_is_a_letter_not_a_page() -> None:
    app = learn_app(1)  # lesson 2: the quiz on
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("b")  # to the backward pass (jumps skip the quiz)
        await pilot.press("space")
        assert isinstance(app.screen, QuizScreen)
        page = app.guide.tour.page_index
        await pilot.press("n", "p")
        assert app.screen.query_one("#quiz-answer-0").value == "np"
        assert app.guide.tour.page_index == page


async def test_progress_is_remembered_between_runs(home: Path) -> None:
    app = learn_app(1)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n")
        assert app.guide.tour.page_index == 2
    saved = LessonProgress.load()
    assert saved.pages == {app.guide.tour.lesson.key: 2} and saved.last == app.guide.tour.lesson.key
    again = learn_app(None)
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, LessonsScreen)
        listing = again.screen.query_one("#lessons-list")
        assert listing.highlighted == 1  # the lesson left unfinished
        assert "begun, read to page 3 of" in str(listing.get_option_at_index(1).prompt)
        await pilot.press("enter")
        await settle(pilot)
        # From its first page: a later page speaks of a graph already stepped.
        assert (again.guide.tour.index, again.guide.tour.page_index) == (1, 0)
        assert again.explorer.stepper.position == 0


async def test_a_corrupt_progress_file_starts_fresh(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "lessons.json").write_text('{"pages": {"01-derivative": "three"')
    app = learn_app(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#lessons-list").highlighted == 0
        await pilot.press("enter")
        await settle(pilot)
        assert app.guide.tour.page_index == 0
    assert LessonProgress.load().pages == {"01-derivative": 0}  # written anew, whole


async def test_the_training_lesson_shows_its_page_on_the_training_screen() -> None:
    lessons = bundled_lessons()
    app = learn_app(len(lessons) - 1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TrainScreen)
        shown = panel(app)
        assert shown.display and "Lesson 9" in str(shown.border_title)
        await pilot.press("n")  # the page turns on the training screen too
        assert app.guide.tour.page_index == 1
        await pilot.press("space")  # page 2 asks for a step
        await settle(pilot)
        await pilot.pause(0.3)
        assert app.guide.tour.page_index == 2
        await pilot.press("escape")  # to the explorer: the lesson stays beside it
        await pilot.pause()
        assert not isinstance(app.screen, TrainScreen) and panel(app).display
        assert app.explorer.program.title.startswith("sample 0")  # of this run, not an older graph
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TrainScreen) and app.screen.trainer.step == 1


async def test_the_ends_of_the_tour(said) -> None:
    lessons = bundled_lessons()
    app = learn_app(len(lessons) - 1)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("p")  # before the first page: nothing, a bell
        assert app.guide.tour.page_index == 0
        await pilot.press(*["n"] * len(lessons[-1].pages))
        await pilot.pause()
        assert app.guide.tour.on_last_page and app.guide.tour.index == len(lessons) - 1
        assert "that was the last lesson · L lists them all" in said(app)


# --- odd lessons and odd learners ---------------------------------------------------------------


def tour_of_files(tmp_path: Path, *texts: str, names: tuple[str, ...] = ()) -> Tour:
    from tui.lessons.lesson import load_lesson

    lessons = []
    for k, text in enumerate(texts):
        path = tmp_path / (names[k] if k < len(names) else f"0{k}-l.toml")
        path.write_text(text, encoding="utf-8")
        lessons.append(load_lesson(path))
    return Tour(lessons, LessonProgress.load())


ODD = """\
title = "[bold]x[/i] y"
summary = "[red]not red"
program = "x = 2.0\\ny = x * x\\n"
checks = ["y = 4.0"]

[[page]]
text = "[b]y[/b] is 4.0. Select x."
select = "x"
do = "select x"
"""


async def test_a_title_with_brackets_is_text_and_a_self_met_goal_does_not_loop(
        tmp_path: Path) -> None:
    """A '[' in a title is shown as typed; a page that selects the node its goal asks for
    waits for the learner (the page's own selection is not theirs)."""
    tour = tour_of_files(tmp_path, ODD)
    app = ExplorerApp(tour.lessons[0].build(), tour=tour, lesson=0)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        shown = panel(app)
        assert Text.from_markup(str(shown.border_title)).plain == "Lesson 1 · [bold]x[/i] y"
        assert "[b]y[/b] is 4.0" in str(shown.query_one(".lesson-text").render())
        assert tour.waiting  # selected by the page, not by the learner
        await pilot.press("L")
        await pilot.pause()
        assert "[bold]x[/i] y" in str(app.screen.query_one("#lessons-list")
                                      .get_option_at_index(0).prompt)


async def test_a_place_already_passed_says_done_and_waits_for_n() -> None:
    """Lesson 2: end pressed on the page that asks for the forward pass. The next page asks
    for L.grad, already there: it says so, and does not turn pages the learner has not read."""
    app = learn_app(1)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert app.guide.tour.page.goal == Goal("forward", "L")
        await pilot.press("end")
        await pilot.pause()
        assert app.guide.tour.page_index == 2 and app.guide.tour.page_done
        assert "✓ done · n: next page" in str(panel(app).query_one(".lesson-status").render())
        await pilot.press("n")
        assert app.guide.tour.page_index == 3 and app.guide.tour.page_done  # backward L: passed too


async def test_another_graph_closes_the_lesson(said) -> None:
    app = learn_app(0)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert app.guide.in_lesson
        from micrograd.presets import classic_neuron

        app.explorer.load_program(classic_neuron())  # as the editor, the builder or the palette do
        await pilot.pause()
        assert not app.guide.in_lesson and not panel(app).display
        assert "lesson closed: this graph is not the lesson's · L opens it again" in said(app)


async def test_a_lesson_file_called_leave_is_a_lesson(tmp_path: Path) -> None:
    tour = tour_of_files(tmp_path, ODD.replace('do = "select x"', ""), names=("leave.toml",))
    app = ExplorerApp(tour.lessons[0].build(), tour=tour, lesson=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.guide.in_lesson and app.guide.tour.lesson.key == "leave"


async def test_an_explorer_lessons_page_stays_off_the_training_screen() -> None:
    app = learn_app(1)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, TrainScreen) and app.guide.in_lesson
        assert not panel(app).display  # lesson 2 speaks of its graph, not of training
        await pilot.press("escape")
        await pilot.pause()
        assert panel(app).display and app.guide.tour.index == 1


# --- the quiz in a lesson, at 80x24 ------------------------------------------------------------


def visible_log(app: ExplorerApp) -> list[str]:
    """The step log's rows as on screen (the scrolled part only)."""
    log = app.query_one(StepLog)
    return ["".join(segment.text for segment in log.render_line(y)).rstrip()
            for y in range(log.scrollable_content_region.height)]


async def test_a_wrong_answer_shows_its_mark_and_the_whole_step_at_80x24() -> None:
    """Lesson 2 at 80x24: f.grad answered wrong. The marks and every row of the step that
    works it out are on screen at once (the issue: the working was below the log)."""
    app = learn_app(1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b", "space")
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("-", "2", "tab", "2", "enter")
        await settle(pilot)
        log = app.query_one(StepLog)
        assert log.notes == ["quiz 1/2: d.grad = -2.0 ✓ · f.grad = 4.0 ✗ (you: 2.0)"]
        shown = visible_log(app)
        tail = [text.rstrip() for text, _ in log._tail]
        assert any(row.startswith("quiz 1/2") for row in shown), shown
        assert all(row in shown for row in tail), (tail, shown)
        assert any("f.grad += " in row for row in shown)


async def test_tab_in_a_one_answer_quiz_keeps_the_answer_and_enter_checks() -> None:
    """Lesson 2's seed asks one grad: tab stays in it (typing still lands), enter checks;
    with two answers tab and shift+tab go round them."""
    app = learn_app(1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(app.explorer.stepper.forward_steps):
            await pilot.press("space")
        await pilot.press("space")
        assert isinstance(app.screen, QuizScreen)
        assert len(app.screen.asked.asks) == 1
        await pilot.press("tab", "1", "tab", "shift+tab")
        assert app.focused.id == "quiz-answer-0" and app.focused.value == "1"
        position = app.explorer.stepper.position
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, QuizScreen)
        assert app.explorer.stepper.position == position + 1
        await pilot.press("space")
        assert isinstance(app.screen, QuizScreen) and len(app.screen.asked.asks) == 2
        await pilot.press("tab", "tab")
        assert app.focused.id == "quiz-answer-0"
        await pilot.press("shift+tab")
        assert app.focused.id == "quiz-answer-1"
        app.screen.set_focus(None)  # wherever the focus went, enter checks
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "quiz-answer-0"
        assert "now d.grad" in str(app.screen.query_one("#quiz-error").render())
