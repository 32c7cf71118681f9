"""The bug switch (B, the palette's ``bug: …``) and setting a leaf's value (s), driven with
Pilot as a learner would. The expected numbers are worked out here by hand (closed forms
of f = a*b*(a + b)), not taken from the engine being tested."""

from __future__ import annotations

import math

import pytest

from micrograd import Value
from micrograd.bugs import EQUALS, NO_ZERO_GRAD, ORDER, BuggyStepper
from micrograd.expr import Program, evaluate
from micrograd.stepper import Stepper
from tui.app import ExplorerApp
from tui.screens.gradcheck import GradCheckScreen
from tui.screens.set_value import SetValueScreen
from tui.widgets.node_table import NodeTable
from tui.widgets.step_log import StepLog

LESSON4 = """
a = -2.0
b = 3.0
d = a*b
e = a + b
f = d*e
"""


def app_on(text: str = LESSON4) -> ExplorerApp:
    return ExplorerApp(evaluate(text, filename="hunt.mg"))


def node(app: ExplorerApp, name: str):
    return next(n for n in app.explorer.stepper.order if app.explorer.stepper.names[n] == name)


def grads(app: ExplorerApp) -> dict[str, float]:
    return {app.explorer.stepper.names[n]: n.grad for n in app.explorer.stepper.order}


def state(app: ExplorerApp) -> list[tuple[float, float]]:
    return [(n.data, n.grad) for n in app.explorer.stepper.order]


def table_row(app: ExplorerApp, name: str) -> str:
    table = app.query_one(NodeTable)
    row = table.row_of[node(app, name)]
    return table.render_line(row + 1 - int(table.scroll_offset.y)).text


def log(app: ExplorerApp) -> str:
    return app.query_one(StepLog).plain_text()


async def test_B_runs_each_bug_and_off_restores_the_true_run() -> None:
    app = app_on()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f")  # to the end: the true grads
        true = state(app)
        assert (grads(app)["a"], grads(app)["b"]) == (-3.0, -8.0)  # 2ab + b², a² + 2ab
        assert "bug:" not in app.title

        await pilot.press("B")
        assert app.explorer.bug == EQUALS and isinstance(app.explorer.stepper, BuggyStepper)
        assert app.title.endswith("bug: = instead of +=")
        # back to the seed, to watch the backward pass with the bug
        assert app.explorer.stepper.position == app.explorer.stepper.forward_steps + 1
        await pilot.press("f")
        # d's step (b * 1, a * 1) overwrote e's (d * 1 = -6 each)
        assert (grads(app)["a"], grads(app)["b"]) == (3.0, -2.0)
        assert "(a.grad: -6.0 → 3.0, lost -6.0)" in log(app)
        assert "a.grad = dd/da * d.grad" in log(app)
        assert "3.0 (true -3.0)" in table_row(app, "a")
        assert "-2.0 (true -8.0)" in table_row(app, "b")
        assert "true" not in table_row(app, "d")  # d.grad = e = 1.0 is right
        # the log says it too, where the table is hidden (a lesson at 80 columns)
        assert "the bug's grads: a.grad 3.0 (true -3.0), b.grad -2.0 (true -8.0)" in log(app)

        await pilot.press("B", "f")
        assert app.explorer.bug == ORDER and app.title.endswith("bug: backward in the wrong order")
        # creation order: d and e pass back before f has given them their grads
        assert (grads(app)["a"], grads(app)["b"]) == (0.0, 0.0)
        assert (grads(app)["d"], grads(app)["e"]) == (1.0, -6.0)
        app.query_one(StepLog).show()
        await pilot.press("b", "space")  # the seed, then d's step: first in creation order
        assert "d.grad lacks f's share: not there yet" in log(app)

        await pilot.press("B", "f")
        assert app.explorer.bug == NO_ZERO_GRAD and app.title.endswith("bug: no zero_grad")
        # pass 2 starts from pass 1's grads: d.grad = 2e, e.grad = 2d, a = -3 + 2d + 2e*b
        assert [grads(app)[k] for k in "abdef"] == [-9.0, -24.0, 2.0, -12.0, 1.0]
        assert "-9.0 (true -3.0)" in table_row(app, "a")

        await pilot.press("B", "f")
        assert app.explorer.bug is None and "bug:" not in app.title
        assert type(app.explorer.stepper) is Stepper
        assert state(app) == true
        assert "true" not in table_row(app, "a")


@pytest.mark.slow
async def test_off_restores_the_true_run_exactly_at_every_place() -> None:
    app = app_on()
    async with app.run_test(size=(100, 32)) as pilot:
        reference = Stepper(app.explorer.program.output)
        total = len(reference)
        reference_states = []
        for position in range(total + 1):
            reference.seek(position)
            reference_states.append(([(n.data, n.grad) for n in reference.order],
                                      [line for r in reference.history for line in r.lines]))
        seed = reference.forward_steps + 1
        for position in range(total + 1):
            for bug in (EQUALS, ORDER, NO_ZERO_GRAD):
                app.explorer.stepper.seek(position)
                app.explorer.set_bug(bug)  # on and at once off: where the true run would be
                app.explorer.set_bug(None)
                await pilot.pause()
                place = min(position, seed)
                assert app.explorer.stepper.position == place
                assert state(app) == reference_states[place][0]
                app.explorer.set_bug(bug)
                await pilot.pause()
                # the whole buggy run, then off
                app.explorer.stepper.seek(len(app.explorer.stepper))
                app.explorer.set_bug(None)
                await pilot.pause()
                # the buggy pass had begun: off starts the true one again from the seed...
                assert app.explorer.stepper.position == seed
                # ...and every place of the true run is as it was, line for line
                app.explorer.stepper.seek(position)
                expected = reference_states[position]
                lines = [line for r in app.explorer.stepper.history for line in r.lines]
                assert (state(app), lines) == expected, (position, bug)


async def test_the_gradient_check_fails_with_a_bug_on_and_passes_with_it_off() -> None:
    app = app_on()
    async with app.run_test(size=(120, 40)) as pilot:
        for bug, ok in ((None, True), (EQUALS, False), (ORDER, False), (NO_ZERO_GRAD, False)):
            app.explorer.set_bug(bug)
            await pilot.press("g")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, GradCheckScreen) and screen.done
            verdicts = {leaf.name: leaf.ok for leaf in screen.leaves}
            expected = dict.fromkeys("ab", True) if ok else dict.fromkeys("ab", False)
            assert verdicts == expected, bug
            await pilot.press("escape")


@pytest.mark.slow
async def test_the_palette_names_each_bug() -> None:
    app = app_on()
    async with app.run_test(size=(100, 32)) as pilot:
        for words, bug in (("bug: no zero_grad", NO_ZERO_GRAD),
                           ("bug: backward in the wrong order", ORDER),
                           ("bug: = instead of +=", EQUALS), ("bug: off", None)):
            await pilot.press("ctrl+p")
            await pilot.pause(0.2)
            await pilot.press(*words)
            await pilot.pause(0.4)
            await pilot.press("enter")
            await pilot.pause()
            assert app.explorer.bug == bug, words


async def test_a_new_graph_opens_with_the_bug_off() -> None:
    app = app_on()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("B")
        assert app.explorer.bug == EQUALS
        app.explorer.load_program(evaluate("x = 2.0\ny = x*x", filename="sq.mg"))
        await pilot.pause()
        assert app.explorer.bug is None and "bug:" not in app.title


async def test_a_custom_op_keeps_the_bug_off_with_a_warning(monkeypatch) -> None:
    x = Value(0.5, label="x")
    out = Value(math.tanh(0.5), (x,), "tanh2")
    out.label = "o"

    def _backward() -> None:
        x.grad += (1 - out.data**2) * out.grad

    out._backward = _backward
    app = ExplorerApp(Program.of_graph(out, "custom"))
    said: list[str] = []
    monkeypatch.setattr(app.explorer, "say", lambda text, **kwargs: said.append(text))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("B")
        assert app.explorer.bug is None and type(app.explorer.stepper) is Stepper
        assert said and "op of your own" in said[-1] and "\n" not in said[-1]


# --- set a value ----------------------------------------------------------------------------


async def set_to(pilot, text: str) -> None:
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SetValueScreen)
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


async def test_s_sets_a_leaf_and_the_graph_computes_forward_again() -> None:
    app = app_on()
    async with app.run_test(size=(100, 32)) as pilot:
        app.explorer.select_node(node(app, "a"))
        await set_to(pilot, "1/2")
        a, f = node(app, "a"), node(app, "f")
        assert a.data == 0.5
        assert f.data == 0.5 * 3.0 * 3.5  # ab(a + b)
        # forward done, backward not begun: no grad shown yet
        assert app.explorer.stepper.position == app.explorer.stepper.forward_steps
        assert a.grad == 0.0
        assert "set a: -2.0 → 0.5; f: -6.0 → 5.25" in log(app)


async def test_s_after_backward_recomputes_the_grads_and_u_undoes() -> None:
    app = app_on()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f")
        app.explorer.select_node(node(app, "a"))
        await set_to(pilot, "1")
        assert app.explorer.stepper.at_end
        assert (grads(app)["a"], grads(app)["b"]) == (2 * 1 * 3 + 9, 1 + 2 * 1 * 3)
        await pilot.press("u")
        assert node(app, "a").data == -2.0 and node(app, "f").data == -6.0


async def test_a_malformed_value_says_so_in_one_line_and_changes_nothing() -> None:
    app = app_on()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f")
        before = state(app)
        app.explorer.select_node(node(app, "b"))
        for text in ("2 +", "b", "1/0", "import os"):
            await set_to(pilot, text)
            screen = app.screen
            assert isinstance(screen, SetValueScreen), text  # still asking
            error = str(screen.query_one("#set-error").render())
            assert error and "\n" not in error, text
            assert state(app) == before
            await pilot.press("escape")
            await pilot.pause()
        assert not isinstance(app.screen, SetValueScreen)
        assert state(app) == before and app.explorer.stepper.at_end


async def test_s_on_an_op_node_is_refused() -> None:
    app = app_on()
    async with app.run_test(size=(100, 32)) as pilot:
        app.explorer.select_node(node(app, "f"))
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, SetValueScreen)


async def test_a_set_value_keeps_the_bug_on() -> None:
    app = app_on()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("B", "f")
        app.explorer.select_node(node(app, "a"))
        await set_to(pilot, "1")
        assert app.explorer.bug == EQUALS and app.explorer.stepper.at_end
        # = for +=: a keeps d's share only, b * d.grad = b * e = 3 * 4; true: 2ab + b² = 15
        assert grads(app)["a"] == 12.0
        assert "12.0 (true 15.0)" in table_row(app, "a")


async def test_bug_and_set_value_under_no_color(monkeypatch) -> None:
    """The learner's NO_COLOR: the set-value box and a bug's table open and draw."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await pilot.press("B", "end")
        await pilot.pause()
        assert "3.0 (true -3.0)" in table_row(app, "a")
        app.explorer.select_node(node(app, "a"))
        await set_to(pilot, "oops")
        assert isinstance(app.screen, SetValueScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code in (None, 0) and app.crash is None
