"""Lesson files: the bundled ones are sound, every number they quote is the engine's, and a
broken file says what is wrong in one line (tui/lessons/lesson.py, numbers.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tui.lessons.lesson import (
    LESSON_FOLDER,
    Lesson,
    LessonError,
    bundled_lessons,
    load_lesson,
    readable_lessons,
)
from tui.lessons.numbers import check_lesson, claim_value, quotes

GOOD = """\
title = "A tiny lesson"
summary = "One product."
program = "a = 2.0\\nb = -3.0\\nd = a * b\\n"
checks = ["d = -6.0", "a.grad = -3.0"]

[[page]]
text = "d = a * b is -6.0. Press space twice."
do = "backward d"

[[page]]
text = "a.grad is -3.0."
"""

#: The video's order (issue 15): what each bundled lesson is about, by words in its title.
VIDEO_ORDER = ["derivative", "by hand", "chain rule", "a + a", "neuron", "exp",
               "topological", "mlp", "training"]


def write(tmp_path: Path, text: str, name: str = "lesson.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def lessons() -> list[Lesson]:
    return bundled_lessons()


def test_the_bundled_lessons_follow_the_video(lessons: list[Lesson]) -> None:
    assert len(lessons) == len(VIDEO_ORDER)
    for lesson, words in zip(lessons, VIDEO_ORDER, strict=True):
        assert words in lesson.title.lower(), (lesson.key, lesson.title)
    assert readable_lessons() == (lessons, [])


@pytest.mark.slow
def test_every_number_a_lesson_quotes_is_the_engines(lessons: list[Lesson]) -> None:
    """The claims of every lesson hold, and every number in its text is one of them (or an
    input, or a chosen number listed in ``given``)."""
    for lesson in lessons:
        assert check_lesson(lesson) == [], lesson.key
        assert lesson.checks, f"{lesson.key} quotes no number at all"


def test_every_lesson_asks_the_learner_to_do_something(lessons: list[Lesson]) -> None:
    for lesson in lessons:
        assert any(page.goal is not None for page in lesson.pages), lesson.key
        assert 3 <= len(lesson.pages) <= 9, lesson.key


def test_a_lesson_file_reads(tmp_path: Path) -> None:
    lesson = load_lesson(write(tmp_path, GOOD))
    assert lesson.key == "lesson" and lesson.title == "A tiny lesson"
    assert [page.goal.kind if page.goal else None for page in lesson.pages] == ["backward", None]
    assert lesson.build().output.data == -6.0
    assert lesson.build().title == "A tiny lesson"
    assert check_lesson(lesson) == []


def test_a_wrong_number_is_caught(tmp_path: Path) -> None:
    lesson = load_lesson(write(tmp_path, GOOD.replace('"a.grad = -3.0"', '"a.grad = 3.0"')
                               .replace("a.grad is -3.0", "a.grad is 3.0")))
    assert check_lesson(lesson) == [
        "lesson.toml: check 'a.grad = 3.0': the engine gives -3.0 (-3.0)"]


def test_a_number_no_check_gives_is_caught(tmp_path: Path) -> None:
    lesson = load_lesson(write(tmp_path, GOOD.replace("a.grad is -3.0.", "a.grad is -3.0, "
                                                      "b.grad is 2.5.")))
    assert check_lesson(lesson) == [
        "lesson.toml: page 2 quotes 2.5, which no check gives (add a check, or list it in "
        "'given' if it is not a result)"]
    given = load_lesson(write(tmp_path, GOOD.replace("a.grad is -3.0.", "b.grad is 2.5.")
                              .replace('checks =', 'given = ["2.5"]\nchecks =')))
    assert check_lesson(given) == []


def test_names_with_digits_are_not_numbers(tmp_path: Path) -> None:
    lesson = load_lesson(write(tmp_path, GOOD.replace(
        "a.grad is -3.0.", "x1, L0.N1.w0, #5 and MLP 2-16-1 hold no numbers; a.grad is -3.0.")))
    assert check_lesson(lesson) == []


@pytest.mark.parametrize("claim, value", [
    ("d", -6.0), ("d.data", -6.0), ("d.grad", 1.0), ("b.grad", 2.0),
    ("d at a=1.0", -3.0), ("a.grad at b=5.0", 5.0), ("nodes", 3.0), ("steps", 3.0),
    ("parameters", 0.0), ("(20.1403 - 20.0) / 0.01", 14.03),
    # a bug's backward (micrograd.bugs): twice without zero_grad, a.grad = b + b
    ("a.grad with bug zero_grad", -6.0), ("a.grad with bug equals", -3.0),
    ("d.grad with bug order", 1.0),
])
def test_claims_compute(tmp_path: Path, claim: str, value: float) -> None:
    lesson = load_lesson(write(tmp_path, GOOD))
    assert claim_value(lesson, claim) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("claim, message", [
    ("q.grad = 1.0", "neither a node of the lesson's graph nor arithmetic"),
    ("d at d=1.0 = 1.0", "'d' is computed, not a leaf"),
    ("d at a=x = 1.0", "'x' is not a number"),
    ("loss after 3 steps = 1.0", "a training claim needs a [training] table"),
    ("a.grad is 6", "write it as 'what = number'"),
    ("a with bug equals = 1.0", "write 'NAME.grad with bug B'"),
    ("a.grad with bug plus = 1.0", "B one of equals, order, zero_grad"),
])
def test_claims_that_cannot_be_computed_say_why(tmp_path: Path, claim: str, message: str) -> None:
    lesson = load_lesson(write(tmp_path, GOOD.replace('"a.grad = -3.0"', repr(claim)
                                                      .replace("'", '"'))))
    problems = check_lesson(lesson)
    assert len(problems) == 1 and message in problems[0], problems


@pytest.mark.parametrize("quoted, value, right", [
    ("0.7071", 0.70710678, True), ("0.707", 0.70710678, False), ("0.71", 0.70710678, False),
    ("14.0", 14.000000000000002, True), ("14", 14.0, True), ("14.0", 14.03, False),
    ("20.014003", 20.014003000000002, True), ("20.01", 20.014003, True),
    ("-2.0", -2.0, True), ("2.0", -2.0, False), ("100%", 1.0, True), ("97%", 0.97, True),
    ("98%", 0.97, False), ("41", 41.0, True),
])
def test_a_quote_is_what_the_app_shows_or_more_decimals(quoted: str, value: float,
                                                        right: bool) -> None:
    assert quotes(quoted, value) is right


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace('title = "A tiny lesson"', 'title = ""'), "'title' is missing"),
    (lambda t: t + "\nauthor = 'me'\n", "unknown key 'author'"),
    (lambda t: t.replace('do = "backward d"', 'do = "backward q"'),
     "page 1: do: no node named 'q'"),
    (lambda t: t.replace('do = "backward d"', 'do = "train 3"'),
     "page 1: do: 'train' happens on the training screen"),
    (lambda t: t.replace('do = "backward d"', 'select = "zz"'), "page 1: select: no node"),
    (lambda t: t.replace("Press space twice.", "Press \\u001b[2J space."),
     "'text' holds a control character"),
    (lambda t: t.replace('a * b', 'a * '),
     "program, line 3, col 8: expected an expression after '*'"),
    (lambda t: t.replace("[[page]]", "[[pages]]"), "unknown key 'pages'"),
    (lambda t: t.split("[[page]]")[0], "no pages"),
    (lambda t: t.replace('title = "A tiny', 'title = "A tiny\n'), "not valid TOML"),
    (lambda t: t.replace('program = "a', '[mlp]\nsizes = [2, 1]\n[x]\nprogram = "a'),
     "unknown key 'x'"),
    (lambda t: t.replace('program = "a = 2.0\\nb = -3.0\\nd = a * b\\n"\n', "")
     .replace('checks =', '[mlp]\nsizes = [2, 1]\nchecks ='),
     "'checks' is inside the [mlp] table: in TOML a key after [mlp] belongs to it"),
])
def test_a_broken_file_says_what_and_where(tmp_path: Path, change, message: str) -> None:
    path = write(tmp_path, change(GOOD))
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    text = str(caught.value)
    assert text.startswith("lesson.toml: ") and message in text and "\n" not in text, text


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(LessonError, match="cannot read it"):
        load_lesson(tmp_path / "missing.toml")
    (tmp_path / "bin.toml").write_bytes(b"title = \"\xff\"")
    with pytest.raises(LessonError, match="not UTF-8"):
        load_lesson(tmp_path / "bin.toml")
    (tmp_path / "big.toml").write_text("# " + "x" * 300_000)
    with pytest.raises(LessonError, match="at most 200,000"):
        load_lesson(tmp_path / "big.toml")


def test_a_folder_with_a_broken_file_offers_the_rest(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "01-good.toml")
    write(tmp_path, "title = 3\n", "02-bad.toml")
    lessons, problems = readable_lessons(tmp_path)
    assert [lesson.key for lesson in lessons] == ["01-good"]
    assert problems == ["02-bad.toml: 'title' must be text, got int"]


def test_an_mlp_lesson_and_a_training_lesson(tmp_path: Path) -> None:
    mlp = write(tmp_path, """\
        title = "An MLP"
        checks = ["parameters = 41"]
        [mlp]
        sizes = [3, 4, 4, 1]
        inputs = [2.0, 3.0, -1.0]
        target = 1.0
        [[page]]
        text = "It has 41 parameters."
        do = "collapse"
        """, "mlp.toml")
    lesson = load_lesson(mlp)
    assert lesson.build().output.label == "loss" and check_lesson(lesson) == []
    training = write(tmp_path, """\
        title = "Training"
        checks = ["parameters = 337", "accuracy after 0 steps = 50%"]
        [training]
        steps = 10
        [[page]]
        text = "337 parameters, 50% right before training. Press space."
        do = "train 1"
        """, "train.toml")
    lesson = load_lesson(training)
    assert not lesson.has_graph and lesson.train_config().steps == 10
    assert check_lesson(lesson) == []
    bad = write(tmp_path, "title = 'T'\n[training]\nsteps = 0\n[[page]]\ntext = 'x'\n", "b.toml")
    with pytest.raises(LessonError, match=r"\[training\]: steps must be a whole number"):
        load_lesson(bad)


def test_the_bundled_folder_is_the_packages() -> None:
    assert LESSON_FOLDER == Path(__file__).parents[2] / "tui" / "lessons"


def test_odd_numbers_and_points_where_the_graph_fails(tmp_path: Path) -> None:
    """Digits that are not ASCII, a claim where the graph divides by zero, a quote of 0 for a
    tiny number: each is a line of the check, never an exception."""
    with pytest.raises(LessonError, match="'²' is not a whole number"):
        load_lesson(write(tmp_path, GOOD.replace('do = "backward d"', 'do = "answer ²"')))
    lesson = load_lesson(write(tmp_path, GOOD.replace('"d = -6.0"', '"d at b=0.0 = 0.0"')
                               .replace("d = a * b", "d = a / b")))
    problems = check_lesson(lesson)
    assert problems[0] == ("lesson.toml: check 'd at b=0.0 = 0.0': the graph cannot be "
                           "computed there: /: division by zero (at d) (a = 2.0, b = 0.0)")
    assert not quotes("0", 1.5e-7) and quotes("0.00000015", 1.5e-7) and quotes("0", 0.0)


def test_a_lesson_graph_is_kept_small(tmp_path: Path) -> None:
    chain = "\n".join(["a0 = 1.0", *(f"a{k + 1} = a{k} * 0.5 + {k}.25" for k in range(2_000))])
    path = write(tmp_path, f'title = "Big"\nprogram = """\n{chain}\n"""\n'
                 '[[page]]\ntext = "big"\n')
    with pytest.raises(LessonError, match="more than 5,000 nodes"):
        load_lesson(path)
    wide = write(tmp_path, 'title = "W"\n[mlp]\nsizes = [2, 300, 300, 1]\n'
                 '[[page]]\ntext = "w"\n', "wide.toml")
    with pytest.raises(LessonError, match=r"\[mlp\]: 91,501 parameters; a lesson's network has "
                       r"at most 1,000"):
        load_lesson(wide)


def test_a_training_claim_too_long_to_check_is_refused(tmp_path: Path) -> None:
    lesson = load_lesson(write(tmp_path, """\
        title = "Long"
        checks = ["loss after 1000 steps = 0.0"]
        [training]
        [[page]]
        text = "x"
        """))
    problems = check_lesson(lesson)
    assert len(problems) == 1 and "too long to check" in problems[0]
