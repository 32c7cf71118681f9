"""The App as a shell of two modes, and the one path lesson events take (issue 26)."""

from __future__ import annotations

from micrograd.presets import classic_neuron
from micrograd.train import TrainConfig, Trainer
from tui.app import ExplorerApp
from tui.lessons.goals import Event
from tui.screens.explorer import ExplorerScreen
from tui.screens.help import HelpScreen
from tui.screens.train import TrainScreen

SMALL_RUN = TrainConfig(samples=20, sizes=(2, 4, 1), steps=50)


async def test_the_explorer_is_the_explore_mode_and_t_switches_to_train() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        assert app.current_mode == "explore" and app.screen is app.explorer
        assert isinstance(app.explorer, ExplorerScreen)
        await pilot.press("T")
        await pilot.pause()
        assert app.current_mode == "train" and isinstance(app.screen, TrainScreen)
        training = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "explore" and app.screen is app.explorer
        await pilot.press("T")  # the run as it was left, not a new one
        await pilot.pause()
        assert app.screen is training


async def test_the_explorers_keys_do_not_act_on_the_training_screen() -> None:
    app = ExplorerApp(classic_neuron(), trainer=Trainer(SMALL_RUN))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.current_mode == "train"
        # b (the explorer's backward jump) and f (its end) are not the training screen's
        await pilot.press("b", "f", "end")
        await pilot.pause()
        assert app.explorer.stepper.position == 0


async def test_a_box_belongs_to_the_mode_it_was_opened_in() -> None:
    app = ExplorerApp(classic_neuron(), trainer=Trainer(SMALL_RUN))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert "On the training screen" in help_screen.first
        app.switch_mode("explore")
        await pilot.pause()
        assert app.screen is app.explorer  # the training screen's help stays with it
        app.switch_mode("train")
        await pilot.pause()
        assert app.screen is help_screen


async def test_lesson_events_from_both_screens_reach_the_one_handler(monkeypatch) -> None:
    app = ExplorerApp(classic_neuron(), trainer=Trainer(SMALL_RUN))
    heard: list[tuple[str, bool]] = []
    monkeypatch.setattr(app.guide, "saw",
                        lambda event, stepper: heard.append((event.kind, stepper is not None)))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("z")  # zero_grad off, on the training screen
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("space")  # a step in the explorer
        await pilot.pause()
    assert ("zero_grad", False) in heard  # the training screen's: no timeline
    assert ("moved", True) in heard  # the explorer's, with its timeline


async def test_an_explorer_event_turns_a_lesson_page() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        app.guide.open_lesson(1, page=1)  # L = d * f, by hand: "forward L" (space x3)
        await pilot.pause()
        tour = app.guide.tour
        assert tour.page_index == 1 and tour.waiting
        app.explorer.tell_lesson(Event("collapse"))  # not what the page asks
        await pilot.pause()
        assert tour.page_index == 1
        app.explorer.stepper.seek(3)  # e, d and L computed
        app.explorer.tell_lesson(Event("moved", number=3))
        await pilot.pause()
        assert tour.page_index == 2
