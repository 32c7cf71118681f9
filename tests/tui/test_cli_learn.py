"""``micrograd-tui learn`` on the command line: the list, checking lesson files, forgetting
progress, and one-line errors (tui/learn.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run

from tui.lessons.lesson import bundled_lessons
from tui.lessons.progress import FILE_NAME


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "micrograd-tui"


def test_list_prints_every_lesson_with_its_progress(capsys, home: Path) -> None:
    lessons = bundled_lessons()
    home.mkdir(parents=True)
    (home / FILE_NAME).write_text(json.dumps({
        "pages": {lessons[1].key: 2}, "finished": [lessons[0].key], "last": lessons[1].key}))
    status, out, err = run(["learn", "--list"], capsys)
    assert status == 0 and err == ""
    lines = [line for line in out.splitlines() if not line.startswith("    ")]
    assert len(lines) == len(lessons)
    assert lines[0] == f" 1  {lessons[0].title}  (done)"
    assert lines[1] == (f" 2  {lessons[1].title}  (begun, read to page 3 of "
                        f"{len(lessons[1].pages)})")
    assert lines[2] == f" 3  {lessons[2].title}  ({len(lessons[2].pages)} pages)"


def test_check_passes_on_the_bundled_lessons(capsys) -> None:
    status, out, _ = run(["learn", "--check"], capsys)
    assert status == 0
    assert out == (f"{len(bundled_lessons())} lessons checked: the format, the goals and every "
                   "number are right\n")


def test_check_names_each_wrong_number(capsys, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('title = "Mine"\nprogram = "a = 2.0\\nb = a * a\\n"\n'
                    'checks = ["b.grad = 1.0", "a.grad = 4.0"]\n'
                    '[[page]]\ntext = "a.grad is 4.0, b.grad is 1.0; 2.5 is not checked."\n')
    status, out, err = run(["learn", "--check", str(path)], capsys)
    assert status == 1
    assert out.splitlines() == [
        "mine.toml: page 1 quotes 2.5, which no check gives (add a check, or list it in "
        "'given' if it is not a result)"]
    assert err == "1 problem found\n"
    path.write_text(path.read_text().replace('"b.grad = 1.0"', '"b.grad = 2.0"')
                    .replace("; 2.5 is not checked", ""))
    status, out, _ = run(["learn", "--check", str(path)], capsys)
    assert status == 1
    assert out.splitlines() == ["mine.toml: check 'b.grad = 2.0': the engine gives 1.0 (1.0)",
                                "mine.toml: page 1 quotes 1.0, which no check gives (add a "
                                "check, or list it in 'given' if it is not a result)"]


@pytest.mark.parametrize("argv, message", [
    (["learn", "99"], "error: there is no lesson 99: the lessons are 1 to "),
    (["learn", "0"], "error: there is no lesson 0"),
    (["learn", "nowhere.toml"], "error: nowhere.toml: no such lesson file"),
    (["learn", "--frobnicate"], "error: unrecognized arguments: --frobnicate"),
])
def test_bad_arguments_are_one_line(capsys, argv: list[str], message: str) -> None:
    status, out, err = run(argv, capsys)
    assert status == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1, err


def test_a_broken_lesson_file_is_one_line(capsys, tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('title = "B"\nprogram = "a = 2.0"\n[[page]]\ntext = "x"\ndo = "fly"\n')
    status, _, err = run(["learn", str(path)], capsys)
    assert status == 2
    assert err.startswith("error: broken.toml: page 1: do: unknown goal 'fly' (goals: step, ")
    assert err.count("\n") == 1


def test_a_lesson_by_its_file_name_without_the_folder(capsys) -> None:
    key = bundled_lessons()[0].key
    status, out, _ = run(["learn", key, "--check"], capsys)
    assert status == 0 and out.startswith("1 lesson checked")


def test_reset_forgets_progress(capsys, home: Path) -> None:
    home.mkdir(parents=True)
    (home / FILE_NAME).write_text(json.dumps({"pages": {"01-x": 2}, "finished": ["01-x"]}))
    status, out, err = run(["learn", "--reset", "--list"], capsys)
    assert status == 0 and err == "lesson progress forgotten\n"
    assert "(done)" not in out and "begun" not in out
    data = json.loads((home / FILE_NAME).read_text())
    assert data["pages"] == {} and data["finished"] == []


def test_without_a_terminal_it_says_so(capsys) -> None:
    status, _, err = run(["learn"], capsys)  # pytest's stdout is not a terminal
    assert status == 2 and err.startswith("error: micrograd-tui needs a terminal")


def test_help_explains_the_lessons(capsys) -> None:
    status, out, _ = run(["learn", "--help"], capsys)
    assert status == 0
    assert "micrograd-tui learn --check my.toml" in out and "n and p turn its pages" in out
