"""The theme: ``--theme``, ``$TEXTUAL_THEME``, and the palette's choice remembered in the
config folder beside the lessons' progress."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run

from micrograd.presets import classic_neuron
from tui import settings
from tui.app import ExplorerApp
from tui.lessons.progress import config_folder as progress_folder


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    return tmp_path / "config" / "micrograd-tui"


def test_the_settings_are_beside_the_lessons_progress(home: Path) -> None:
    assert settings.config_folder() == progress_folder() == home


def test_a_theme_is_remembered_atomically_and_read_back(home: Path) -> None:
    assert settings.remembered_theme() == ""
    assert not home.exists()  # reading never writes
    assert settings.remember_theme("nord") == ""
    assert json.loads((home / "settings.json").read_text()) == {"theme": "nord"}
    assert settings.remembered_theme() == "nord"
    assert [p.name for p in home.iterdir()] == ["settings.json"]  # no temporary file left


@pytest.mark.parametrize("content", ["", "{", "[1]", '{"theme": 7}', "x" * 20_000])
def test_a_damaged_file_is_the_default_theme(home: Path, content: str) -> None:
    home.mkdir(parents=True)
    (home / "settings.json").write_text(content)
    assert settings.remembered_theme() == ""
    assert settings.starting_theme(None) == ""


def test_a_folder_that_cannot_be_written_is_one_line(home: Path) -> None:
    home.parent.mkdir(parents=True)
    home.write_text("a file where the folder should be")
    problem = settings.remember_theme("nord")
    assert problem.startswith("theme not remembered (") and "\n" not in problem


def test_which_theme_opens(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.starting_theme(None) == ""  # Textual's default
    settings.remember_theme("gruvbox")
    assert settings.starting_theme(None) == "gruvbox"
    assert settings.starting_theme("nord") == "nord"  # --theme first
    monkeypatch.setenv("TEXTUAL_THEME", "dracula")
    assert settings.starting_theme(None) == ""  # Textual reads $TEXTUAL_THEME itself
    assert settings.starting_theme("nord") == "nord"
    monkeypatch.delenv("TEXTUAL_THEME")
    settings.remember_theme("a-theme-that-is-gone")
    assert settings.starting_theme(None) == ""


def test_an_unknown_theme_is_one_line_and_status_2(home: Path, capsys) -> None:
    status, out, err = run(["--theme", "nope"], capsys)
    assert status == 2 and out == ""
    assert err.startswith("error: argument --theme: unknown theme 'nope' (themes: ")
    assert "textual-light" in err and err.count("\n") == 1
    for command in (["train"], ["learn"]):
        status, _, err = run([*command, "--theme", "nope"], capsys)
        assert status == 2 and "unknown theme 'nope'" in err


async def test_the_palettes_choice_is_remembered(home: Path) -> None:
    app = ExplorerApp(classic_neuron())
    app.remember_theme = True  # as the command line does
    async with app.run_test() as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert settings.remembered_theme() == "nord"


async def test_an_app_made_elsewhere_remembers_nothing(home: Path) -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test() as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert not home.exists()


async def test_the_command_line_opens_in_the_remembered_theme(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_run`` sets the theme before the app starts; here the app's run is replaced by a
    check of what it was given."""
    from tui.cli.common import run_explorer

    settings.remember_theme("gruvbox")
    seen = {}

    def fake_run(self, *args, **kwargs) -> None:
        seen["theme"], seen["remember"] = self.theme, self.remember_theme

    monkeypatch.setattr(ExplorerApp, "run", fake_run)
    assert run_explorer(ExplorerApp(classic_neuron())) == 0
    assert seen == {"theme": "gruvbox", "remember": True}
    assert run_explorer(ExplorerApp(classic_neuron()), "nord") == 0
    assert seen == {"theme": "nord", "remember": True}
    assert run_explorer(ExplorerApp(classic_neuron()), None, remember=False) == 0
    assert seen["remember"] is False and seen["theme"] != "gruvbox"
