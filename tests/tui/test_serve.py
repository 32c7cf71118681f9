"""``micrograd-tui serve``: the checks before it starts, and a browser's view of a tab.

The browser test starts the server on a free port, connects the way the page does (its
websocket), reads the terminal output with pyte as a terminal emulator would, and presses
keys.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import aiohttp
import pyte
import pytest

from tui import cli, serve

REPO = Path(__file__).resolve().parent.parent.parent


# --- before anything starts ------------------------------------------------------------------


def test_a_host_others_can_reach_needs_a_public_url() -> None:
    serve.check_host("127.0.0.1", None)
    serve.check_host("localhost", None)
    serve.check_host("127.0.0.2", None)  # loopback too
    serve.check_host("0.0.0.0", "http://classroom:8000")
    with pytest.raises(serve.ServeError, match="give --public-url"):
        serve.check_host("0.0.0.0", None)


def test_a_taken_port_is_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(serve.ServeError, match=f"127.0.0.1:{port}: the port is taken"):
            serve.check_port("127.0.0.1", port)
    with pytest.raises(serve.ServeError, match="between 1 and 65535"):
        serve.check_port("127.0.0.1", 70000)


def test_the_page_asks_nothing_of_the_internet(tmp_path: Path) -> None:
    page = (serve.offline_templates(tmp_path) / "app_index.html").read_text()
    assert "googleapis" not in page and "{{ app_websocket_url }}" in page


def test_each_tab_runs_the_plain_command_with_its_options(monkeypatch, tmp_path) -> None:
    calls = []
    monkeypatch.setattr(serve, "serve", lambda *args: calls.append(args))
    program = tmp_path / "prog.mg"
    program.write_text("a = 2.0\nb = a * a\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["serve", "prog.mg", "--port", "9001", "--host=localhost"]) == 0
    (app_args, host, port, public_url), = calls
    assert app_args == [str(program)] and (host, port, public_url) == ("localhost", 9001, None)
    assert serve.app_command(["--preset", "mlp"]).endswith("-m tui.cli --preset mlp")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "-"], "cannot read the program from standard input"),
        (["serve", "--expr", "a = (2"], "unclosed '('"),
        (["serve", "--port", "x"], "invalid int value"),
    ],
)
def test_bad_serve_arguments_are_one_line_and_status_2(argv, message, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("error:")


# --- in a browser's place --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Tab:
    """One browser tab: a websocket to the server and a pyte screen fed by it."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse, width: int, height: int):
        self.websocket = websocket
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, words: str, timeout: float = 30.0) -> None:
        """Read the app's output until ``words`` are on the screen."""
        async def read() -> None:
            while words not in self.text:
                message = await self.websocket.receive()
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.stream.feed(message.data)
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    raise AssertionError(f"the tab closed; screen:\n{self.text}")

        try:
            await asyncio.wait_for(read(), timeout)
        except TimeoutError:
            raise AssertionError(f"{words!r} never appeared; screen:\n{self.text}") from None

    async def press(self, keys: str) -> None:
        await self.websocket.send_str(json.dumps(["stdin", keys]))


def _running_with(marker: str) -> list[int]:
    """The processes whose command line holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find stray processes")
async def test_two_tabs_each_step_their_own_graph_and_ctrl_c_stops_everything() -> None:
    port = _free_port()
    marker = f"tab-{uuid.uuid4().hex[:8]}"  # in every tab's command line, to find them
    server = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "serve", "--port", str(port), "--expr",
         f"# classic {marker}\na = 2.0; b = -3.0; e = a*b; L = e + 1"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    try:
        line = await asyncio.wait_for(asyncio.to_thread(server.stdout.readline), 30)
        assert f"open http://127.0.0.1:{port}" in line.decode()
        url = f"ws://127.0.0.1:{port}/ws?width=100&height=30"
        async with aiohttp.ClientSession() as session:
            for _ in range(100):  # the line comes just before the server listens
                try:
                    async with session.get(f"http://127.0.0.1:{port}/") as page:
                        assert page.status == 200 and "googleapis" not in await page.text()
                        break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.1)
            first = Tab(await session.ws_connect(url), 100, 30)
            await first.wait_for("5 nodes")
            await first.wait_for("Nothing computed yet")
            await first.press(" ")
            await first.wait_for("forward · step 1 of")
            await first.press(" ")
            await first.wait_for("forward · step 2 of")
            second = Tab(await session.ws_connect(url), 100, 30)
            await second.wait_for("Nothing computed yet")
            assert "step 1 of" not in second.text  # a tab of its own, at its own start
            assert len(_running_with(marker)) >= 3  # the server and one app per tab
            await second.websocket.close()
            await first.websocket.close()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    for _ in range(50):  # the tabs' apps end with the server
        if not _running_with(marker):
            break
        await asyncio.sleep(0.1)
    assert _running_with(marker) == []
