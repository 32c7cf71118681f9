"""The training screen, driven as a learner would: step, play and pause, back, start over,
the zero_grad bug, choosing a sample and opening its graph, and coming back."""

from __future__ import annotations

import pytest

from micrograd.train import TrainConfig, Trainer
from tui.app import ExplorerApp
from tui.screens.editor import EditorScreen
from tui.screens.train import ZERO_GRAD_OFF, TrainScreen
from tui.train_app import train_app

SMALL = TrainConfig(samples=40, sizes=(2, 8, 1), steps=30)


def shown(app: ExplorerApp, widget: str) -> str:
    return str(app.screen.query_one(f"#train-{widget}").render())


async def settle(pilot) -> None:
    await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.05)


def open_app(config: TrainConfig = SMALL) -> ExplorerApp:
    return train_app(config)


async def test_space_takes_one_step_and_the_screen_follows() -> None:
    app = open_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TrainScreen)
        assert "step 0 of 30" in shown(app, "stats")
        assert "no grads yet" in shown(app, "grads")
        await pilot.press("space")
        await settle(pilot)
        assert screen.trainer.step == 1
        expected = Trainer(SMALL)
        record = expected.train_step()
        assert screen.trainer.history == [record]
        assert "step 1 of 30" in shown(app, "stats")
        assert "param" in shown(app, "grads") and "no grads" not in shown(app, "grads")
        top_label = expected.largest_grads(1)[0][0]
        assert top_label in shown(app, "grads")


async def test_play_and_pause() -> None:
    app = open_app(TrainConfig(samples=20, sizes=(2, 4, 1), steps=10_000))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("a")
        assert screen.playing
        for _ in range(100):  # a step each 0.1 s: however busy the machine, wait for two
            await pilot.pause(0.1)
            if screen.trainer.step >= 2:
                break
        await pilot.press("a")
        await settle(pilot)
        assert not screen.playing
        paused_at = screen.trainer.step
        assert paused_at >= 2
        await pilot.pause(0.5)
        assert screen.trainer.step == paused_at  # paused means no more steps
        assert "paused" in shown(app, "stats") and f"step {paused_at} " in shown(app, "stats")


async def test_playing_stops_at_the_planned_steps() -> None:
    app = open_app(TrainConfig(samples=20, sizes=(2, 4, 1), steps=5))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.screen.speed = 0
        await pilot.press("a")
        for _ in range(50):
            await pilot.pause(0.1)
            if not app.screen.playing:
                break
        await settle(pilot)
        assert app.screen.trainer.step == 5 and not app.screen.playing
        assert "done" in shown(app, "stats")


async def test_back_and_start_over_are_exact() -> None:
    app = open_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        for _ in range(3):
            await pilot.press("space")
            await settle(pilot)
        assert screen.trainer.step == 3
        await pilot.press("backspace")
        await settle(pilot)
        expected = Trainer(SMALL)
        expected.train_step()
        expected.train_step()
        assert screen.trainer.step == 2
        assert [p.data for p in screen.trainer.parameters] == [p.data for p in expected.parameters]
        assert [p.grad for p in screen.trainer.parameters] == [p.grad for p in expected.parameters]
        await pilot.press("r")
        await settle(pilot)
        assert screen.trainer.step == 0
        assert [p.data for p in screen.trainer.parameters] == [
            p.data for p in Trainer(SMALL).parameters
        ]
        assert "started over" in shown(app, "stats")
        await pilot.press("backspace")
        await settle(pilot)
        assert "nothing to go back to" in shown(app, "stats")


async def test_the_zero_grad_toggle_shows_the_bug() -> None:
    app = open_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("z")
        assert screen.trainer.zero_grad is False
        assert "zero_grad is OFF" in shown(app, "stats")
        await pilot.press("space", "space")
        await settle(pilot)
        # grads piled up: the second step's grads are the sum of both steps' own grads
        fresh = Trainer(SMALL)
        fresh.train_step()
        first = [p.grad for p in fresh.parameters]
        fresh.train_step()
        second_alone = [p.grad for p in fresh.parameters]
        piled = [p.grad for p in screen.trainer.parameters]
        assert piled != second_alone
        assert ZERO_GRAD_OFF.split(":")[0] in shown(app, "stats")
        await pilot.press("z")
        assert screen.trainer.zero_grad is True
        assert "zero_grad is on again" in shown(app, "stats")
        assert any(a != b for a, b in zip(first, piled, strict=True))


async def test_choose_a_sample_open_its_graph_and_come_back() -> None:
    app = open_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("space")
        await settle(pilot)
        assert screen.selected == 0
        await pilot.press("right")
        moved = screen.selected
        assert moved != 0
        assert f"sample {moved}:" in screen.query_one("#train-map").border_subtitle
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not screen and not isinstance(app.screen, TrainScreen)
        title = f"sample {moved} (y = {screen.trainer.y[moved]:+d}) at step 1"
        assert app.explorer.program.title == title
        assert app.explorer.program.output.label == "loss"
        # step its backward pass: the grads the sample contributes to the next update
        await pilot.press("end")
        await settle(pilot)
        expected = screen.trainer.sample_program(moved)
        expected.output.backward()
        want = {n.label: n.grad for n in expected.names.values()}
        got = {n.label: n.grad for n in app.explorer.program.names.values()}
        assert got == pytest.approx(want)
        # and back to training where it was
        await pilot.press("T")
        await settle(pilot)
        assert app.screen is screen and screen.trainer.step == 1
        assert screen.selected == moved


async def test_a_click_on_the_map_selects_the_nearest_point() -> None:
    app = open_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        target = 7
        from tui.plot import point_cell

        grid = screen.grid
        cell = point_cell(*screen.trainer.X[target], *screen.view.ranges, len(grid[0]),
                          len(grid) // 2)
        await pilot.click("#train-map", offset=(cell[0] + 1, cell[1] + 1))
        await pilot.pause(0.05)
        chosen = screen.selected
        chosen_cell = point_cell(*screen.trainer.X[chosen], *screen.view.ranges, len(grid[0]),
                                 len(grid) // 2)
        assert chosen_cell == cell


async def test_the_explorers_keys_wait_while_training_is_shown() -> None:
    app = open_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("e", "b", "t")
        assert isinstance(app.screen, TrainScreen)
        assert not isinstance(app.screen, EditorScreen)
        await pilot.press("escape")
        await pilot.pause(0.05)
        assert not isinstance(app.screen, TrainScreen)
        await pilot.press("e")
        await pilot.pause(0.05)
        assert isinstance(app.screen, EditorScreen)


async def test_T_from_the_explorer_opens_the_demo_run() -> None:
    from micrograd.presets import classic_neuron

    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, TrainScreen)
        assert app.screen.trainer.config == TrainConfig()
        assert "training MLP 2-16-16-1 on moons" in app.screen.title


async def test_speed_keys() -> None:
    app = open_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        start = screen.speed
        await pilot.press("plus")
        assert screen.speed == max(start - 1, 0)
        await pilot.press("minus", "minus")
        assert screen.speed == start + 1
        assert "every 0.3 s" in shown(app, "stats")


async def test_help_and_the_palette_speak_of_training(said) -> None:
    from tui.screens.help import HelpScreen

    app = open_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.05)
        assert isinstance(app.screen, HelpScreen)
        from tui.screens.help import help_rows

        assert app.screen.first == "On the training screen"
        assert help_rows(app.screen.first)[0][0].startswith("On the training screen")
        await pilot.press("escape")
        await pilot.pause(0.05)
        screen = app.screen
        assert isinstance(screen, TrainScreen)
        titles = [command.title for command in app.get_system_commands(screen)]
        assert any("One training step" in title for title in titles)
        assert not any("Export the graph" in title for title in titles)


async def test_a_diverged_run_says_so() -> None:
    app = open_app(TrainConfig(samples=40, sizes=(2, 8, 1), steps=30, lr=1e30))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        for _ in range(4):
            await pilot.press("space")
            await settle(pilot)
        assert "training diverged" in shown(app, "stats")


async def test_a_sample_without_loss_is_explained(said) -> None:
    app = open_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        for _ in range(5):
            await pilot.press("space")
            await settle(pilot)
        screen = app.screen
        zero = screen.view.losses_now.index(0.0)
        screen.selected = zero
        await pilot.press("enter")
        await settle(pilot)
        assert any("loss is 0" in message for message in said(app))
        assert app.explorer.program.title.startswith(f"sample {zero} ")


async def test_at_80x24_the_curves_end_at_now_and_the_accuracy_chart_is_not_squeezed() -> None:
    """Issue 22: at 80x24 the accuracy chart had 2 rows and the loss axis's lowest label sat
    above the loss shown as "now". The curves run from step 0 to the step on screen, so the
    last point is "now"; both charts share the panel evenly."""
    from micrograd.fmt import fmt_number

    app = open_app(TrainConfig(steps=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        loss_now, _ = app.screen.trainer.loss_and_accuracy()
        curves = shown(app, "curves").splitlines()
        split = curves.index("accuracy")
        loss_rows, accuracy_rows = curves[1:split], curves[split + 1:]
        assert any(row.startswith(fmt_number(loss_now) + "┤") for row in loss_rows), loss_rows
        assert loss_rows[-1].split()[0] == "0" and accuracy_rows[-1].split()[0] == "0"
        plotted = [row for row in accuracy_rows if "┤" in row]
        assert len(plotted) >= 3 and len(accuracy_rows) >= len(loss_rows) - 1
