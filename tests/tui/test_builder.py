"""The neuron / MLP builder: field checks as plain functions, and the form driven by keys."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static, TabbedContent

from micrograd.presets import classic_neuron
from tui import cli
from tui.app import ExplorerApp
from tui.screens.builder import (
    BuilderScreen,
    FieldError,
    check_mlp,
    check_neuron,
    parse_int,
    parse_numbers,
    parse_sizes,
)

# --- the checks ---------------------------------------------------------------------------


def test_parse_numbers() -> None:
    assert parse_numbers("") is None
    assert parse_numbers(" 1, -2.5 ,3e2", 3) == [1.0, -2.5, 300.0]
    with pytest.raises(FieldError, match="expected 2 numbers, got 3"):
        parse_numbers("1,2,3", 2)
    with pytest.raises(FieldError, match="'x' is not a number"):
        parse_numbers("1,x")
    with pytest.raises(FieldError, match="empty entry at position 2 in '1,,2'"):
        parse_numbers("1,,2")
    with pytest.raises(FieldError, match="finite"):
        parse_numbers("inf")


def test_parse_int_and_sizes() -> None:
    assert parse_int(" 4 ", 1, 10) == 4
    with pytest.raises(FieldError, match="must be 1 to 10, got 11"):
        parse_int("11", 1, 10)
    assert parse_sizes("2, 4,1") == [2, 4, 1]
    for bad, message in [
        ("2,x,1", "'x' is not a whole number"),
        ("2,,1", "empty entry at position 2 in '2,,1'"),
        ("3", "give the inputs and at least one layer, like 2,1; got '3'"),
        ("2,0,1", "0 at position 2 is not between 1 and 100,000"),
        ("", "empty; write the inputs, then each layer's size, like 2,4,1"),
        ("2,²", "'²' is not a whole number"),
        ("2,1000,1000",
         "an MLP 2-1000-1000 has 1,004,000 parameters; the limit is 100,000"),
    ]:
        with pytest.raises(FieldError) as info:
            parse_sizes(bad)
        assert str(info.value) == message


@pytest.mark.parametrize("text", ["2,,1", "2,4,", "2,x,1", "2,0,1", "3", "1000,1000,1"])
def test_the_builder_and_the_command_line_refuse_sizes_alike(text: str, capsys) -> None:
    """One reader (presets.parse_sizes) for both: ``2,,1`` is refused, not read as [2, 1]."""
    message = check_mlp({"sizes": text})[1]["sizes"]
    with pytest.raises(SystemExit) as exit_:
        cli.main(["export", "--preset", "mlp", "--sizes", text])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == f"error: --preset mlp: sizes: {message}\n"


def test_check_neuron_reports_every_bad_field() -> None:
    kwargs, errors = check_neuron({
        "inputs": "3", "activation": "relu", "values": "1,2", "weights": "1,2,3",
        "bias": "b", "seed": "",
    })
    assert errors == {"values": "expected 3 numbers, got 2", "bias": "'b' is not a number"}
    assert kwargs["weights"] == [1.0, 2.0, 3.0] and kwargs["seed"] == 0


def test_check_mlp_one_target_is_a_number() -> None:
    kwargs, errors = check_mlp({"sizes": "2,4,1", "target": "0.5", "loss": "sse"})
    assert errors == {}
    assert kwargs["sizes"] == [2, 4, 1] and kwargs["target"] == 0.5 and kwargs["loss"] == "sse"
    assert check_mlp({"sizes": "2,4,2", "target": "1, 0"})[0]["target"] == [1.0, 0.0]


# --- the screen -----------------------------------------------------------------------------


def note(app: ExplorerApp, field_id: str) -> str:
    return str(app.screen.query_one(f"#{field_id}-note", Static).render())


async def open_builder(app: ExplorerApp, pilot) -> BuilderScreen:
    await pilot.press("m")
    await pilot.pause()
    assert isinstance(app.screen, BuilderScreen)
    return app.screen


async def fill(pilot, screen: BuilderScreen, field_id: str, text: str) -> None:
    field = screen.query_one(f"#{field_id}", Input)
    field.focus()
    field.value = ""
    await pilot.press(*text) if text else None
    await pilot.pause()


async def test_build_a_neuron_with_three_inputs_and_relu() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space")
        screen = await open_builder(app, pilot)
        await fill(pilot, screen, "neuron-inputs", "3")
        await fill(pilot, screen, "neuron-values", "1,2,3")
        screen.query_one("#neuron-activation", Select).value = "relu"
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not isinstance(app.screen, BuilderScreen)
        leaves = [node for node in app.explorer.stepper.order if not node._prev]
        assert sorted(node.label for node in leaves) == sorted(
            ["x1", "x2", "x3", "w1", "w2", "w3", "b"]
        )
        assert app.explorer.program.output.label == "o"
        assert app.explorer.program.output._op == "relu"
        assert [app.explorer.program.names[f"x{i}"].data for i in (1, 2, 3)] == [1.0, 2.0, 3.0]
        assert app.explorer.stepper.position == 0


async def test_bad_sizes_show_an_inline_error_and_do_not_dismiss() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        old = app.explorer.program
        screen = await open_builder(app, pilot)
        screen.query_one(TabbedContent).active = "mlp"
        await pilot.pause()
        await fill(pilot, screen, "mlp-sizes", "2,x,1")
        assert "✗ 'x' is not a whole number" in note(app, "mlp-sizes")
        await pilot.press("enter")  # enter in a field builds, and fails here
        await pilot.pause()
        assert isinstance(app.screen, BuilderScreen)
        assert app.explorer.program is old
        message = str(screen.query_one("#builder-message", Static).render())
        assert "Layer sizes: 'x' is not a whole number" in message
        assert screen.query_one("#mlp-sizes").has_focus
        # Fixing it brings the note back.
        await fill(pilot, screen, "mlp-sizes", "2,3,1")
        assert "✗" not in note(app, "mlp-sizes")


async def test_a_wrong_count_of_values_is_an_inline_error() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_builder(app, pilot)
        await fill(pilot, screen, "neuron-inputs", "2")
        await fill(pilot, screen, "neuron-weights", "1,2,3")
        assert "expected 2 numbers, got 3" in note(app, "neuron-weights")
        await pilot.click("#builder-build")
        await pilot.pause()
        assert isinstance(app.screen, BuilderScreen)


async def test_an_mlp_with_a_target_ends_in_the_loss() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_builder(app, pilot)
        screen.query_one(TabbedContent).active = "mlp"
        await pilot.pause()
        await fill(pilot, screen, "mlp-sizes", "2,4,1")
        await fill(pilot, screen, "mlp-target", "1.0")
        await pilot.click("#builder-build")
        await pilot.pause()
        assert not isinstance(app.screen, BuilderScreen)
        assert app.explorer.program.output.label == "loss"
        assert app.explorer.program.title == "MLP 2-4-1 (seed 0), mse loss"
        assert "loss" in app.title


@pytest.mark.slow
async def test_a_big_mlp_is_built_in_the_background() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_builder(app, pilot)
        screen.query_one(TabbedContent).active = "mlp"
        await pilot.pause()
        await fill(pilot, screen, "mlp-sizes", "80,80,1")
        await pilot.press("ctrl+b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, BuilderScreen)
        assert app.explorer.program.title.startswith("MLP 80-80-1")


async def test_escape_cancels() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        old = app.explorer.program
        await open_builder(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, BuilderScreen)
        assert app.explorer.program is old
