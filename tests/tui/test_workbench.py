"""Nudge, collapse and expand, and big graphs: Pilot tests of the workbench."""

from __future__ import annotations

import pytest
from textual.content import Content

from micrograd.expr import evaluate
from micrograd.presets import classic_neuron, mlp
from tui.app import ExplorerApp
from tui.screens.explorer import NUDGE_STEPS
from tui.widgets.dag_canvas import DagCanvas
from tui.widgets.step_log import StepLog


def node(app: ExplorerApp, name: str):
    return next(n for n in app.explorer.stepper.order if n.name == name)


async def select(app: ExplorerApp, pilot, name: str) -> None:
    canvas = app.query_one(DagCanvas)
    canvas.select(node(app, name))
    await pilot.pause()


async def test_nudge_moves_the_output_by_about_grad_times_h() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        await select(app, pilot, "x1")
        o_before = node(app, "o").data
        await pilot.press("right_square_bracket")
        h = NUDGE_STEPS[app.explorer.nudge_index]
        assert node(app, "x1").data == pytest.approx(2.0 + h)
        measured = node(app, "o").data - o_before
        assert measured == pytest.approx(-1.5 * h, rel=0.05)
        assert app.explorer.stepper.at_end  # grads of the new point are shown
        text = app.query_one(StepLog).plain_text()
        assert "nudge: Δo" in text and "grad * h" in text
        await pilot.press("left_square_bracket")
        assert node(app, "x1").data == pytest.approx(2.0)


async def test_step_size_changes_and_is_bounded() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        start = app.explorer.nudge_index
        await pilot.press("right_curly_bracket")
        assert app.explorer.nudge_index == start + 1
        await pilot.press(*["left_curly_bracket"] * 10)
        assert app.explorer.nudge_index == 0
        await select(app, pilot, "w2")
        await pilot.press("right_square_bracket")
        assert node(app, "w2").data == pytest.approx(1.0 + NUDGE_STEPS[0])


async def test_nudging_an_op_node_is_refused(said) -> None:
    app = ExplorerApp(evaluate("x = 2.0\ny = x*3 + 1"))
    async with app.run_test(size=(100, 32)) as pilot:
        await select(app, pilot, "y")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert node(app, "y").data == 7.0
        assert any("not a leaf" in m for m in said(app))


async def test_nudge_out_of_the_domain_changes_nothing(said) -> None:
    app = ExplorerApp(evaluate("x = 0.005\ny = log(x)"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space")
        await select(app, pilot, "x")
        await pilot.press("left_square_bracket")  # x - 0.01 < 0
        await pilot.pause()
        assert node(app, "x").data == 0.005
        assert app.explorer.stepper.position == 1
        assert any("cannot nudge" in m for m in said(app))


async def test_collapse_and_expand_a_named_expression() -> None:
    # Not a neuron (no b, no w1): n is a named expression with its unnamed helpers.
    app = ExplorerApp(evaluate("p1 = 2.0; q1 = -3.0; p2 = 0.0; q2 = 1.0; k = 6.88\n"
                               "n = p1*q1 + p2*q2 + k\no = tanh(n)"))
    async with app.run_test(size=(100, 32)) as pilot:
        canvas = app.query_one(DagCanvas)
        boxes_before = len(canvas.graph_layout.boxes)
        await select(app, pilot, "n")
        await pilot.press("c")
        await pilot.pause()
        assert "n" in app.explorer.collapsed
        assert len(canvas.graph_layout.boxes) == boxes_before - 3
        n = node(app, "n")
        assert n.id in canvas.contracted.collapsed
        # stepping inside the collapsed group highlights the group's box
        await pilot.press("space")
        assert canvas.box_of(app.explorer.stepper.current.node) == n.id
        await pilot.press("c")
        await pilot.pause()
        assert not app.explorer.collapsed and len(canvas.graph_layout.boxes) == boxes_before
        await pilot.press("C")
        assert app.explorer.collapsed == {"n"}
        await pilot.press("C")
        assert not app.explorer.collapsed


async def test_collapse_outside_a_group_says_so(said) -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        await select(app, pilot, "x1")  # an input: it feeds the neuron, it is not in it
        await pilot.press("c")
        await pilot.pause()
        assert any("x1 is not part of a group" in m for m in said(app))


async def test_the_videos_neuron_collapses_into_one_box() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        canvas = app.query_one(DagCanvas)
        assert canvas.selected.name == "o"
        await pilot.press("c")
        await pilot.pause()
        assert app.explorer.collapsed == {"o"}
        # x1, x2 and the neuron's box are left
        assert len(canvas.graph_layout.boxes) == 3


async def test_big_graph_opens_collapsed_and_lays_out_in_a_worker() -> None:
    app = ExplorerApp(mlp([8, 32, 32, 1], seed=0, target=1.0))
    assert len(app.explorer.stepper.order) > 2_000
    async with app.run_test(size=(100, 32)) as pilot:
        canvas = app.query_one(DagCanvas)
        assert app.explorer.collapsed == set(app.explorer.groups)
        await pilot.press("space", "space")  # keys work while the layout is in progress
        assert app.explorer.stepper.position == 2
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert canvas.graph_layout is not None
        assert len(canvas.graph_layout.boxes) < 200
        names = {group for group, _ in canvas.contracted.collapsed.values()}
        assert "L0.N0" in names and "L2.N0" in names
        await pilot.press("C")  # expand everything: laid out again, in a worker
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(canvas.graph_layout.boxes) == len(app.explorer.stepper.order)


async def test_u_undoes_every_nudge(said) -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        await select(app, pilot, "x1")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await select(app, pilot, "w2")
        await pilot.press("left_square_bracket")
        assert node(app, "x1").data != 2.0 and node(app, "w2").data != 1.0
        await pilot.press("u")
        assert node(app, "x1").data == 2.0 and node(app, "w2").data == 1.0
        assert node(app, "o").data == pytest.approx(0.7071067811865476)
        assert app.explorer.stepper.at_start
        await pilot.press("u")  # nothing left to undo: says so
        await pilot.pause()
        assert any("nothing to undo" in m for m in said(app))


async def test_an_infinite_gradient_is_shown_not_a_crash() -> None:
    app = ExplorerApp(evaluate("x = 0.0\ny = x ** 0.5"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("end")
        assert app.explorer.stepper.at_end
        assert node(app, "x").grad == float("inf")


async def test_a_title_with_markup_characters_is_shown_as_is() -> None:
    app = ExplorerApp(evaluate("# a [/x] [b]title\nx = 2.0\ny = x * x", filename=None))
    async with app.run_test(size=(100, 32)) as pilot:
        title = app.explorer.program.title
        assert "[/x]" in title and "[b]" in title
        await pilot.press("x")
        await pilot.pause()
        # The export box's border title shows the title literally, brackets and all (the
        # widget keeps it as markup, escaped).
        box_title = app.screen.query_one("#export-box").border_title
        assert Content.from_markup(str(box_title)).plain == f"Export · {title}"
        await pilot.press("escape")
        await pilot.press("g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        check_title = app.screen.query_one("#check-box").border_title
        assert Content.from_markup(str(check_title)).plain == f"Gradient check · {title}"
        await pilot.press("escape")
        assert app.is_running
