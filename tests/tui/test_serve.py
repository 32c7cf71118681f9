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
    (app_args, host, port, public_url, max_tabs), = calls
    assert app_args == [str(program)] and (host, port, public_url) == ("localhost", 9001, None)
    assert max_tabs is None  # serve's default, DEFAULT_MAX_TABS
    assert serve.app_command(["--preset", "mlp"]).endswith("-m tui.cli --preset mlp")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "-"], "cannot read the program from standard input"),
        (["serve", "--expr", "a = (2"], "unclosed '('"),
        (["serve", "--port", "x"], "invalid int value"),
        (["serve", "--po", "18733"], "unrecognized arguments: --po"),  # no abbreviations
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


@pytest.mark.slow
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
            origin = f"http://127.0.0.1:{port}"
            first = Tab(await session.ws_connect(url, origin=origin), 100, 30)
            await first.wait_for("5 nodes")
            await first.wait_for("Nothing computed yet")
            await first.press(" ")
            await first.wait_for("forward · step 1 of")
            await first.press(" ")
            await first.wait_for("forward · step 2 of")
            second = Tab(await session.ws_connect(url, origin=origin), 100, 30)
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


# --- safe on a network (issue 27: 1, 2) -------------------------------------------------------


def test_the_default_tab_cap_is_the_one_help_names() -> None:
    from tui.web_server import DEFAULT_MAX_TABS

    help_text = " ".join(cli.build_serve_parser().format_help().split())
    assert f"(default: {DEFAULT_MAX_TABS})" in help_text
    with pytest.raises(serve.ServeError, match="--max-tabs must be"):
        serve.check_max_tabs(0)


def test_only_this_servers_page_is_an_allowed_origin() -> None:
    from tui.web_server import allowed_origins

    local = allowed_origins("http://127.0.0.1:8000", "127.0.0.1", 8000)
    assert {"http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"} <= local
    assert "http://evil.example" not in local and "http://127.0.0.1:8001" not in local
    public = allowed_origins("https://class.example/", "0.0.0.0", 8000)
    assert "https://class.example" in public and "http://localhost:8000" not in public


def test_every_size_from_the_browser_is_clamped() -> None:
    from tui.web_server import MAX_HEIGHT, MAX_WIDTH, clamp_size

    assert clamp_size(10**6, 10**6) == (MAX_WIDTH, MAX_HEIGHT)
    assert clamp_size("100000", "9" * 5000) == (MAX_WIDTH, MAX_HEIGHT)
    assert clamp_size(0, -3) == (1, 1)
    assert clamp_size("x", None) == (80, 24) and clamp_size(True, float("nan")) == (80, 24)
    assert clamp_size(120.7, "40") == (120, 40)


async def test_a_resize_message_of_a_million_is_clamped() -> None:
    from tui.web_server import MAX_HEIGHT, MAX_WIDTH, TabService

    sent = []
    tab = TabService.__new__(TabService)

    async def send_meta(data):
        sent.append(data)
        return True

    tab.send_meta = send_meta
    await tab.set_terminal_size(1_000_000, 1_000_000)
    assert sent == [{"type": "resize", "width": MAX_WIDTH, "height": MAX_HEIGHT}]


async def test_an_app_that_ignores_sigterm_is_killed(monkeypatch) -> None:
    from tui import web_server

    monkeypatch.setattr(web_server, "GRACE_SECONDS", 0.5)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c",
        "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('ready', flush=True); time.sleep(600)",
        stdout=asyncio.subprocess.PIPE,
    )
    assert await process.stdout.readline() == b"ready\n"
    await web_server.end_process(process)
    assert process.returncode == -signal.SIGKILL


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the tabs' apps")
async def test_foreign_pages_get_403_and_the_tabs_are_capped_and_clamped() -> None:
    port = _free_port()
    marker = f"tab-{uuid.uuid4().hex[:8]}"
    server = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "serve", "--port", str(port), "--max-tabs", "1",
         "--expr", f"# {marker}\na = 2.0; b = a*a"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    base = f"127.0.0.1:{port}"
    url = f"ws://{base}/ws?width=100000&height=100000"
    try:
        line = await asyncio.wait_for(asyncio.to_thread(server.stdout.readline), 30)
        assert f"open http://{base}" in line.decode()
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                try:
                    async with session.get(f"http://{base}/") as page:
                        assert page.status == 200
                        break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.1)
            # Another site's page, no Origin at all, a rebound DNS name: 403, no app.
            for headers in ({"Origin": "http://evil.example"}, {},
                            {"Origin": f"http://{base}", "Host": f"evil.example:{port}"}):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(url, headers=headers)
                assert refused.value.status == 403
            assert _running_with(marker) == [server.pid]
            # This server's page: a tab, its size clamped.
            tab = Tab(await session.ws_connect(url, origin=f"http://{base}"), 500, 200)
            await tab.wait_for("Nothing computed yet")
            apps = [pid for pid in _running_with(marker) if pid != server.pid]
            assert len(apps) == 1
            environ = _environ(apps[0])
            assert (environ["COLUMNS"], environ["ROWS"]) == ("500", "200")
            # The cap: one more tab gets a page (and a line on its terminal) saying so.
            async with session.get(f"http://{base}/") as page:
                assert page.status == 503 and "tabs this server allows" in await page.text()
            extra = Tab(await session.ws_connect(url, origin=f"http://{base}"), 200, 10)
            await extra.wait_for("tabs this server allows")
            await extra.websocket.close()
            assert len(_running_with(marker)) == 2
            # The client goes: its app ends.
            await tab.websocket.close()
            for _ in range(100):
                if _running_with(marker) == [server.pid]:
                    break
                await asyncio.sleep(0.1)
            assert _running_with(marker) == [server.pid]
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
