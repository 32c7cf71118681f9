"""The lesson on screen: the step log, the quiz, find, and the view following each step.

Pilot tests at 80x24, the size a learner's terminal often has.
"""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import Footer

from micrograd.expr import evaluate
from micrograd.presets import classic_neuron, mlp
from tui.app import ExplorerApp
from tui.screens.details import DetailsScreen
from tui.screens.quiz import QuizScreen
from tui.widgets.dag_canvas import DagCanvas
from tui.widgets.node_table import NodeTable
from tui.widgets.step_log import StepLog

SMALL = (80, 24)


def node(app: ExplorerApp, name: str):
    return next(n for n in app.explorer.stepper.order if app.explorer.stepper.names[n] == name)


def on_canvas(app: ExplorerApp, name: str) -> bool:
    """Whether the node's whole box is inside the canvas's visible part."""
    canvas = app.query_one(DagCanvas)
    box = canvas.graph_layout.boxes[canvas.box_of(node(app, name))]
    x, y = canvas.scroll_offset
    view = Region(int(x), int(y), *canvas.scrollable_content_region.size)
    return view.contains_region(Region(box.x, box.y, box.width, box.height))


def in_table(app: ExplorerApp, name: str) -> bool:
    table = app.query_one(NodeTable)
    row = table.row_of[node(app, name)]
    top = int(table.scroll_offset.y)
    return top <= row < top + table.scrollable_content_region.height - 1


# --- the step log ------------------------------------------------------------------------


async def test_the_log_keeps_every_step_and_enter_seeks_to_one() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SMALL) as pilot:
        log = app.query_one(StepLog)
        await pilot.press(*["space"] * 7)
        text = log.plain_text()
        assert text.startswith("backward · step 7 of 11")
        assert "x1w1 = x1 * w1 = 2.0 * -3.0 = -6.0" in text  # step 1 is still there
        assert "(n.grad: 0.0 → 0.5)" in text
        log.focus()
        await pilot.press("up")  # the newest step first, then older ones
        assert log.cursor == 6
        await pilot.press("up", "up", "up")
        assert log.cursor == 3
        await pilot.press("enter")
        assert app.explorer.stepper.position == 4
        assert log.cursor is None  # the log follows the newest step again
        assert log.plain_text().startswith("forward · step 4 of 11")
        await pilot.press("down", "down")  # from the newest, down stays on it
        await pilot.press("enter")
        assert app.explorer.stepper.position == 4
        await pilot.press("right")  # in the log, → steps the timeline
        assert app.explorer.stepper.position == 5


async def test_the_current_step_is_whole_on_screen_at_80x24() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()  # the layout settles on the terminal's size
        log = app.query_one(StepLog)
        height = log.scrollable_content_region.height
        assert len(log._tail) <= height  # the start hint fits
        for _ in range(len(app.explorer.stepper)):
            await pilot.press("space")
            await pilot.pause()
            older = log._older_rows()
            top = int(log.scroll_offset.y)
            assert len(log._tail) <= height, app.explorer.stepper.position
            assert top <= older and older + len(log._tail) <= top + height


async def test_running_totals_show_the_accumulation_in_the_app() -> None:
    app = ExplorerApp(evaluate("a = 3; b = a*a + a"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("end")
        text = app.query_one(StepLog).plain_text()
        assert "(a.grad: 0.0 → 1.0)" in text
        assert "(a.grad: 1.0 → 4.0; use 1 of 2 in a * a)" in text
        assert "(a.grad: 4.0 → 7.0; use 2 of 2 in a * a)" in text
        app.explorer.select_node(node(app, "a"))
        await pilot.press("enter")
        assert isinstance(app.screen, DetailsScreen)
        lines = app.screen.details.lines()
        assert "a.grad so far: 1.0 (from b) + 3.0 (from #1) + 3.0 (from #1) = 7.0" in lines


# --- following the step ----------------------------------------------------------------------


async def test_the_graph_and_table_show_what_each_step_changed() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space")
        assert in_table(app, "x1w1")  # the table leaves the leaves to follow the step
        await pilot.press("end")
        await pilot.pause()
        # The last step: x1w1 passes its grad to x1 and w1. All three are in view.
        for name in ("x1w1", "x1", "w1"):
            assert on_canvas(app, name), name
            assert in_table(app, name), name


@pytest.mark.slow
async def test_an_mlp_keeps_the_current_node_in_view_at_every_step() -> None:
    # MLP 2-4-4-1 (129 steps; 2-8-8-1 took 385, 46 s on a busy machine): its graph and its
    # table are already many times the view's size, which is what makes following matter.
    app = ExplorerApp(mlp([2, 4, 4, 1], seed=0))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        canvas, table = app.query_one(DagCanvas), app.query_one(NodeTable)
        assert canvas.virtual_size.width > 2 * canvas.scrollable_content_region.width
        assert canvas.virtual_size.height > 2 * canvas.scrollable_content_region.height
        assert len(table.row_of) > 4 * table.scrollable_content_region.height
        for _ in range(len(app.explorer.stepper)):
            await pilot.press("space")
            step = app.explorer.stepper.current
            current = app.explorer.stepper.names[step.node]
            assert on_canvas(app, current), (app.explorer.stepper.position, current)
            assert in_table(app, current)
        # Hidden nodes say which neuron they are in, and the table shows weights whole.
        names = set(app.explorer.stepper.names.values())
        assert any(name.startswith("L0.N3.#") for name in names)
        table = app.query_one(NodeTable)
        assert dict(table._columns())["name"] >= len("L0.N0.w1")


# --- the quiz --------------------------------------------------------------------------------


async def test_quiz_right_and_wrong_answers_and_the_score() -> None:
    app = ExplorerApp(evaluate("a = 2.0; b = -3.0; c = 10.0; e = a*b; d = e + c; f = -2.0; "
                               "L = d*f"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("t")
        assert app.explorer.quiz and "quiz 0/0" in app.title
        await pilot.press(*["space"] * app.explorer.stepper.forward_steps)  # forward: no questions
        assert app.explorer.stepper.position == app.explorer.stepper.forward_steps
        await pilot.press("space")  # the seed: dL/dL
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("1", "enter")
        assert app.explorer.stepper.position == app.explorer.stepper.forward_steps + 1
        assert "quiz 1/1" in app.title
        await pilot.press("space")  # L = d * f: d.grad and f.grad
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("-", "2", "tab", "5", "enter")  # f.grad is 4, not 5
        await pilot.pause()
        assert "quiz 2/3" in app.title
        notes = app.query_one(StepLog).notes
        assert notes == ["quiz 2/3: d.grad = -2.0 ✓ · f.grad = 4.0 ✗ (you: 5.0)"]
        await pilot.press("space")
        assert isinstance(app.screen, QuizScreen)
        position = app.explorer.stepper.position
        await pilot.press("escape")  # no answer: no step
        assert app.explorer.stepper.position == position and "quiz 2/3" in app.title
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("x", "enter")  # enter in a filled answer moves to the empty one
        assert app.focused.id == "quiz-answer-1"
        await pilot.press("1", "enter")  # 'x' is not a number: the quiz says so and waits
        assert isinstance(app.screen, QuizScreen)
        assert "'x' is not a number" in str(app.screen.query_one("#quiz-error").render())
        await pilot.press("escape", "t")
        assert not app.explorer.quiz
        await pilot.press("space")  # quiz off: the step is taken at once
        assert app.explorer.stepper.position == position + 1


async def test_quiz_takes_arithmetic_and_asks_once_for_x_times_x() -> None:
    app = ExplorerApp(evaluate("x = 3.0; y = x*x"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("t", "space", "space", "1", "enter")
        await pilot.press("space")
        assert isinstance(app.screen, QuizScreen)
        assert [ask.name for ask in app.screen.asked.asks] == ["x"]  # one answer: 3 + 3
        await pilot.press(*"2 * 3", "enter")
        assert app.explorer.stepper.at_end and "quiz 2/2" in app.title


# --- find ------------------------------------------------------------------------------------


async def test_slash_finds_a_node_by_name_or_number() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"x2w2")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        canvas = app.query_one(DagCanvas)
        table = app.query_one(NodeTable)
        assert app.explorer.stepper.names[canvas.selected] == "x2w2"
        assert table.rows[table.cursor] is canvas.selected
        assert on_canvas(app, "x2w2")
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"#1")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.explorer.stepper.names[canvas.selected] == "x2"


# --- what is on screen ----------------------------------------------------------------------


async def test_footer_shows_help_first_at_80_columns() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        keys = [key for key in footer.query("FooterKey") if key.region.width]
        # The App's keys are on the explorer screen's list, run by the App (``app.help``).
        assert keys and keys[0].action == "app.help"
        assert all(key.region.right <= 80 for key in keys)
        shown = {key.action.removeprefix("app.") for key in keys}
        assert {"help", "step", "back", "find", "quiz", "quit"} <= shown


async def test_legend_under_the_graph_and_no_current_step_at_the_start() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        canvas = app.query_one(DagCanvas)
        assert "selected" in str(canvas.border_subtitle) and "changed" in str(
            canvas.border_subtitle)
        assert canvas.current_node() is None  # nothing is drawn as this step at the start


async def test_plurals_and_unused_names(said) -> None:
    app = ExplorerApp(evaluate("a = 1.0; b = 2.0; c = a * 3"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.sub_title.startswith("3 nodes · 2 edges")  # a, 3.0 and c: b is unused
        messages = said(app)
        assert any("b is not used by the output c" in m for m in messages)
    app = ExplorerApp(evaluate("a = 1.0"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.sub_title.startswith("1 node · 0 edges")


async def test_the_logs_row_offsets_follow_any_move() -> None:
    from itertools import accumulate

    from tui.widgets.step_log import rows_of

    app = ExplorerApp(evaluate("a = 3; b = a*a + a; c = tanh(b) * a"))
    async with app.run_test(size=SMALL) as pilot:
        log = app.query_one(StepLog)
        for position in (3, len(app.explorer.stepper), 1, 0, len(app.explorer.stepper) - 2, 5):
            app.explorer._seek(position)
            await pilot.pause()
            expected = list(accumulate(map(rows_of, app.explorer.stepper.history), initial=0))
            assert log._starts == expected, position


# --- an op of the learner's own (the video's custom tanh) ----------------------------------


async def test_a_custom_op_steps_in_the_app() -> None:
    import math

    from micrograd.expr import Program
    from micrograd.value import Value

    x = Value(0.8814, label="n")
    t = math.tanh(x.data)
    out = Value(t, (x,), "tanh2")
    out.label = "o"

    def _backward() -> None:
        x.grad += (1 - t**2) * out.grad

    out._backward = _backward
    app = ExplorerApp(Program(out, {"n": x, "o": out}, "", "custom tanh"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space")
        log = app.query_one(StepLog)
        assert "o = tanh2(n) = tanh2(0.8814) = 0.7071" in log.plain_text()
        await pilot.press("space", "space")
        assert app.explorer.stepper.at_end
        assert "n.grad += 0.5 (by o's own _backward)   (n.grad: 0.0 → 0.5)" in log.plain_text()
        assert x.grad == (1 - t**2)
        await pilot.press("left")
        assert x.grad == 0.0


async def test_enter_on_a_leaf_shows_the_slope_by_nudging_for_several_h() -> None:
    """The video's table (h, (f(x+h) - f(x))/h, error) in a leaf's details, at 80x24; the
    graph and the timeline are as they were after it."""
    app = ExplorerApp(evaluate("x = 3.0\nf = 3*x*x - 4*x + 5"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        x = app.explorer.program.names["x"]
        app.explorer.select_node(x)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)
        text = str(app.screen.query_one("#details-text").render())
        assert "h = 0.001:  (f(x+h) - f(x))/h = 14.003  error 0.003" in text
        assert "h = 0.0001:  (f(x+h) - f(x))/h = 14.0003  error 0.0003" in text
        await pilot.press("escape")
        assert app.explorer.stepper.position == 0 and x.data == 3.0 and x.grad == 0.0
