"""The expression editor, driven as a learner would: edit, see errors, build, cancel, reload."""

from __future__ import annotations

from textual.widgets import Select, Static

from micrograd.expr import evaluate
from micrograd.presets import classic_neuron, mlp
from tui.app import ExplorerApp
from tui.screens.editor import (
    CHECK_DELAY,
    LIVE_CHECK_LIMIT,
    NO_CHOICE,
    EditorScreen,
    ProgramArea,
    caret_lines,
    initial_text,
    program_title,
)

NEW_PROGRAM = "# doubled\na = 3.0\nb = a * 2\nc = b + 1\n"
BROKEN_PROGRAM = "a = 2.0\nn = a*w3\n"


def status(app: ExplorerApp) -> str:
    return str(app.screen.query_one("#editor-status", Static).render())


async def open_editor(app: ExplorerApp, pilot) -> ProgramArea:
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, EditorScreen)
    return app.screen.query_one(ProgramArea)


async def type_text(pilot, area: ProgramArea, text: str) -> None:
    """Replace the whole text as typing would (one edit, then the check delay passes)."""
    area.replace(text, (0, 0), area.document.end)
    await pilot.pause(CHECK_DELAY + 0.2)


def test_caret_lines_point_at_the_column() -> None:
    assert caret_lines("n = x1*w3", 8) == ("n = x1*w3", "       ^")
    line, caret = caret_lines("x" * 200 + "?", 201, width=40)
    assert len(line) == 40 and line.startswith("…")
    assert line[caret.index("^")] == "?"


def test_a_program_without_source_gets_an_example_to_edit() -> None:
    program = mlp([2, 3, 1])
    text = initial_text(program)
    assert "MLP 2-3-1" in text and "no" in text
    assert evaluate(text).output.label == "d"


def test_title_kept_for_unchanged_text_else_first_comment() -> None:
    base = classic_neuron()
    assert program_title(base.source, evaluate(base.source), base) == "classic neuron"
    assert program_title(NEW_PROGRAM, evaluate(NEW_PROGRAM), base) == "doubled"
    assert program_title("a = 1; b = a*a", evaluate("a = 1; b = a*a"), base) == "edited program"


async def test_the_editor_holds_the_program_source() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        area = await open_editor(app, pilot)
        assert area.text == app.explorer.program.source
        assert area.has_focus
        assert status(app).startswith("ok")


async def test_build_replaces_the_graph_and_resets_the_timeline() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space", "space")
        assert app.explorer.stepper.position == 2
        area = await open_editor(app, pilot)
        await type_text(pilot, area, NEW_PROGRAM)
        assert "output c = 7.0" in status(app)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not isinstance(app.screen, EditorScreen)
        assert app.explorer.program.output.data == 7.0
        assert app.explorer.program.output.label == "c"
        assert app.explorer.program.title == "doubled"
        assert app.explorer.stepper.position == 0
        assert app.explorer.stepper.root is app.explorer.program.output


async def test_the_build_button_builds_too() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        area = await open_editor(app, pilot)
        await type_text(pilot, area, NEW_PROGRAM)
        await pilot.click("#editor-build")
        await pilot.pause()
        assert app.explorer.program.output.data == 7.0


async def test_an_error_shows_where_and_a_failed_build_changes_nothing() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        old = app.explorer.program
        area = await open_editor(app, pilot)
        await type_text(pilot, area, BROKEN_PROGRAM)
        shown = status(app)
        assert "line 2, col 7: unknown name 'w3'" in shown
        assert "n = a*w3\n        ^" in shown  # the caret under w3, after a 2-space indent
        assert area.error_at == (1, 6)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.explorer.program is old
        assert area.cursor_location == (1, 6)  # a failed build puts the cursor on the error
        # Fixing the text clears the mark.
        await type_text(pilot, area, "a = 2.0\nw3 = 1.5\nn = a*w3\n")
        assert area.error_at is None
        assert status(app).startswith("ok")


async def test_errors_update_while_typing_with_keys() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        area = await open_editor(app, pilot)
        area.move_cursor(area.document.end)
        await pilot.press(*"p = tanhh(o)")
        await pilot.pause(CHECK_DELAY + 0.2)
        assert "line 9, col 5: unknown function 'tanhh'" in status(app)
        await pilot.press("left", "left", "left", "left", "backspace")
        await pilot.pause(CHECK_DELAY + 0.2)
        assert "output p" in status(app)


async def test_escape_cancels() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        old = app.explorer.program
        area = await open_editor(app, pilot)
        await type_text(pilot, area, NEW_PROGRAM)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EditorScreen)
        assert app.explorer.program is old


async def test_a_recent_program_can_be_reloaded() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        app.explorer.load_program(evaluate(NEW_PROGRAM))
        assert [p.title for p in app.explorer.recent] == ["doubled", "classic neuron"]
        area = await open_editor(app, pilot)
        assert area.text == NEW_PROGRAM
        # ctrl+r opens the list: the prompt, then "doubled", then the classic neuron.
        await pilot.press("ctrl+r")
        select = app.screen.query_one("#editor-recent", Select)
        assert select.expanded
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert area.text == classic_neuron().source
        assert select.value is NO_CHOICE
        assert status(app).startswith("ok")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.explorer.program.title == "classic neuron"
        assert app.explorer.program.output.label == "o"


async def test_a_program_without_source_opens_with_the_example() -> None:
    app = ExplorerApp(mlp([2, 3, 1]))
    async with app.run_test(size=(100, 32)) as pilot:
        area = await open_editor(app, pilot)
        assert area.text == initial_text(app.explorer.program)
        assert status(app).startswith("ok")


def long_program(lines: int, broken: bool = False) -> str:
    body = ["a0 = 1.0"] + [f"a{i} = a{i - 1} * 1.0001" for i in range(1, lines)]
    if broken:
        body.append("z = a0 +")
    return "\n".join(body) + "\n"


async def test_a_long_program_is_checked_and_built_in_the_background() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        old = app.explorer.program
        area = await open_editor(app, pilot)
        text = long_program(1500, broken=True)
        assert len(text) > LIVE_CHECK_LIMIT
        await type_text(pilot, area, text)
        assert "too long to check while typing" in status(app)
        await pilot.press("ctrl+b")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        assert app.explorer.program is old
        assert f"line {1501}, col 9: expected an expression after '+'" in status(app)
        await type_text(pilot, area, long_program(1500))
        await pilot.press("ctrl+b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, EditorScreen)
        assert app.explorer.program.output.label == "a1499"
        assert app.explorer.stepper.position == 0


async def test_unused_names_are_a_warning_that_still_builds() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        area = await open_editor(app, pilot)
        await type_text(pilot, area, "a = 1.0\nw3 = 2.0\nc = a * 3")
        text = status(app)
        assert text.startswith("ok · 3 nodes")
        assert "⚠ w3 is not used by the output c" in text
        assert app.screen.query_one("#editor-status", Static).has_class("-warning")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.explorer.program.output.label == "c"


async def test_the_editor_takes_the_videos_python() -> None:
    """Pasted from the video: labels kept, Python that is not understood gets the hint."""
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        area = await open_editor(app, pilot)
        await type_text(pilot, area, (
            "from micrograd.engine import Value\n"
            "a = Value(2.0, label='a')\n"
            "b = Value(-3.0, label='b')\n"
            "e = a*b; e.label = 'e'\n"
            "d = e + Value(10.0, label='c'); d.label = 'd'\n"
            "L = d * Value(-2.0, label='f'); L.label = 'L'\n"
            "L.backward()\n"
        ))
        assert "output L = -8.0" in status(app)
        await type_text(pilot, area, "a = Value(2.0)\nif a:\n")
        assert "'if' is not understood here" in status(app)
        assert "this text is read, not run" in status(app)
        await type_text(
            pilot, area, "from micrograd.engine import Value\na = Value(2.0)\nb = a.exp()\n"
        )
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not isinstance(app.screen, EditorScreen)
        assert app.explorer.program.output.label == "b"
        assert {node.label for node in app.explorer.stepper.order} == {"a", "b"}


async def test_pasted_cells_show_their_skipped_lines_dimmed_and_listed() -> None:
    """Notebook cells pasted one after another: names bound again build, and every line read
    and not run is listed under the text and dimmed in it; an error clears the marks."""
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(100, 32)) as pilot:
        area = await open_editor(app, pilot)
        await type_text(pilot, area, (
            "import math\n"
            "a = Value(2.0); a.grad = 1.0\n"
            "b = a * 3\n"
            "b\n"
            "a = Value(-1.0)\n"
            "c = a + b\n"
            "c += 1\n"
        ))
        text = status(app)
        assert text.startswith("ok · 7 nodes · output c = 6.0")
        assert "skipped, not run: lines 1-2, 4 (dimmed)" in text
        assert area.skipped == {0: [(0, 11)], 1: [(16, 28)], 3: [(0, 1)]}
        dim = area.get_component_rich_style("program-area--skipped")
        spans = [(span.start, span.end) for span in area.get_line(1).spans if span.style == dim]
        assert spans == [(16, 28)]  # only the grad by hand, not a = Value(2.0)
        await type_text(pilot, area, "import os\n")
        assert "only imports of micrograd" in status(app) and area.skipped == {}
        await type_text(pilot, area, "x1, x2 = Value(1.0), Value(2.0)\nz = x1 * x2\nz **= 2\n")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.explorer.program.output.label == "z" and app.explorer.program.output.data == 4.0
        stepper = app.explorer.stepper
        assert [stepper.names[n] for n in stepper.order] == ["x1", "x2", "z@2", "2.0", "z"]


async def test_ctrl_a_selects_all_and_ctrl_l_clears_and_the_footer_says_so() -> None:
    """The issue: ctrl+a only moved to the line's start and select-all (F7) was secret. At
    80x24 the footer names both keys; typing over a select-all replaces the program."""
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        area = await open_editor(app, pilot)
        footer = {binding.key for (_, binding, enabled, _) in app.screen.active_bindings.values()
                  if binding.show}
        assert {"ctrl+a", "ctrl+l"} <= footer
        await pilot.press("ctrl+a")
        assert area.selected_text == area.text
        await pilot.press(*"x = 2.0", "enter", *"y = x*x")
        await pilot.pause(CHECK_DELAY + 0.2)
        assert area.text == "x = 2.0\ny = x*x" and "output y = 4.0" in status(app)
        await pilot.press("home")  # still the line's start
        assert area.cursor_location == (1, 0)
        await pilot.press("ctrl+l")
        assert area.text == "" and area.has_focus
        await pilot.press("ctrl+z")
        assert area.text == "x = 2.0\ny = x*x"
