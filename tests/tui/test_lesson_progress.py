"""Where the learner is, kept between runs (tui/lessons/progress.py) and moved by the tour
(tui/lessons/tour.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.lessons.goals import Event
from tui.lessons.lesson import load_lesson
from tui.lessons.progress import FILE_NAME, LessonProgress, config_folder
from tui.lessons.tour import Tour

LESSON = """\
title = "{title}"
program = "a = 2.0\\nb = -3.0\\nd = a * b\\n"
checks = ["d = -6.0"]

[[page]]
text = "Read me."

[[page]]
text = "Press space."
do = "step"

[[page]]
text = "d is -6.0."
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "micrograd-tui"


def tour_of(tmp_path: Path, count: int = 2) -> Tour:
    lessons = []
    for k in range(1, count + 1):
        path = tmp_path / f"0{k}-l.toml"
        path.write_text(LESSON.format(title=f"Lesson {k}"), encoding="utf-8")
        lessons.append(load_lesson(path))
    return Tour(lessons, LessonProgress.load())


def test_the_file_is_in_the_config_folder(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert config_folder() == home
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/path")  # not absolute: ignored
    assert config_folder() == Path.home() / ".config" / "micrograd-tui"


def test_missing_is_a_fresh_start(home: Path) -> None:
    progress = LessonProgress.load()
    assert (progress.pages, progress.finished, progress.last) == ({}, set(), "")
    assert not home.exists()  # reading never writes


@pytest.mark.parametrize("content", [
    "{not json", "[]", '{"pages": [1, 2]}', '{"pages": {}, "finished": "01"}', "\x00\xff",
])
def test_a_corrupt_file_is_a_fresh_start(home: Path, content: str) -> None:
    home.mkdir(parents=True)
    (home / FILE_NAME).write_text(content, encoding="latin-1")
    progress = LessonProgress.load()
    assert (progress.pages, progress.finished) == ({}, set())


def test_bad_entries_are_dropped_and_good_ones_kept(home: Path) -> None:
    home.mkdir(parents=True)
    (home / FILE_NAME).write_text(json.dumps({
        "pages": {"01-a": 2, "02-b": -1, "03-c": "x", "04-d": True},
        "finished": ["01-a", 3], "last": 7}))
    progress = LessonProgress.load()
    assert progress.pages == {"01-a": 2} and progress.finished == {"01-a"}
    assert progress.last == ""


def test_saved_and_read_back_atomically(home: Path) -> None:
    progress = LessonProgress.load()
    progress.reached("01-a", 3)
    progress.finish("02-b")
    assert progress.save() == ""
    data = json.loads((home / FILE_NAME).read_text())
    assert data == {"version": 1, "pages": {"01-a": 3}, "finished": ["02-b"], "last": "02-b"}
    # no temporary file left; the lock file stays (removing it would race another app)
    assert sorted(p.name for p in home.iterdir()) == [FILE_NAME, FILE_NAME + ".lock"]
    again = LessonProgress.load()
    assert (again.pages, again.finished, again.last) == ({"01-a": 3}, {"02-b"}, "02-b")


def test_a_folder_that_cannot_be_made_is_said_not_raised(home: Path) -> None:
    home.parent.mkdir(parents=True)
    home.write_text("a file where the folder should be")  # fails for root too
    progress = LessonProgress.load()
    progress.reached("01-a", 1)
    message = progress.save()
    assert message.startswith("lesson progress not saved (") and "\n" not in message


def test_a_page_goal_turns_the_page_and_the_last_page_finishes(home: Path,
                                                               tmp_path: Path) -> None:
    tour = tour_of(tmp_path)
    tour.open(0)
    assert tour.page_index == 0 and not tour.waiting
    assert not tour.observe(Event("moved", number=1))  # page 1 waits for nothing
    assert tour.turn(1) and tour.waiting
    assert not tour.observe(Event("select", "d"))
    assert not tour.observe(Event("moved", number=-1))  # back is not a step on
    assert tour.observe(Event("moved", number=1))
    assert tour.page_index == 2 and tour.on_last_page
    assert "01-l" in tour.progress.finished  # the last page reached: done
    assert not tour.turn(1) and tour.has_next_lesson


def test_progress_survives_a_restart(home: Path, tmp_path: Path) -> None:
    tour = tour_of(tmp_path)
    tour.open(1)
    tour.turn(1)
    tour.turn(-1)
    assert tour.progress.pages == {"02-l": 1}  # the furthest page read
    later = tour_of(tmp_path)
    assert later.first_unfinished() == 1  # the one left unfinished last
    assert later.progress.pages == {"02-l": 1}
    later.open(1)
    assert later.page_index == 0  # a lesson starts over, on a fresh graph
    later.open(0, page=99)
    assert later.page_index == 2  # clamped to the lesson's pages


def test_answers_add_up_within_a_page(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.toml"
    path.write_text(LESSON.format(title="Q").replace('do = "step"', 'do = "answer 3"'))
    tour = Tour([load_lesson(path)], LessonProgress.load())
    tour.open(0, page=1)
    assert not tour.observe(Event("answer", number=2))
    assert tour.observe(Event("answer", number=2))
    tour.turn(-1)
    tour.turn(1)
    assert not tour.observe(Event("answer", number=2))  # counted afresh on each visit


def test_an_empty_tour_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one lesson"):
        Tour([], LessonProgress())


def test_json_nested_thousands_deep_is_a_fresh_start(home: Path) -> None:
    home.mkdir(parents=True)
    (home / FILE_NAME).write_text("[" * 50_000)
    assert LessonProgress.load().pages == {}


def test_a_met_goal_is_met_once(home: Path, tmp_path: Path) -> None:
    """On the last page, a goal met again (a training step after another) neither finishes
    the lesson again nor rewrites the file."""
    path = tmp_path / "last.toml"
    path.write_text(LESSON.format(title="L").replace('[[page]]\ntext = "d is -6.0."\n', ""))
    tour = Tour([load_lesson(path)], LessonProgress.load())
    tour.open(0, page=1)
    assert tour.on_last_page and tour.waiting
    assert tour.observe(Event("moved", number=1))
    assert not tour.waiting and "last" in tour.progress.finished
    written = (home / FILE_NAME).stat().st_mtime_ns
    assert not tour.observe(Event("moved", number=1))
    assert (home / FILE_NAME).stat().st_mtime_ns == written


# --- the file is the app's own, and shared (issue 27: 3, 9) ----------------------------------


def test_a_linked_progress_file_leaves_its_target_untouched(home: Path, tmp_path: Path) -> None:
    precious = tmp_path / "passwd"
    precious.write_text("root:x:0:0:root:/root:/bin/bash\n")
    home.mkdir(parents=True)
    (home / FILE_NAME).symlink_to(precious)
    progress = LessonProgress.load()
    assert progress.finished == set()  # the target was not read as progress either
    progress.finish("01-a")
    assert progress.save() == ""
    assert precious.read_text() == "root:x:0:0:root:/root:/bin/bash\n"
    assert not (home / FILE_NAME).is_symlink()
    assert json.loads((home / FILE_NAME).read_text())["finished"] == ["01-a"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero and mkfifo")
def test_a_device_or_fifo_is_a_fresh_start_and_is_replaced(home: Path) -> None:
    import os

    home.mkdir(parents=True)
    for make in (lambda p: p.symlink_to("/dev/zero"), lambda p: os.mkfifo(p)):
        path = home / FILE_NAME
        path.unlink(missing_ok=True)
        make(path)
        progress = LessonProgress.load()  # neither reads forever nor blocks
        assert progress.finished == set()
        progress.finish("01-a")
        assert progress.save() == ""
        assert path.is_file() and not path.is_symlink()


def test_two_instances_merge_their_progress(home: Path) -> None:
    a = LessonProgress.load()
    b = LessonProgress.load()  # opened before A's work
    for key in ("07-a", "08-b", "09-c"):
        a.finish(key)
        assert a.save() == ""
    b.reached("01-x", 2)
    assert b.save() == ""  # last writer: it must not lose A's lessons
    both = LessonProgress.load()
    assert both.finished == {"07-a", "08-b", "09-c"} and both.pages == {"01-x": 2}


def test_reset_forgets_instead_of_merging(home: Path) -> None:
    progress = LessonProgress.load()
    progress.finish("01-a")
    progress.save()
    fresh = LessonProgress.load()
    fresh.forget()
    assert fresh.save() == ""
    assert LessonProgress.load().finished == set()
