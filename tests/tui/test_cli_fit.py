"""The command line as Python users expect it: help that fits the terminal, a usage line
naming the commands, "did you mean" for a mistyped command, ``python -m tui``, and a clear
line when the ``micrograd`` Python imports is not ours (classic micrograd installed over it,
a learner's own ``micrograd/engine.py`` in the folder)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import run  # tests/tui/cli_runner.py

from tui import clash
from tui.help_format import wrap_help_text

REPO = Path(__file__).resolve().parents[2]
COMMANDS = [[], ["export"], ["serve"], ["train"], ["learn"]]


def python(*args: str, cwd: Path, env: dict[str, str] | None = None):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("columns", [60, 80, 100, 140])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] if c else "app")
def test_help_fits_the_terminal(command: list[str], columns: int, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    status, out, _ = run([*command, "--help"], capsys)
    assert status == 0
    usage, _, rest = out.partition("\n\n")
    too_long = [line for line in rest.splitlines() if len(line) > columns]
    assert too_long == []
    if columns >= 80:  # argparse keeps an option's choices whole in the usage block
        assert [line for line in usage.splitlines() if len(line) > columns] == []


def test_the_usage_line_names_the_commands(capsys) -> None:
    status, out, _ = run(["--help"], capsys)
    assert status == 0
    assert out.startswith("usage: micrograd-tui [options] [FILE]\n"
                          "       micrograd-tui learn|train|export|serve [options]\n")


def test_examples_keep_their_commands_whole() -> None:
    text = "examples:\n  micrograd-tui export examples/neuron.mg   the graph as a text tree"
    wrapped = wrap_help_text(text, 50).splitlines()
    assert wrapped == ["examples:", "  micrograd-tui export examples/neuron.mg",
                       "      the graph as a text tree"]


@pytest.mark.parametrize(("word", "command"), [("lern", "learn"), ("trian", "train"),
                                               ("exprot", "export"), ("serv", "serve")])
def test_a_word_near_a_command_is_named(word: str, command: str, capsys, tmp_path,
                                        monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = run([word], capsys)
    assert (status, out) == (2, "")
    assert err == f"error: {word}: no such file (did you mean '{command}'?)\n"


@pytest.mark.parametrize("word", ["xyzzy", "lern.mg", "lessons/lern"])
def test_a_file_name_is_just_missing(word: str, capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = run([word], capsys)
    assert status == 2 and err == f"error: {word}: no such file\n"


def test_a_file_of_that_name_is_opened_not_questioned(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lern").write_text("a = 2\nb = a*a\n")
    status, out, _ = run(["export", "lern", "-f", "tree"], capsys)
    assert status == 0 and out.startswith("b = 4.0")


def test_python_dash_m_tui_is_the_command(tmp_path: Path) -> None:
    done = python("-m", "tui", "export", "--expr", "a = 2; b = a*a", "-f", "tree", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("b = 4.0")
    done = python("-m", "tui", "lern", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "error: lern: no such file (did you mean 'learn'?)\n"


def test_version_says_where_both_packages_come_from(capsys) -> None:
    status, out, _ = run(["--version"], capsys)
    assert status == 0
    assert out.splitlines() == ["micrograd-tui 0.1.0",
                                f"  micrograd  {REPO / 'micrograd'}",
                                f"  tui        {REPO / 'tui'}"]


def test_our_micrograd_is_no_clash() -> None:
    assert clash.problem() == ""


@pytest.fixture
def learners_folder(tmp_path: Path) -> Path:
    """The folder of a learner of the video: their own micrograd/engine.py."""
    (tmp_path / "micrograd").mkdir()
    (tmp_path / "micrograd" / "__init__.py").write_text("")
    (tmp_path / "micrograd" / "engine.py").write_text("class Value:\n    pass\n")
    return tmp_path


def test_a_learners_own_micrograd_is_one_line(learners_folder: Path) -> None:
    done = python("-m", "tui", cwd=learners_folder)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        f"micrograd-tui: Python finds the 'micrograd' in {learners_folder / 'micrograd'} first "
        "(a folder like the one the video has you write), not micrograd-tui's: run from "
        "another folder, or rename that one\n")


def test_explore_says_the_same_line(learners_folder: Path) -> None:
    script = learners_folder / "mine.py"
    script.write_text("from micrograd.engine import Value\nfrom tui import explore\n")
    done = python(str(script), cwd=learners_folder)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: micrograd-tui: Python finds the 'micrograd' in "
                           f"{learners_folder / 'micrograd'} first")


def test_version_in_a_clash_names_the_other_folder(learners_folder: Path) -> None:
    done = python("-m", "tui", "--version", cwd=learners_folder)
    assert done.returncode == 0
    assert f"  micrograd  {learners_folder / 'micrograd'}  <- not ours" in done.stdout


def test_a_learners_micrograd_that_fails_to_import(learners_folder: Path) -> None:
    (learners_folder / "micrograd" / "__init__.py").write_text("1 / 0\n")
    done = python("-m", "tui", cwd=learners_folder)
    assert done.returncode == 2
    assert "(importing it fails: ZeroDivisionError: division by zero)" in done.stderr


def test_classic_micrograd_installed_over_ours(tmp_path: Path) -> None:
    """As ``pip install micrograd`` after ours leaves site-packages: our tui beside a
    micrograd folder whose __init__, engine and nn are classic micrograd's."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "tui", site / "tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "micrograd", site / "micrograd",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("__init__.py", "engine.py", "nn.py"):
        shutil.copy(REPO / "bench" / "classic_micrograd" / name, site / "micrograd" / name)
    done = python("-m", "tui", cwd=site)
    assert done.returncode == 2
    assert done.stderr.startswith(f"micrograd-tui: {site / 'micrograd'} holds files of ")
    assert done.stderr.endswith("installed over micrograd-tui's: pip uninstall micrograd "
                                "micrograd-tui (uninstalling one deletes files the other "
                                "needs), then pip install micrograd-tui\n")
