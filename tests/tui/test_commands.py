"""The command palette's "Open example" and "Open preset" commands."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette

import tui.app
from micrograd.expr import evaluate
from micrograd.presets import classic_neuron
from tui.app import ExplorerApp
from tui.commands import (
    PRESET_COMMANDS,
    ExamplesProvider,
    example_files,
    example_title,
    examples_dir,
    load_example,
)

REPO_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class PaletteApp(ExplorerApp):
    """The explorer with the provider installed, as the app will have it."""

    CSS_PATH = Path(tui.app.__file__).parent / "app.tcss"
    COMMANDS = ExplorerApp.COMMANDS | {ExamplesProvider}


def test_example_files_are_the_repository_examples() -> None:
    files = example_files()
    assert examples_dir() == REPO_EXAMPLES
    assert [path.name for path in files] == sorted(p.name for p in REPO_EXAMPLES.glob("*.mg"))
    assert {"neuron.mg", "reuse.mg"} <= {path.name for path in files}


def test_every_example_evaluates() -> None:
    for path in example_files():
        program = load_example(path)
        assert program.title == path.stem
        # Each example builds a real graph with at least one op, and backpropagates.
        assert program.output._prev, f"{path.name} has no op"
        program.output.backward()
        assert program.output.grad == 1.0


def test_example_title_is_the_first_comment_line(tmp_path: Path) -> None:
    assert example_title(REPO_EXAMPLES / "reuse.mg").startswith("A node used twice")
    plain = tmp_path / "plain.mg"
    plain.write_text("\n\na = 1\n# late comment\n")
    assert example_title(plain) == "plain.mg"
    assert example_title(tmp_path / "missing.mg") == "missing.mg"


def test_presets_build() -> None:
    for name, _help, make in PRESET_COMMANDS:
        program = make()
        assert program.output._prev and program.title, name
        assert len(program.names) >= 2, name


async def test_choosing_an_example_loads_it() -> None:
    app = PaletteApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space")
        provider = ExamplesProvider(app.screen)
        commands = {name: callback for name, _help, callback in provider.commands()}
        commands["Open example: reuse.mg"]()
        await pilot.pause()
        assert app.explorer.program.title == "reuse"
        assert app.explorer.program.output.label == "c"
        assert app.explorer.stepper.position == 0
        commands["Open preset: MLP 2-3-1 with an mse loss"]()
        await pilot.pause()
        assert app.explorer.program.output.label == "loss"


async def test_the_palette_finds_and_opens_an_example() -> None:
    app = PaletteApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"example reuse")
        # The palette searches in the background: wait for the hit, not for a fixed time.
        commands = app.screen.query_one(CommandList)
        for _ in range(200):
            await pilot.pause(0.02)
            if commands.highlighted is not None and "reuse" in str(
                commands.get_option_at_index(commands.highlighted).prompt
            ):
                break
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        assert app.explorer.program.title == "reuse"
        assert evaluate(app.explorer.program.source).output.data == app.explorer.program.output.data


async def test_a_broken_example_is_an_error_notification(tmp_path: Path) -> None:
    broken = tmp_path / "broken.mg"
    broken.write_text("# broken\na = 2.0\nb = a +\n")
    app = PaletteApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        old = app.explorer.program
        notes: list[tuple[str, str]] = []
        app.notify = lambda message, **options: notes.append((message, options["severity"]))
        provider = ExamplesProvider(app.screen)
        provider.open_example(broken)
        provider.open_example(tmp_path / "missing.mg")
        await pilot.pause()
        assert app.explorer.program is old
        assert [severity for _message, severity in notes] == ["error", "error"]
        assert "broken.mg:3:8: expected an expression after '+'" in notes[0][0]
        assert "missing.mg" in notes[1][0]


# --- finding nodes ------------------------------------------------------------------------


def test_find_nodes_ranks_exact_then_number_then_prefix_then_substring() -> None:
    from tui.commands import find_nodes

    names = ["x1", "w1", "x1w1", "#3", "L0.N0.w1", "ax1"]
    assert find_nodes(names, "x1") == [0, 2, 5]
    assert find_nodes(names, "X1W") == [2]  # case is ignored
    assert find_nodes(names, "#3") == [3]
    assert find_nodes(names, "4") == [4]  # a row number
    assert find_nodes(names, "w1")[:1] == [1]
    assert find_nodes(names, "") == [] and find_nodes(names, "zz") == []
    assert find_nodes(["a"] * 100, "a", limit=5) == [0, 1, 2, 3, 4]


async def test_the_palette_finds_a_node_and_selects_it() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"x1w1x2")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await pilot.pause()
        from tui.widgets.dag_canvas import DagCanvas

        assert app.explorer.stepper.names[app.query_one(DagCanvas).selected] == "x1w1x2w2"
