"""Hardening: output files, escape sequences, tiny terminals, no terminal, the CLI contract."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cli_runner import run  # tests/tui/cli_runner.py
from textual.content import Content

from micrograd.expr import evaluate
from micrograd.files import check_output_path, write_atomic, writes_in_place
from micrograd.fmt import visible
from micrograd.presets import classic_neuron
from tui import cli
from tui.app import ExplorerApp
from tui.screens.too_small import TooSmallScreen

HOSTILE = "# T\x1b]0;PWNED\x07 [$error]X\na = 1.0\nb = a * 2\n"




# --- where -o writes --------------------------------------------------------------------


def test_a_regular_file_is_replaced_atomically(tmp_path: Path) -> None:
    target = tmp_path / "g.txt"
    target.write_text("old")
    target.chmod(0o640)
    inode = target.stat().st_ino
    assert write_atomic(target, ["new ", "text"]) == target
    assert target.read_text() == "new text"
    assert target.stat().st_ino != inode  # a new file renamed over the old one
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["g.txt"]  # no temporary file left


def test_a_symlink_keeps_being_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    real = tmp_path / "data" / "real.txt"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    written = write_atomic(link, "new")
    assert link.is_symlink() and written == real.resolve()
    assert real.read_text() == "new" and link.read_text() == "new"
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "data" / "later.txt")
    write_atomic(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "data" / "later.txt").read_text() == "made"


def test_devices_and_fifos_are_written_in_place(tmp_path: Path) -> None:
    assert writes_in_place("/dev/null") and writes_in_place("/dev/stdout")
    write_atomic("/dev/null", "nothing")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)  # still the device
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    write_atomic(fifo, "through the pipe")
    reader.join(5)
    assert received == ["through the pipe"] and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_bad_output_paths_say_why(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="is a directory"):
        check_output_path(tmp_path)
    with pytest.raises(OSError, match="does not exist"):
        check_output_path(tmp_path / "no" / "such" / "f.txt")
    with pytest.raises(OSError, match="empty"):
        check_output_path(" ")


def test_the_cli_refuses_to_write_over_its_input_unless_forced(tmp_path: Path, capsys) -> None:
    program = tmp_path / "prog.mg"
    program.write_text("a = 2.0\nb = a * a\n")
    status, _, err = run(["export", str(program), "-o", str(program)], capsys)
    assert status == 2 and "is the input program" in err and "--force" in err
    assert program.read_text() == "a = 2.0\nb = a * a\n"
    link = tmp_path / "same.mg"
    link.symlink_to(program)
    status, _, err = run(["export", str(program), "-o", str(link)], capsys)
    assert status == 2  # the same file through a link
    status, _, err = run(["export", str(program), "-o", str(program), "--force"], capsys)
    assert status == 0 and "b = 4.0" in program.read_text()


def test_the_cli_writes_to_dev_null_in_place(capsys) -> None:
    status, _, err = run(["export", "--expr", "a = 1; b = a*2", "-o", "/dev/null"], capsys)
    assert status == 0 and err == "wrote text to /dev/null\n"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# --- escape sequences -----------------------------------------------------------------------


def test_visible_shows_control_characters_one_for_one() -> None:
    text = "a\x1b[2Jb\x00c\x7fd\x9be\tf\ng"
    shown = visible(text)
    assert shown == "a␛[2Jb␀c␡d\ufffde\tf\ng" and len(shown) == len(text)


def test_cli_lines_never_carry_escape_sequences(tmp_path: Path, capsys) -> None:
    status, _, err = run(["export", str(tmp_path / "no\x1b]0;x\x07.mg")], capsys)
    assert status == 2 and "\x1b" not in err and "␛]0;x␇" in err
    status, _, err = run(["export", "--expr", "a = 1\nb = \x1b[2J"], capsys)
    assert status == 2 and "\x1b" not in err


async def test_a_hostile_comment_is_shown_not_obeyed() -> None:
    app = ExplorerApp(evaluate(HOSTILE))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "\x1b" not in app.title and "\x07" not in app.title
        assert "␛]0;PWNED␇ [$error]X" in app.title
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen.query_one("#editor-dialog")
        assert "[$error]X" in dialog.border_title  # literal, not read as markup
        area = app.screen.query_one("#editor-text")
        assert "␛" in area.get_line(0).plain and "\x1b" not in area.get_line(0).plain
        assert area.text == HOSTILE  # the program itself is unchanged


# --- tiny terminals and crashes ----------------------------------------------------------------


async def test_a_tiny_terminal_shows_a_message_instead_of_widgets() -> None:
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("space", "e", "x")  # nothing reaches the widgets beneath
        assert app.explorer.stepper.position == 0
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
        await pilot.press("space")
        assert app.explorer.stepper.position == 1


@pytest.mark.slow
async def test_the_palette_at_four_rows_and_the_recent_list_when_narrow() -> None:
    """Textual 8.2.8 raised KeyError (palette, page up at height <= 4) and ValueError (the
    editor's Recent list at width <= 23); neither may end the app."""
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.resize_terminal(80, 4)
        await pilot.press("pageup", "pagedown")
        await pilot.resize_terminal(80, 24)
        await pilot.press("escape", "e")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        for width in (23, 12, 24, 30, 80):
            await pilot.resize_terminal(width, 24 if width > 12 else 12)
            await pilot.pause()
        assert app.is_running and app.crash is None


async def test_an_unexpected_error_is_kept_for_a_one_line_report(monkeypatch) -> None:
    """``ExplorerApp._handle_exception`` wraps a private hook of Textual: if an upgrade stops
    calling it, this test fails."""
    app = ExplorerApp(classic_neuron())

    def boom() -> None:
        raise KeyError(0)

    monkeypatch.setattr(app, "action_help", boom)
    with pytest.raises(KeyError):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
    assert isinstance(app.crash, KeyError) and app.return_code == 1


# --- no terminal, and the command line's contract ----------------------------------------------


def test_without_a_terminal_the_app_says_so_and_exits_2(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # not a terminal
    status, _, err = run([], capsys)
    assert status == 2
    assert err == ("error: micrograd-tui needs a terminal (use 'micrograd-tui export' to write "
                   "the graph as text)\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--preset", "mlp", "--sizes", "-1,1"], "argument --sizes: expected one "
         "argument (a value that starts with '-' is written --sizes=-1,...)"),
        (["a.mg", "b.mg"], "unrecognized arguments: b.mg"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--expr"], "argument --expr: expected one argument"),
        (["export", "-f"], "argument -f/--format: expected one argument"),
    ],
)
def test_argument_errors_are_one_line_and_status_2(argv, message, capsys) -> None:
    status, out, err = run(argv, capsys)
    assert status == 2 and out == ""
    assert err.startswith(f"error: {message}") and err.count("\n") == 1
    assert "usage:" not in err


def test_a_closed_stdout_and_a_closed_stderr(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    status, _, err = run(["export", "--expr", "a = 1"], capsys)
    assert status == 2 and "standard output is closed" in err
    monkeypatch.undo()
    monkeypatch.setattr(sys, "stderr", None)
    status, out, _ = run(["export", "--expr", "a = "], capsys)
    assert status == 2 and out == ""  # the message had nowhere to go: not onto stdout


def test_a_reader_that_stops_early_ends_the_export_quietly(capsys, monkeypatch) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

        def fileno(self) -> int:
            return os.open(os.devnull, os.O_WRONLY)

    monkeypatch.setattr(sys, "stdout", Closed())
    status, _, err = run(["export", "--preset", "mlp"], capsys)
    assert status == 0 and err == ""


def test_content_is_literal() -> None:
    """Border titles take Content, so markup in a title is text (the guard the app uses)."""
    assert Content("[$error]X").plain == "[$error]X"


async def test_the_palette_pages_safely_even_when_only_a_few_rows_tall() -> None:
    """Even if the palette ends up open on a terminal too short for it, page up and down
    never reach Textual 8.2.8's failing page move."""
    from tui.commands import SafeCommandPalette

    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.resize_terminal(80, 3)
        await pilot.pause()
        app.push_screen(SafeCommandPalette())  # as a late key could, above the cover
        await pilot.pause()
        await pilot.press("pageup", "pagedown", "pageup")
        assert app.is_running and app.crash is None


# --- big graphs stay live ------------------------------------------------------------------


async def wait_for(pilot, condition, seconds: float = 20.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out")


async def test_a_loader_runs_behind_a_loading_screen() -> None:
    from tui.loading import LoadingScreen

    source = "x = 1.0\ny = x" + "+1" * 30 + "\n"
    app = ExplorerApp(loader=lambda progress: evaluate(source), title="chain")
    async with app.run_test(size=(80, 24)) as pilot:
        seen_loading = isinstance(app.screen, LoadingScreen)
        await wait_for(pilot, lambda: app.explorer.stepper.root.label == "y")
        assert seen_loading or app.explorer.program.title == "expression"
        assert not isinstance(app.screen, LoadingScreen)
        assert len(app.explorer.stepper.order) == 61 and "61 nodes" in app.sub_title
        await pilot.press("space")
        assert app.explorer.stepper.position == 1


async def test_a_loader_that_fails_ends_the_app_with_its_error() -> None:
    app = ExplorerApp(loader=lambda progress: evaluate("a = 1\nb = tanhh(a)"), title="bad")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: not app.is_running or app.load_error != "")
    assert "unknown function 'tanhh'" in app.load_error and app.return_code == 2


async def test_a_loader_that_breaks_ends_the_app_as_a_crash() -> None:
    """A bug in the loader (not a bad program) is a crash: status 1 and its error kept for
    the one-line report, not a loading screen forever."""
    def broken(progress):
        raise TypeError("a bug in the loader")

    app = ExplorerApp(loader=broken, title="broken")
    with pytest.raises(TypeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: not app.is_running or app.crash is not None)
    assert isinstance(app.crash, TypeError) and app.return_code == 1


QUIT_WHILE_LOADING = """
import threading
from tui.app import ExplorerApp

never = threading.Event()

def loader(progress):
    never.wait()  # a load that does not end (a long C call cannot be interrupted)

async def press_q(pilot):
    await pilot.pause()
    await pilot.press("q")

ExplorerApp(loader=loader, title="forever").run(headless=True, auto_pilot=press_q)
print("returned from run")
"""


def test_quitting_while_loading_does_not_wait_for_the_loader() -> None:
    """`q` on the loading screen ends the process although the loader thread never ends
    (Python would otherwise wait for it at exit). Without the fix this never returns: the
    timeout only bounds a hang, it does not time the quit (bench/quit_loading.py does)."""
    result = subprocess.run([sys.executable, "-c", QUIT_WHILE_LOADING], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "returned from run" not in result.stdout


async def test_a_big_graph_opens_in_a_worker(monkeypatch) -> None:
    import tui.screens.explorer

    monkeypatch.setattr(tui.screens.explorer, "OPEN_IN_WORKER_ABOVE", 10)
    program = evaluate("x = 1.0\ny = x" + "+1" * 30 + "\n")
    app = ExplorerApp(program)
    assert app.explorer.stepper.root is not program.output  # a placeholder until the worker is done
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.explorer.stepper.root is program.output)
        assert app.explorer.program is program


async def test_a_long_jump_runs_in_chunks_and_escape_stops_it(monkeypatch) -> None:
    import tui.screens.explorer

    monkeypatch.setattr(tui.screens.explorer, "SEEK_IN_CHUNKS_ABOVE", 5)
    monkeypatch.setattr(tui.screens.explorer, "SEEK_CHUNK_SECONDS", 0.0)  # one step a chunk
    app = ExplorerApp(evaluate("x = 1.0\ny = x" + "+1" * 200 + "\n"))
    async with app.run_test(size=(80, 24)) as pilot:
        stepper = app.explorer.stepper
        step = stepper.step
        subtitles = []

        def step_then_stop_at_50():
            record = step()
            subtitles.append(app.query_one("#panel").border_subtitle)
            if stepper.position == 50:
                app.explorer.action_stop()  # what escape does, pressed mid-way
            return record

        monkeypatch.setattr(stepper, "step", step_then_stop_at_50)
        await pilot.press("end")
        await wait_for(pilot, lambda: not app.explorer.seeking)
        assert stepper.position == 50 and not stepper.at_end
        assert any("going to step 401" in str(text) for text in subtitles)
        log = app.query_one("#panel")
        assert log.plain_text().startswith("forward · step 50 of 401")
        monkeypatch.setattr(stepper, "step", step)
        await pilot.press("end")
        await wait_for(pilot, lambda: not app.explorer.seeking)
        assert stepper.at_end and log.plain_text().startswith("backward · step 401 of 401")


async def test_too_many_boxes_are_not_drawn_one_by_one(monkeypatch, said) -> None:
    """Past MAX_DRAWN_BOXES no layout is made: the graph's shape is sketched whole, and
    zooming in says why it cannot."""
    import tui.screens.explorer

    monkeypatch.setattr(tui.screens.explorer, "MAX_DRAWN_BOXES", 20)
    app = ExplorerApp(evaluate("x = 1.0\ny = x" + "+1" * 30 + "\n"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        canvas = app.query_one("#canvas")
        assert app.explorer.graph_layout is None and canvas.whole
        assert "whole graph" in str(canvas.border_title)
        await pilot.press("Z")
        assert canvas.whole and any("too many to draw one by one" in m for m in said(app))
        await pilot.press("space", "end")
        await wait_for(pilot, lambda: not app.explorer.seeking)
        assert app.explorer.stepper.at_end


def test_an_app_crash_is_one_line_status_1_and_a_details_file(monkeypatch, capsys) -> None:
    """The command line's side of a crash: Textual's traceback goes to a file, one line and
    status 1 to the user (a run in a real terminal, simulated)."""
    import tui.app

    def crashing_run(self) -> None:
        self.crash = KeyError(0)
        self._return_code = 1
        self.error_console.print("Traceback (most recent call last): ... KeyError: 0")

    monkeypatch.setattr(tui.cli.explore, "is_terminal", lambda stream: True)
    monkeypatch.setattr(tui.app.ExplorerApp, "run", crashing_run)
    status, out, err = run([], capsys)
    assert status == 1 and out == ""
    assert err.startswith("micrograd-tui: unexpected error: KeyError: 0 (details in ")
    assert err.count("\n") == 1
    path = err.rsplit("details in ", 1)[1].rstrip(")\n")
    assert "Traceback" in Path(path).read_text()
    Path(path).unlink()


@pytest.mark.parametrize("output", ["prog.mg", "/dev/stdin"])
def test_the_stdin_export_over_its_own_input_is_refused(tmp_path: Path, output: str) -> None:
    """``export - -o prog.mg < prog.mg`` (issue 27.10): the file behind fd 0 is compared."""
    program = tmp_path / "prog.mg"
    program.write_text("a = 2.0\nb = a * a\n")
    with program.open("rb") as stdin:
        result = subprocess.run([sys.executable, "-m", "tui.cli", "export", "-", "-o", output],
                                stdin=stdin, cwd=tmp_path, capture_output=True, text=True,
                                timeout=60)
    assert result.returncode == 2 and "is the input program" in result.stderr
    assert result.stderr.count("\n") == 1
    assert program.read_text() == "a = 2.0\nb = a * a\n"


def test_json_on_stdin_gets_the_json_size_limit(capsys, monkeypatch) -> None:
    """A JSON export piped in may be as large as a .json file; a program may not (27.8)."""
    from micrograd.export import to_json
    from micrograd.expr import MAX_SOURCE_BYTES

    program = classic_neuron()
    text = to_json(program.output)
    padded = text[0] + " " * (MAX_SOURCE_BYTES + 10) + text[1:]
    status, out, err = run(["export", "-", "-f", "tree"], capsys, stdin=padded,
                           monkeypatch=monkeypatch)
    assert status == 0 and err == "" and "o = " in out
    status, _, err = run(["export", "-"], capsys, stdin="a = 1\n" + "#" * MAX_SOURCE_BYTES,
                         monkeypatch=monkeypatch)
    assert status == 2 and f"more than {MAX_SOURCE_BYTES:,} bytes" in err


BREAKING_LABELS = {"a": "x\ny", "b": "t\tab", "c": "l\u2028s", "d": "r\u202eo"}


async def test_line_breaks_in_json_labels_are_shown_not_obeyed() -> None:
    """A newline, tab or U+2028 in a JSON label is drawn as ␊ ␉ ␤ in every panel, never
    sent raw (issue 27.12)."""
    from micrograd import Value
    from micrograd.export import to_json
    from micrograd.fmt import visible_label
    from tui.widgets.dag_canvas import DagCanvas
    from tui.widgets.node_table import NodeTable
    from tui.widgets.step_log import StepLog

    leaves = {key: Value(float(k + 1), label=label)
              for k, (key, label) in enumerate(BREAKING_LABELS.items())}
    out = (leaves["a"] * leaves["b"] + leaves["c"]) * leaves["d"]
    out.label = "o\nut"
    program = cli.build_program(to_json(out), "g.json")
    app = ExplorerApp(program)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        for _ in range(6):
            await pilot.press("space")
        await pilot.pause()
        shown = set(app.explorer.stepper.names.values())
        assert {"x␊y", "t␉ab", "l␤s", "o␊ut"} <= shown
        assert visible_label("r\u202eo") in shown
        texts = []
        for widget in (app.query_one(DagCanvas), app.query_one(NodeTable),
                       app.query_one(StepLog)):
            texts += [widget.render_line(y).text for y in range(widget.size.height)]
        texts.append(app.title)
        joined = "\n".join(texts)
        assert "x␊y" in joined and "t␉ab" in joined
        for raw in ("\t", "\u2028", "\u202e", "\x1b"):
            assert raw not in joined
        assert not any("\n" in text for text in texts)


# --- screens that mount as the app closes (issue 27, item 6) ------------------------------


async def test_screens_whose_widgets_are_gone_mount_quietly() -> None:
    """Around a quit, a screen may get its Mount after its widgets were taken away: its
    on_mount finds nothing to query and returns, instead of raising NoMatches. (A screen
    never composed stands for one whose widgets are gone.)"""
    from tui.lessons.progress import LessonProgress
    from tui.screens.builder import BuilderScreen
    from tui.screens.lessons import LessonsScreen

    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)):
        for screen in (TooSmallScreen(), BuilderScreen(),
                       LessonsScreen([], LessonProgress(path=None))):
            assert not screen.children
            screen.on_mount()
        assert app.is_running


async def test_the_palette_search_ends_quietly_when_its_list_has_gone() -> None:
    """The palette's search worker, run after its list was removed (the palette or the app
    closing while it searched), ends without taking the app down; with its list it finds
    commands as before."""
    from textual.command import CommandList, CommandPalette

    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await pilot.press(*"help")
        commands = palette.query_one(CommandList)
        await wait_for(pilot, lambda: commands.option_count > 0)
        await commands.remove()
        palette._gather_commands("quit")
        await palette.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_a_palette_click_from_before_a_shrink_is_dropped() -> None:
    """A click read before a resize made the screen smaller lands outside it: the palette
    drops it (Textual raised NoWidget; the chaos run's seed 20009); a click on its
    background still closes it."""
    from textual import events
    from textual.command import CommandPalette

    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(132, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        palette.post_message(events.Click(palette, 21, 43, 0, 0, 1, False, False, False,
                                          screen_x=21, screen_y=43))
        await pilot.pause()
        assert app.screen is palette and app.is_running
        await pilot.click(offset=(1, 38))
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)


async def test_an_autoplay_tick_as_the_app_closes_does_nothing() -> None:
    """Autoplay's timer may fire once more while the app closes, after its widgets have
    gone (the chaos run's overflow seed 20010): the tick does nothing then."""
    app = ExplorerApp(classic_neuron())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        assert app.explorer.autoplay
    position = app.explorer.stepper.position
    app.explorer._autoplay_tick()
    assert app.explorer.stepper.position == position
