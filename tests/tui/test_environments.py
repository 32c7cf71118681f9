"""The app under the colour and terminal settings learners really have.

Many people set ``NO_COLOR`` globally; others run in a ``TERM=dumb`` or ``linux`` console, or
force colour in a pipe. Every screen must open and draw under each of them (``NO_COLOR=1``
once crashed the node table's header: a pad without a style)."""

from __future__ import annotations

from pathlib import Path

import pytest

from micrograd.presets import classic_neuron, mlp
from tui.app import ExplorerApp
from tui.screens.builder import BuilderScreen
from tui.screens.details import DetailsScreen
from tui.screens.editor import EditorScreen
from tui.screens.export import ExportScreen
from tui.screens.gradcheck import GradCheckScreen
from tui.screens.help import HelpScreen
from tui.screens.lessons import LessonsScreen
from tui.screens.quiz import QuizScreen
from tui.screens.too_small import TooSmallScreen
from tui.screens.train import TrainScreen

ENVIRONMENTS = {
    "NO_COLOR=1": {"NO_COLOR": "1"},
    "FORCE_COLOR=1": {"FORCE_COLOR": "1"},
    "TERM=dumb": {"TERM": "dumb"},
    "TERM=linux": {"TERM": "linux"},
    "TERM=xterm-256color": {"TERM": "xterm-256color"},
}

#: Each screen: the keys that open it from the explorer, and the screen then on top.
SCREENS = {
    "help": (["question_mark"], HelpScreen),
    "details": (["enter"], DetailsScreen),
    "editor": (["e"], EditorScreen),
    "builder": (["m"], BuilderScreen),
    "export": (["x"], ExportScreen),
    "gradcheck": (["g"], GradCheckScreen),
    "lessons": (["L"], LessonsScreen),
    "train": (["T"], TrainScreen),
}


@pytest.fixture(params=list(ENVIRONMENTS))
def environment(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
                tmp_path: Path) -> str:
    """One of the environments, set for the app about to start (Textual reads ``NO_COLOR``
    when an App is made)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name, value in ENVIRONMENTS[request.param].items():
        monkeypatch.setenv(name, value)
    return request.param


@pytest.mark.parametrize("preset", ["neuron", "mlp"])
async def test_the_explorer_steps_through(environment: str, preset: str) -> None:
    app = ExplorerApp(classic_neuron() if preset == "neuron" else mlp(sizes=[2, 3, 1], seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "space", "b", "space", "tab", "tab", "end")
        await pilot.pause()
        assert app.explorer.stepper.position == len(app.explorer.stepper)
        await pilot.resize_terminal(140, 45)
        await pilot.pause()
        if environment == "NO_COLOR=1":
            assert app.no_color
    assert app.return_code in (None, 0) and app.crash is None


@pytest.mark.slow
async def test_every_screen_opens(environment: str) -> None:
    """Each screen in turn, in one app (a start per screen and environment would cost
    minutes)."""
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        explorer = app.screen
        for name, (keys, kind) in SCREENS.items():
            await pilot.press(*keys)
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, kind), name
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is explorer, name
    assert app.return_code in (None, 0) and app.crash is None


async def test_quiz_and_too_small(environment: str) -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t", "b", "space")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        await pilot.resize_terminal(20, 6)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
    assert app.return_code in (None, 0) and app.crash is None
