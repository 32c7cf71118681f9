"""``micrograd-tui learn`` on the command line: the list, checking lesson files, forgetting
progress, and one-line errors (tui/cli/learn.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run

import tui.lessons.numbers
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


def test_check_passes_on_the_bundled_lessons(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command checks every bundled lesson and says so. Their numbers are checked once,
    in test_lesson_files (a minute and more of training claims): here the check is counted."""
    checked: list[str] = []

    def counted(lesson) -> list[str]:
        checked.append(lesson.key)
        return []

    monkeypatch.setattr(tui.lessons.numbers, "check_lesson", counted)
    status, out, _ = run(["learn", "--check"], capsys)
    assert status == 0
    assert checked == [lesson.key for lesson in bundled_lessons()]
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


def test_reset_without_a_terminal_only_resets(capsys, home: Path) -> None:
    """One answer, not 'forgotten' then 'needs a terminal' (issue 27.14)."""
    home.mkdir(parents=True)
    (home / FILE_NAME).write_text(json.dumps({"finished": ["01-x"]}))
    status, out, err = run(["learn", "--reset"], capsys)
    assert (status, out, err) == (0, "", "lesson progress forgotten\n")
    assert json.loads((home / FILE_NAME).read_text())["finished"] == []


def test_a_bad_training_key_names_it_and_the_allowed_ones(tmp_path: Path, capsys) -> None:
    lesson = tmp_path / "t.toml"
    lesson.write_text('title = "T"\n[training]\nsteps = 5\nlearning_rate = 0.1\n\n'
                      '[[page]]\ntext = "Hi."\n')
    status, _, err = run(["learn", str(lesson), "--check"], capsys)
    assert status == 2
    assert "[training]: unknown key 'learning_rate' (keys: activation, batch," in err
    assert "unexpected keyword" not in err


# --- files that cannot be lessons, refused before parsing (issue 27.7) -----------------------

BOMB_CHILD = """
import resource, sys, time
from tui.lessons.lesson import LessonError, load_lesson
start = time.perf_counter()
try:
    load_lesson(sys.argv[1])
    print("loaded")
except LessonError as error:
    print(error)
# VmHWM is this process's own peak (ru_maxrss keeps the forking parent's across exec)
try:
    peak = next(int(line.split()[1]) for line in open("/proc/self/status")
                if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak // 1024, "MB")
"""


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.write_text("given = " + "[" * 500 + "]" * 500 + "\n"), "nested more than"),
        (lambda p: p.write_text("x" + ".x" * 20_000 + " = 1\n"), "dotted key of more than"),
        (lambda p: p.write_text("x" + ".x" * 60_000 + " = 1\n"), "dotted key of more than"),
        (lambda p: p.write_text("#" * 300_000 + "\n"), "at most 200,000 bytes"),
        (lambda p: p.write_text('t = {a = ' * 300 + "1" + "}" * 300 + "\n"), "nested more than"),
        (lambda p: p.symlink_to("/dev/zero"), "not a lesson file"),
        (lambda p: __import__("os").mkfifo(p), "not a lesson file"),
    ],
    ids=["deep-array", "dotted-key", "huge-dotted-key", "too-large", "deep-inline-table",
         "dev-zero", "fifo"],
)
def test_lesson_bombs_are_refused_in_one_line(tmp_path: Path, make, words) -> None:
    """In a process of its own, so its peak memory is its own (the limit is 200 MB; the
    seconds are in bench/RESULTS.md: tests do not race the clock)."""
    import subprocess
    import sys

    bomb = tmp_path / "bomb.toml"
    make(bomb)
    result = subprocess.run([sys.executable, "-c", BOMB_CHILD, str(bomb)], capture_output=True,
                            text=True, timeout=120, cwd=Path(__file__).parent.parent.parent)
    message, memory = result.stdout.splitlines()
    assert message.startswith("bomb.toml: ") and words in message, result.stderr
    assert int(memory.split()[0]) < 200
    status = subprocess.run([sys.executable, "-m", "tui.cli", "learn", str(bomb), "--check"],
                            capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).parent.parent.parent)
    assert status.returncode == 2 and status.stderr.count("\n") == 1 and words in status.stderr
