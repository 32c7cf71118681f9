"""Seeing the whole graph: zoom levels, fitting, following the step, the whole graph shrunk,
the overview strip, the network view, derivatives on edges, and the mouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region

from micrograd.presets import classic_neuron, mlp
from tui.app import ExplorerApp
from tui.cli import build_program
from tui.lessons.lesson import bundled_lessons
from tui.lessons.progress import LessonProgress
from tui.lessons.tour import Tour
from tui.screens.details import DetailsScreen
from tui.screens.train import TrainScreen
from tui.widgets.dag_canvas import DagCanvas
from tui.widgets.minimap import Minimap
from tui.widgets.network_view import NetworkView
from tui.widgets.node_table import NodeTable

EXAMPLES = Path(__file__).parents[2] / "examples"
PROGRAMS = sorted([*EXAMPLES.glob("*.mg"), *EXAMPLES.glob("video_*.py")])


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lesson progress goes to a folder of the test's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


async def settle(pilot) -> None:
    await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.05)


def inside(canvas: DagCanvas, node) -> bool:
    """Whether ``node``'s whole box is in the canvas's view."""
    box = canvas.graph_layout.boxes[canvas.box_of(node)]
    return canvas.view_region().contains_region(Region(box.x, box.y, box.width, box.height))


def all_inside(app: ExplorerApp) -> bool:
    canvas = app.query_one(DagCanvas)
    return all(inside(canvas, node) for node in app.explorer.stepper.order)


def canvas_text(app: ExplorerApp) -> str:
    """What the graph's canvas shows, as plain text."""
    canvas = app.query_one(DagCanvas)
    return "\n".join(canvas.render_line(y).text for y in range(canvas.size.height))


def node(app: ExplorerApp, name: str):
    return next(n for n, shown in app.explorer.stepper.names.items() if shown == name)


# --- fitting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
async def test_every_example_is_whole_on_the_first_screen_at_80x24(path: Path) -> None:
    program = build_program(path.read_text(), str(path))
    app = ExplorerApp(program)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        canvas = app.query_one(DagCanvas)
        assert canvas.fitted and not canvas.whole
        assert all_inside(app), f"{path.name} at {canvas.zoom.name} is not whole"
        assert canvas.zoom.name in canvas.border_title


@pytest.mark.parametrize("index", range(7), ids=lambda i: f"lesson {i + 1}")
async def test_every_explorer_lessons_graph_is_whole_beside_its_page(index: int) -> None:
    lessons = bundled_lessons()
    app = ExplorerApp(lessons[0].build(), tour=Tour(lessons, LessonProgress.load()),
                      lesson=index)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.guide.in_lesson
        assert all_inside(app)


async def test_the_classic_neuron_and_the_video_expression_are_readable_at_80x24() -> None:
    for program, level in [(classic_neuron(), "compact"),
                           (build_program((EXAMPLES / "video_expression.py").read_text(),
                                          "video_expression.py"), "compact")]:
        app = ExplorerApp(program)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("end")
            await settle(pilot)
            canvas = app.query_one(DagCanvas)
            assert canvas.zoom.name == level
            text = canvas_text(app)
            for n in app.explorer.stepper.order:  # every name and number is on the screen
                assert app.explorer.stepper.names[n] in text
            assert "0.7071" in text or "-8.0" in text


async def test_fit_follows_a_resize_and_a_zoom_by_hand_stays() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        canvas = app.query_one(DagCanvas)
        assert canvas.zoom.name == "compact"
        await pilot.resize_terminal(150, 45)
        await settle(pilot)
        assert canvas.zoom.name == "full" and all_inside(app)
        await pilot.press("z")  # out, by hand: kept through a resize
        await settle(pilot)
        assert canvas.zoom.name == "compact" and not canvas.fitted
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.resize_terminal(150, 45)
        await settle(pilot)
        assert canvas.zoom.name == "compact"
        await pilot.press("0")  # fit again
        await settle(pilot)
        assert canvas.zoom.name == "full" and canvas.fitted


async def test_zoom_keys_go_in_and_out_and_say_where_they_stop(said) -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        canvas = app.query_one(DagCanvas)
        seen = [canvas.zoom.name]
        for key in ["z", "z", "z", "Z", "Z", "Z"]:
            await pilot.press(key)
            await settle(pilot)
            seen.append(canvas.zoom.name)
        assert seen == ["full", "compact", "overview", "overview", "compact", "full", "full"]
        assert any("smallest zoom" in m for m in said(app))
        assert any("roomiest zoom" in m for m in said(app))


# --- following the step ----------------------------------------------------------------------


async def test_after_every_step_the_current_node_and_its_operands_are_in_view() -> None:
    """At full zoom on 80x24 the neuron does not fit: the view follows each step."""
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("Z")  # full, by hand: bigger than the canvas
        await settle(pilot)
        canvas = app.query_one(DagCanvas)
        assert canvas.zoom.name == "full"
        view = canvas.scrollable_content_region
        while not app.explorer.stepper.at_end:
            await pilot.press("space")
            await settle(pilot)
            wanted = app.explorer._in_view()
            assert inside(canvas, wanted[0])
            for other in wanted[1:]:
                fits_with = canvas._region(wanted[0]).union(canvas._region(other))
                if fits_with.width <= view.width and fits_with.height <= view.height:
                    assert inside(canvas, other) or sum(canvas.away.values()) > 0


async def test_nodes_out_of_view_are_counted_at_the_edge() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("Z")
        await settle(pilot)
        canvas = app.query_one(DagCanvas)
        await pilot.press("end")
        await settle(pilot)
        canvas.scroll_to(0, 0, animate=False, immediate=True)
        await settle(pilot)
        canvas.scroll_to(canvas.max_scroll_x, canvas.max_scroll_y, animate=False,
                         immediate=True)
        await settle(pilot)
        away = sum(canvas.away.values())
        assert away >= 1
        assert "out of view" in canvas_text(app)


async def test_a_big_mlp_opens_without_blank_rows_above_its_boxes() -> None:
    app = ExplorerApp(mlp([2, 16, 16, 1], target=1.0))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        canvas = app.query_one(DagCanvas)
        for keys in ([], ["b"]):
            await pilot.press(*keys)
            await settle(pilot)
            view = canvas.view_region()
            top, bottom = canvas.graph_layout.rows_used(view.x, view.right)
            assert top - view.y <= 2 or view.y <= 0
            assert view.bottom - bottom <= 2 or view.bottom >= canvas.graph_layout.height


# --- the whole graph and the strip -----------------------------------------------------------


async def test_a_graph_bigger_than_the_canvas_has_the_strip_and_says_where() -> None:
    app = ExplorerApp(mlp([3, 8, 8, 1], target=1.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        canvas = app.query_one(DagCanvas)
        strip = app.query_one(Minimap)
        assert strip.display and not canvas.whole
        assert "layer" in canvas.border_title and " of " in canvas.border_title
        before = canvas.scroll_offset
        await pilot.click(Minimap, offset=(strip.size.width - 3, 1))
        await settle(pilot)
        assert canvas.scroll_offset != before  # the view went where the click was


async def test_the_overview_of_a_big_graph_is_the_whole_of_it_and_a_click_zooms_in() -> None:
    app = ExplorerApp(mlp([3, 8, 8, 1], target=1.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        canvas = app.query_one(DagCanvas)
        assert canvas.whole and "whole graph" in canvas.border_title
        assert not app.query_one(Minimap).display
        grid = canvas.grid()
        assert sum(len(ids) for ids in grid.cells.values()) == len(canvas.graph_layout.boxes)
        (cx, cy), ids = next(iter(sorted(grid.cells.items())))
        await pilot.click(DagCanvas, offset=(cx + 1, cy + 1))  # the border is a cell
        await settle(pilot)
        assert not canvas.whole and canvas.zoom.name == "compact"
        assert inside(canvas, canvas.selected)


async def test_steps_repaint_the_shrunk_picture() -> None:
    app = ExplorerApp(mlp([3, 8, 8, 1], target=1.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o", "end")
        await settle(pilot)
        canvas = app.query_one(DagCanvas)
        grid = canvas.grid()
        looks = {canvas.cell_look(grid, cell)[1] for cell in grid.cells}
        assert looks & {"dag-canvas--positive", "dag-canvas--negative"}
        await pilot.press("home")
        await settle(pilot)
        grid = canvas.grid()
        looks = {canvas.cell_look(grid, cell)[1] for cell in grid.cells}
        assert looks <= {"dag-canvas--pending", "dag-canvas--operation"}


# --- the network view ------------------------------------------------------------------------


@pytest.mark.slow
async def test_the_network_view_shows_every_neuron_and_fills_in_backward() -> None:
    app = ExplorerApp(mlp([2, 16, 16, 1], target=1.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        view = app.query_one(NetworkView)
        assert view.display and not app.query_one(DagCanvas).display
        assert view.virtual_size.width <= view.size.width
        if not app.no_color:  # all 33 neurons on screen, two a cell
            assert view.virtual_size.height <= view.size.height
        else:  # two a cell differ by colour alone: a neuron a row, scrolling
            assert view.per_cell == 1
        assert [len(layer) for layer in view.picture.neurons] == [16, 16, 1]
        await pilot.press("b")
        empty = sum(c.number is None for layer in view.picture.weights for n in layer
                    for c in n)
        for _ in range(40):
            await pilot.press("space")
        await settle(pilot)
        later = sum(c.number is None for layer in view.picture.weights for n in layer
                    for c in n)
        assert later < empty
        await pilot.press("down", "down", "enter")  # the third neuron of layer 0
        await settle(pilot)
        assert not view.display
        assert app.explorer.stepper.names[app.query_one(DagCanvas).selected] == "L0.N2"


async def test_the_network_view_needs_an_mlp(said) -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await settle(pilot)
        assert not app.query_one(NetworkView).display
        assert any("needs an MLP" in m for m in said(app))


async def test_the_training_screen_shows_its_network() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TrainScreen)
        await pilot.press("space")
        await settle(pilot)
        view = screen.query_one(NetworkView)
        assert view.display and view.picture is not None
        assert any(c.number for layer in view.picture.weights for n in layer for c in n)
        await pilot.press("v")
        await settle(pilot)
        assert not view.display and screen.query_one("#train-grads").display


# --- edges and the mouse ---------------------------------------------------------------------


async def test_derivatives_on_edges() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "∂ w1" in canvas_text(app)  # the rule before the numbers
        await pilot.press("end")
        await settle(pilot)
        text = canvas_text(app)
        assert "∂ w1 = -3.0" in text and "∂ x1 = 2.0" in text
        await pilot.press("d")
        await settle(pilot)
        assert "∂ w1" not in canvas_text(app)
        assert app.query_one(DagCanvas).fitted


async def test_a_click_selects_a_node_and_a_double_click_opens_it() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        canvas = app.query_one(DagCanvas)
        target = node(app, "w1")
        box = canvas.graph_layout.boxes[target.id]
        left, top = canvas.margins()
        offset = (box.x + left + 2 - canvas.scroll_offset.x + 1,
                  box.y + top + 1 - canvas.scroll_offset.y + 1)  # +1: the border
        await pilot.click(DagCanvas, offset=offset)
        await settle(pilot)
        assert canvas.selected is target
        assert app.query_one(NodeTable).rows[app.query_one(NodeTable).cursor] is target
        await pilot.click(DagCanvas, offset=offset, times=2)
        await settle(pilot)
        assert isinstance(app.screen, DetailsScreen)


async def test_a_click_on_a_row_of_the_table_selects_its_node() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        table = app.query_one(NodeTable)
        await pilot.click(NodeTable, offset=(3, 4))  # border, header, rows 0 and 1...
        await settle(pilot)
        chosen = table.rows[table.cursor]
        assert table.cursor == 2 and app.query_one(DagCanvas).selected is chosen
        await pilot.click(NodeTable, offset=(3, 4), times=2)
        await settle(pilot)
        assert isinstance(app.screen, DetailsScreen)


async def test_the_views_are_in_the_palette_by_name() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title.split(":")[0].lower()
                  for command in app.get_system_commands(app.screen)]
        for name in ("zoom in", "zoom out", "fit", "overview", "network view",
                     "derivatives on edges"):
            assert name in titles


def test_short_numbers_keep_their_kind() -> None:
    from tui.widgets.dag_canvas import short_number

    assert [short_number(x) for x in (-1.977, -0.09972, 6.881, 0.0, 1.5e-05, 12.0)] == [
        "-2.0", "-0.1", "6.9", "0.0", "1.5e-05", "12.0"]


async def test_under_no_color_the_network_view_keeps_a_neuron_a_row(monkeypatch) -> None:
    """Two neurons in a half-block differ by colour only: not under NO_COLOR."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = ExplorerApp(mlp([2, 16, 16, 1], target=1.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v", "b", "space")
        await settle(pilot)
        view = app.query_one(NetworkView)
        assert view.per_cell == 1 and view.virtual_size.height > view.size.height


async def test_the_canvas_draws_no_scrollbar_over_its_boxes() -> None:
    """Issue 22: at 80x24 a scrollbar's thumb sat beside a box it cut off and read as part
    of it. The canvas has no scrollbars (the strip and the border say where the view is):
    its boxes get the columns, and it still scrolls."""
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("Z")
        await settle(pilot)
        canvas = app.query_one(DagCanvas)
        assert canvas.max_scroll_x > 0 or canvas.max_scroll_y > 0  # bigger than the view
        assert canvas.scrollbar_size_vertical == 0 and canvas.scrollbar_size_horizontal == 0
        assert canvas.scrollable_content_region.width == canvas.content_region.width
        assert app.query_one(Minimap).display  # the strip says where the view is
        before = (canvas.scroll_x, canvas.scroll_y)
        canvas.scroll_to(x=canvas.max_scroll_x, y=canvas.max_scroll_y, animate=False)
        await pilot.pause()
        assert (canvas.scroll_x, canvas.scroll_y) != before
