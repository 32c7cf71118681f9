"""``micrograd-tui learn``: the lessons, in the app or listed and checked without it."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from micrograd.fmt import visible
from tui.cli.common import (
    NEEDS_A_TERMINAL,
    Parser,
    UsageError,
    add_theme_argument,
    fail,
    is_terminal,
    keys_from_the_terminal,
    run_explorer,
)
from tui.lessons.lesson import LESSON_FOLDER, Lesson, LessonError, load_lesson, readable_lessons
from tui.lessons.progress import LessonProgress, config_folder

LEARN_EPILOG = """\
examples:
  micrograd-tui learn               the list of lessons (enter opens one; yours is chosen)
  micrograd-tui learn 3             lesson 3 at once
  micrograd-tui learn --list        the lessons and your progress, printed
  micrograd-tui learn my.toml       a lesson file of your own (see the README's "Lessons")
  micrograd-tui learn --check my.toml
                                    check a lesson file: its format, goals and every number
  micrograd-tui learn --reset       forget your progress, then open the list

In a lesson, n and p turn its pages; the page says which keys to press, and turns by
itself when you have done it. L lists the lessons again. Progress is kept in
{folder}.
"""


def build_learn_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="micrograd-tui learn",
        description="Lessons in the order of the micrograd video: a page of text beside the "
        "live graph,\ntelling you what to press and moving on when you have done it.",
        epilog=LEARN_EPILOG.format(folder=config_folder()),
    )
    parser.add_argument("lesson", nargs="?", metavar="LESSON",
                        help="a lesson's number (1 is the first), or a lesson file (.toml)")
    parser.add_argument("--list", action="store_true",
                        help="print the lessons and your progress instead of opening the app")
    parser.add_argument("--check", action="store_true",
                        help="check lesson files (LESSON, or every bundled lesson): the format, "
                        "the goals, and every number the text quotes against the engine")
    parser.add_argument("--reset", action="store_true",
                        help="forget which lessons you have done and where you were (then "
                        "the lessons open, on a terminal; without one, that is all)")
    add_theme_argument(parser)
    return parser


def run_learn(argv: Sequence[str]) -> int:
    args = build_learn_parser().parse_args(argv)
    try:
        lessons, problems, index = _lessons(args.lesson)
    except UsageError as error:
        fail(str(error))
    if args.check:
        return _check(lessons, problems)
    progress = LessonProgress.load()
    if args.reset:
        progress.forget()
        error = progress.save()
        if error:
            fail(error)
        print("lesson progress forgotten", file=sys.stderr)
        if not args.list and not is_terminal(sys.stdout):
            return 0  # the reset was the job; the lessons open only on a terminal
    if args.list:
        _print_list(lessons, problems, progress)
        return 0
    if not lessons:
        fail("no lesson could be read: " + "; ".join(problems[:2]))
    if not is_terminal(sys.stdout):
        fail(NEEDS_A_TERMINAL)
    if not is_terminal(sys.stdin):
        keys_from_the_terminal(program_on_stdin=False)
    from tui.app import ExplorerApp  # Textual loads only when the app really starts
    from tui.lessons.tour import Tour

    tour = Tour(lessons, progress)
    start = index if index is not None else tour.first_unfinished()
    with_graph = [lesson for lesson in lessons[start:] + lessons if lesson.has_graph]
    program = with_graph[0].build() if with_graph else None
    if program is None:
        from micrograd.presets import classic_neuron

        program = classic_neuron()
    app = ExplorerApp(program, tour=tour, lesson=index)
    app.guide.problems = problems
    return run_explorer(app, args.theme)


def _lessons(choice: str | None) -> tuple[list[Lesson], list[str], int | None]:
    """The lessons to offer, the files that could not be read, and the one to open first
    (None: the list)."""
    if choice is None:
        lessons, problems = readable_lessons()
        return lessons, problems, None
    if re.fullmatch(r"[0-9]{1,9}", choice):
        lessons, problems = readable_lessons()
        number = int(choice)
        if not 1 <= number <= len(lessons):
            raise UsageError(f"there is no lesson {choice}: the lessons are 1 to {len(lessons)} "
                             "(micrograd-tui learn --list)")
        return lessons, problems, number - 1
    path = Path(choice)
    if not path.exists() and (LESSON_FOLDER / f"{choice}.toml").exists():
        path = LESSON_FOLDER / f"{choice}.toml"
    if not path.exists():
        raise UsageError(f"{choice}: no such lesson file (give a number, as in "
                         "'micrograd-tui learn 3', or a .toml file)")
    try:
        return [load_lesson(path)], [], 0
    except LessonError as error:
        raise UsageError(str(error)) from None


def _check(lessons: list[Lesson], problems: list[str]) -> int:
    """Every lesson's numbers checked; 0 when all are right, 1 (and a line each) if not."""
    from tui.lessons.numbers import check_lesson

    found = list(problems)
    for lesson in lessons:
        found += check_lesson(lesson)
    for line in found:
        print(visible(line))
    if found:
        print(f"{len(found)} problem{'s' if len(found) != 1 else ''} found", file=sys.stderr)
        return 1
    print(f"{len(lessons)} lesson{'s' if len(lessons) != 1 else ''} checked: the format, the "
          "goals and every number are right")
    return 0


def _print_list(lessons: list[Lesson], problems: list[str], progress: LessonProgress) -> None:
    for number, lesson in enumerate(lessons, start=1):
        if lesson.key in progress.finished:
            state = "done"
        elif lesson.key in progress.pages:
            page = min(progress.pages[lesson.key], len(lesson.pages) - 1)
            state = f"begun, read to page {page + 1} of {len(lesson.pages)}"
        else:
            state = f"{len(lesson.pages)} pages"
        print(visible(f"{number:>2}  {lesson.title}  ({state})"))
        if lesson.summary:
            print(visible(f"    {lesson.summary}"))
    for line in problems:
        print(visible(f"cannot read: {line}"), file=sys.stderr)
