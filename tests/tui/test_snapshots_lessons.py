"""SVG snapshots of a lesson beside the explorer and of the list of lessons, at 80x24 and
140x45, so what a learner sees cannot drift.

Update after a deliberate change with ``uv run pytest tests/tui/test_snapshots_lessons.py
--snapshot-update`` and look at the new SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app import ExplorerApp
from tui.lessons.lesson import bundled_lessons
from tui.lessons.progress import LessonProgress
from tui.lessons.tour import Tour

SIZES = [(80, 24), (140, 45)]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def learn_app(lesson: int | None) -> ExplorerApp:
    lessons = bundled_lessons()
    return ExplorerApp(lessons[0].build(), tour=Tour(lessons, LessonProgress.load()),
                       lesson=lesson)


async def settle(pilot) -> None:
    await pilot.pause(0.1)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lesson_two_after_the_forward_pass(snap_compare, size: tuple[int, int]) -> None:
    """Lesson 2's third page: the forward pass done, the panel asking for the backward."""

    async def forward(pilot) -> None:
        await settle(pilot)
        await pilot.press("n", "space", "space", "space")
        await settle(pilot)

    assert snap_compare(learn_app(1), terminal_size=size, run_before=forward)


def test_the_list_of_lessons(snap_compare, tmp_path: Path) -> None:
    """With lesson 1 done and lesson 2 begun: the list opens on lesson 2."""
    folder = tmp_path / "config" / "micrograd-tui"
    folder.mkdir(parents=True)
    (folder / "lessons.json").write_text(
        '{"pages": {"02-by-hand": 3}, "finished": ["01-derivative"], "last": "02-by-hand"}')
    assert snap_compare(learn_app(None), terminal_size=(80, 24), run_before=settle)
