"""Bytes no terminal should send (not UTF-8, absurd escape parameters) on the app's input:
survived, or at worst a reported crash, never a silent exit (tui/input_guard.py)."""

from __future__ import annotations

import os
import re
import select
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual import events
from textual._xterm_parser import XTermParser

from tui.input_guard import ForgivingParser

pty = pytest.importorskip("pty")
termios = pytest.importorskip("termios")
fcntl = pytest.importorskip("fcntl")

REPO = Path(__file__).resolve().parent.parent.parent
BAD_INPUT = [b"\x80", b"\x1b[999999999999999999A", b"\x1b[9999999999u", b"\x1b[1114112u",
             b"\xff\xfe\x1b[<0;99999999999999;1M", b"\x1b[200~\x80paste\x1b[201~"]
ABSURD_SEQUENCES = ["\x1b[9999999999u", "\x1b[1114112u", "\x1b[1;2:3:9999999999u"]


def keys(parser: XTermParser, text: str) -> list[str]:
    return [event.key for event in parser.feed(text) if isinstance(event, events.Key)]


@pytest.mark.parametrize("sequence", ABSURD_SEQUENCES)
def test_the_parser_drops_what_it_cannot_parse_and_reads_on(sequence: str) -> None:
    # Textual 8.2.8 raises on each: the guard's reason. An older Textual (the lowest
    # declared) reads some without raising, its own way: then the guard has nothing to do.
    try:
        keys(XTermParser(), sequence)
    except (ValueError, OverflowError):
        pass
    else:
        pytest.skip("this Textual's parser takes the sequence without raising")
    parser = ForgivingParser()
    assert keys(parser, sequence + "xy") == ["x", "y"]  # the keys after it, in one read
    assert keys(parser, "ab") == ["a", "b"]


class Terminal:
    """The command in a pseudo-terminal of 80x24: what it wrote, and its exit status.

    The command is started with ``subprocess``, not ``pty.fork``: a fork of this process,
    which may have threads by then (pytest-xdist's, a test's), can deadlock in the child
    before it execs (Python 3.12 and newer warn of it)."""

    def __init__(self, code: str) -> None:
        self.fd, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen([sys.executable, "-c", code], cwd=REPO,
                                        stdin=terminal, stdout=terminal, stderr=terminal,
                                        start_new_session=True)
        os.close(terminal)  # the app's end: the app holds it now
        self.out = b""

    def wait_for(self, pattern: bytes, seconds: float = 60, since: int = 0) -> bool:
        """Read until ``pattern`` is written (True), the app ends or the time is up; only what
        was written after the first ``since`` bytes counts."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return False
                if not chunk:
                    return False
                self.out += chunk
            if re.search(pattern, self.out[since:]):
                return True
        return False

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def status(self) -> int:
        """The exit status; an app still running after 30 s is killed (and fails)."""
        self.wait_for(rb"(?!)", 30)  # read until it ends (a pattern that never matches)
        try:
            status = self.process.wait(timeout=10)  # its terminal closed: it is ending
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        os.close(self.fd)
        return status


APP = "from tui.cli import main; raise SystemExit(main(['--expr', 'a = 2; b = a*a']))"


def test_bad_bytes_on_the_terminal_are_survived() -> None:
    """Each in turn, in one app (an app per input costs seconds each): after each, the app
    still answers a step forward and a step back."""
    terminal = Terminal(APP)
    try:
        assert terminal.wait_for(b"Nothing computed yet"), terminal.out[-500:]
        for bad in BAD_INPUT:
            sent = len(terminal.out)
            terminal.send(bad)
            terminal.send(b" ")  # a step forward
            assert terminal.wait_for(b"step 1 of", since=sent), f"after {bad!r}"
            sent = len(terminal.out)
            terminal.send(b"\x7f")  # backspace: the step back
            assert terminal.wait_for(b"Nothing computed yet", since=sent), f"after {bad!r}"
        terminal.send(b"q")
    finally:
        status = terminal.status()
    assert status == 0


def test_a_panic_is_a_crash_with_its_line_and_file() -> None:
    """Without the guard the same bytes panic Textual's input thread: status 1, the one
    line and the crash file, never a silent exit."""
    code = "import tui.input_guard as g; g.install = lambda: None; " + APP
    terminal = Terminal(code)
    try:
        assert terminal.wait_for(b"Nothing computed yet"), terminal.out[-500:]
        terminal.send(b"\x1b[9999999999u")
    finally:
        status = terminal.status()
    assert status == 1
    report = re.search(rb"micrograd-tui: unexpected error: (.*?) \(details in (\S+?)\)",
                       terminal.out)
    assert report is not None, terminal.out[-800:]
    crash_file = Path(report[2].decode())
    try:
        assert "Traceback" in crash_file.read_text()
    finally:
        crash_file.unlink(missing_ok=True)
