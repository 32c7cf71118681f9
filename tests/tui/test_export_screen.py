"""The export screen: formats, saving (with its errors and the overwrite question), copying,
and that exporting never disturbs the live graph or the Stepper."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Static, TextArea

from micrograd.export import FORMATS, export
from micrograd.presets import classic_neuron, mlp
from micrograd.snapshot import copy_graph
from tui.app import ExplorerApp
from tui.screens.export import PREVIEW_LINES, ConfirmOverwrite, ExportScreen, default_filename

SIZE = (100, 32)


def live_state(app: ExplorerApp) -> list[tuple[float, float]]:
    return [(node.data, node.grad) for node in app.explorer.stepper.order]


def status(screen: ExportScreen) -> str:
    return str(screen.query_one("#export-status", Static).render())


async def open_export(app: ExplorerApp, pilot) -> ExportScreen:
    await pilot.press("x")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    await ready(app, pilot)
    return screen


async def ready(app: ExplorerApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def choose(app: ExplorerApp, pilot, screen: ExportScreen, fmt: str) -> None:
    screen.choose(fmt)
    await pilot.pause()
    await ready(app, pilot)
    assert screen.fmt == fmt


async def set_path(pilot, screen: ExportScreen, path: Path | str) -> None:
    screen.query_one("#export-path", Input).value = str(path)
    await pilot.pause()


# --- the copy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "fmt", "name"),
    [
        ("classic neuron", "text", "classic-neuron.txt"),
        ("classic neuron", "tree", "classic-neuron.tree.txt"),
        ("classic neuron", "trace", "classic-neuron.trace.txt"),
        ("classic neuron", "mermaid", "classic-neuron.mmd"),
        ("MLP 2-3-1 (seed 0), mse loss", "json", "MLP-2-3-1-seed-0-mse-loss.json"),
        ("../../etc/passwd", "dot", "etc-passwd.dot"),
        ("???", "graphml", "graph.graphml"),
    ],
)
def test_default_filenames_are_safe_and_per_format(title: str, fmt: str, name: str) -> None:
    assert default_filename(title, fmt) == name


# --- the screen -------------------------------------------------------------------------


async def test_x_opens_the_export_with_a_text_preview_and_escape_closes_it() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        preview = screen.query_one("#export-preview", TextArea)
        assert preview.text == export(classic_neuron().output, "text")
        assert screen.query_one("#export-path", Input).value == "classic-neuron.txt"
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)


@pytest.mark.slow
async def test_saving_each_format_writes_exactly_the_export_of_a_copy(tmp_path: Path) -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "b", "space", "space")  # some grads arrived, not all
        expected_root = copy_graph(app.explorer.program.output)
        screen = await open_export(app, pilot)
        for fmt in FORMATS:
            await choose(app, pilot, screen, fmt)
            target = tmp_path / f"out-{fmt}"
            await set_path(pilot, screen, target)
            screen.query_one("#export-preview").focus()
            await pilot.press("s")
            await ready(app, pilot)
            assert target.read_text(encoding="utf-8") == export(expected_root, fmt), fmt
            assert "saved" in status(screen)


async def test_enter_in_the_path_saves_and_the_extension_follows_the_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        path_input = screen.query_one("#export-path", Input)
        await pilot.press("right", "right")  # the format tabs have focus: text -> tree -> dot
        await ready(app, pilot)
        assert screen.fmt == "dot"
        assert path_input.value == "classic-neuron.dot"
        path_input.focus()
        await pilot.press("enter")
        await ready(app, pilot)
        assert (tmp_path / "classic-neuron.dot").read_text() == export(
            copy_graph(app.explorer.program.output), "dot"
        )
        # A name the learner typed keeps its stem when the format changes.
        path_input.value = "mine.dot"
        screen.choose("json")
        await pilot.pause()
        assert path_input.value == "mine.json"


async def test_s_typed_in_the_path_is_text_not_save(tmp_path: Path) -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        path_input = screen.query_one("#export-path", Input)
        path_input.value = ""
        path_input.focus()
        await pilot.press("s", "y")
        assert path_input.value == "sy"
        assert status(screen) == ""


async def test_run_backward_first_exports_full_gradients(tmp_path: Path) -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        assert "grad 1.0" not in screen.query_one("#export-preview", TextArea).text
        await pilot.press("b")
        await ready(app, pilot)
        assert screen.query_one("#export-backward", Checkbox).value
        full = classic_neuron()
        full.output.backward()
        assert screen.query_one("#export-preview", TextArea).text == export(full.output, "text")
        target = tmp_path / "full.txt"
        await set_path(pilot, screen, target)
        await pilot.click("#export-save")
        await ready(app, pilot)
        assert target.read_text() == export(full.output, "text")
        assert app.explorer.stepper.position == 0
        assert all(node.grad == 0.0 for node in app.explorer.stepper.order)


async def test_a_directory_path_shows_an_error_and_writes_nothing(tmp_path: Path) -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        for bad, words in [
            (tmp_path, "is a directory"),
            (tmp_path / "missing" / "g.txt", "does not exist"),
            ("", "empty"),
        ]:
            await set_path(pilot, screen, bad)
            await pilot.press("s")
            await ready(app, pilot)
            assert words in status(screen)
            assert screen.query_one("#export-status").has_class("-error")
            assert isinstance(app.screen, ExportScreen)
        assert list(tmp_path.iterdir()) == []


async def test_an_unwritable_folder_shows_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    # Pretend the folder is read-only (a real chmod does not stop root, who may run tests).
    monkeypatch.setattr(
        os, "access", lambda path, mode: Path(path) != locked and real_access(path, mode)
    )
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        await set_path(pilot, screen, locked / "g.txt")
        await pilot.press("s")
        await ready(app, pilot)
        assert "not writable" in status(screen)
        assert list(locked.iterdir()) == []


async def test_a_failed_write_is_reported_and_the_app_stays_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui.screens.export.write_atomic", disk_full)
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        await set_path(pilot, screen, tmp_path / "g.txt")
        await pilot.press("s")
        await ready(app, pilot)
        assert "No space left" in status(screen)
        assert app.screen is screen


async def test_an_existing_file_is_overwritten_only_after_yes(tmp_path: Path) -> None:
    target = tmp_path / "g.txt"
    target.write_text("keep me\n")
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        await set_path(pilot, screen, target)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmOverwrite)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        assert target.read_text() == "keep me\n"
        assert "kept" in status(screen)

        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmOverwrite)
        await pilot.press("escape")
        await pilot.pause()
        assert target.read_text() == "keep me\n"

        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")  # the focused button is "keep it"
        await pilot.pause()
        assert target.read_text() == "keep me\n"

        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await ready(app, pilot)
        assert app.screen is screen
        assert target.read_text() == export(classic_neuron().output, "text")
        assert "saved" in status(screen)


async def test_exporting_trace_leaves_the_live_graph_and_the_stepper_alone(
    tmp_path: Path,
) -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "space", "space")
        position = app.explorer.stepper.position
        before = live_state(app)
        history = list(app.explorer.stepper.history)
        screen = await open_export(app, pilot)
        await choose(app, pilot, screen, "trace")
        assert screen.query_one("#export-backward", Checkbox).disabled
        target = tmp_path / "trace.txt"
        await set_path(pilot, screen, target)
        await pilot.press("s")
        await ready(app, pilot)
        assert target.read_text() == export(classic_neuron().output, "trace")
        await pilot.press("b")  # no effect on trace: it is the whole lesson anyway
        await ready(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.explorer.stepper.position == position
        assert app.explorer.stepper.history == history
        assert live_state(app) == before


async def test_copy_puts_the_whole_export_on_the_clipboard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = ExplorerApp(classic_neuron())
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        await choose(app, pilot, screen, "mermaid")
        await pilot.press("y")
        await pilot.pause()
        assert copied == [export(classic_neuron().output, "mermaid")]
        assert "copied" in status(screen)
        await pilot.click("#export-copy")
        await pilot.pause()
        assert len(copied) == 2


async def test_a_big_graph_previews_only_the_first_lines(tmp_path: Path) -> None:
    program = mlp([8, 16, 16, 1], target=1.0)
    app = ExplorerApp(program)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        await choose(app, pilot, screen, "trace")
        preview = screen.query_one("#export-preview", TextArea)
        assert preview.document.line_count <= PREVIEW_LINES + 1
        assert f"first {PREVIEW_LINES:,}" in str(preview.border_subtitle)
        target = tmp_path / "big.txt"
        await set_path(pilot, screen, target)
        await pilot.press("s")
        await ready(app, pilot)
        text = target.read_text()
        assert text == export(program.output, "trace")
        assert text.count("\n") > PREVIEW_LINES


async def test_save_pressed_while_generating_saves_when_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def slow_export(root, fmt):  # a big graph: the worker is still busy when Save comes
        release.wait(timeout=10)
        return export(root, fmt)

    monkeypatch.setattr("tui.screens.export.export", slow_export)
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert "generating" in str(screen.query_one("#export-preview").border_subtitle)
        target = tmp_path / "early.txt"
        await set_path(pilot, screen, target)
        await pilot.press("s")
        assert "still generating" in status(screen)
        assert not target.exists()
        release.set()
        await ready(app, pilot)
        assert target.read_text() == export(classic_neuron().output, "text")
        assert "saved" in status(screen)


async def test_an_export_that_fails_is_shown_and_nothing_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(root, fmt):
        raise RuntimeError("the exporter broke")

    monkeypatch.setattr("tui.screens.export.export", broken)
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        assert "the exporter broke" in status(screen)
        await set_path(pilot, screen, tmp_path / "g.txt")
        await pilot.press("s")
        await ready(app, pilot)
        assert "cannot export" in status(screen)
        assert list(tmp_path.iterdir()) == []
        assert app.screen is screen


async def test_brackets_cycle_the_format_from_anywhere_but_the_path() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        screen.query_one("#export-preview").focus()
        await pilot.press("right_square_bracket")
        await ready(app, pilot)
        assert screen.fmt == "tree"
        await pilot.press("left_square_bracket", "left_square_bracket")
        await ready(app, pilot)
        assert screen.fmt == list(FORMATS)[-1]
        assert screen.query_one("#export-preview", TextArea).text == export(
            classic_neuron().output, screen.fmt
        )


async def test_in_a_browser_save_copy_and_screenshots_go_to_the_browser(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Under ``micrograd-tui serve`` nothing is written on the server: each is delivered."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(ExplorerApp, "is_web", property(lambda self: True))
    app = ExplorerApp(classic_neuron())
    delivered: list[tuple[str, str]] = []
    screenshots: list[str] = []

    def deliver_text(file, *, save_filename=None, **kwargs):
        delivered.append((save_filename, file.read()))

    monkeypatch.setattr(app, "deliver_text", deliver_text)
    monkeypatch.setattr(app, "deliver_screenshot", lambda filename=None, **kw:
                        screenshots.append(filename))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        await choose(app, pilot, screen, "dot")
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert delivered == [("classic-neuron.dot", export(classic_neuron().output, "dot"))] * 2
        assert "sent dot" in status(screen)
        await pilot.press("escape")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(screenshots) == 1 and screenshots[0].endswith(".svg")
    assert list(tmp_path.iterdir()) == []  # nothing written where the server runs
