"""SVG snapshots of the ways to see a graph: each zoom level, the overview strip, the whole
graph shrunk, the network view, derivatives on edges, and lessons beside their graph.

Update after a deliberate change with ``uv run pytest tests/tui/test_snapshots_views.py
--snapshot-update`` and look at the new SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from micrograd.presets import classic_neuron, mlp
from tui.app import ExplorerApp
from tui.lessons.lesson import bundled_lessons
from tui.lessons.progress import LessonProgress
from tui.lessons.tour import Tour

SIZES = [(80, 24), (140, 45)]
IDS = lambda s: f"{s[0]}x{s[1]}"  # noqa: E731


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def pressing(*keys: str):
    async def run(pilot) -> None:
        await pilot.pause(0.1)
        await pilot.app.workers.wait_for_complete()
        for key in keys:
            await pilot.press(key)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.2)

    return run


#: The keys that reach each zoom level by hand from any fitted one, then five backward steps.
ZOOMS = {
    "full": ["Z", "Z", "b", "space", "space", "space", "space"],
    "compact": ["Z", "Z", "z", "b", "space", "space", "space", "space"],
    "overview": ["o", "b", "space", "space", "space", "space"],
}


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@pytest.mark.parametrize("zoom", list(ZOOMS))
def test_zoom_level(snap_compare, zoom: str, size: tuple[int, int]) -> None:
    assert snap_compare(ExplorerApp(classic_neuron()), terminal_size=size,
                        run_before=pressing(*ZOOMS[zoom]))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_overview_strip_of_an_mlp(snap_compare, size: tuple[int, int]) -> None:
    """MLP(3, [4, 4, 1]) is bigger than the canvas: compact, with the strip under it."""
    assert snap_compare(ExplorerApp(mlp([3, 4, 4, 1], target=1.0)), terminal_size=size,
                        run_before=pressing("Z", "z", "b", *["space"] * 12))


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_whole_graph_shrunk(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(ExplorerApp(mlp([2, 16, 16, 1], target=1.0)), terminal_size=size,
                        run_before=pressing("o", "b", *["space"] * 60))


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=IDS)
@pytest.mark.parametrize("sizes", [(2, 16, 16, 1), (3, 4, 4, 1)], ids=lambda s: "-".join(
    map(str, s)))
def test_network_view(snap_compare, sizes: tuple[int, ...], size: tuple[int, int]) -> None:
    assert snap_compare(ExplorerApp(mlp(list(sizes), target=1.0)), terminal_size=size,
                        run_before=pressing("v", "b", *["space"] * 60))


def test_derivatives_on_edges(snap_compare) -> None:
    assert snap_compare(ExplorerApp(classic_neuron()), terminal_size=(140, 45),
                        run_before=pressing("d", "b", "space", "space", "space"))


def learn_app(lesson: int) -> ExplorerApp:
    lessons = bundled_lessons()
    return ExplorerApp(lessons[0].build(), tour=Tour(lessons, LessonProgress.load()),
                       lesson=lesson)


def test_lesson_two_last_page(snap_compare) -> None:
    """Lesson 2 page 7 names every grad: a, b, c, e, d, f, L are all on screen."""
    assert snap_compare(learn_app(1), terminal_size=(80, 24),
                        run_before=pressing("end", *["n"] * 6))


def test_lesson_five_after_nine_steps(snap_compare) -> None:
    assert snap_compare(learn_app(4), terminal_size=(80, 24),
                        run_before=pressing(*["space"] * 9))
