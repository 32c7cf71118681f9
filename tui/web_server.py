"""textual-serve's server made safe to leave running on a network.

textual-serve (0.x) starts an app for any websocket, from any web page, at any size the
browser names, and waits for a tab's app to end on its own after its client goes. A page
elsewhere could then start and drive processes on the learner's machine, or grow one app
to gigabytes. This subclass:

- accepts ``/ws`` only from the page's own origin (the ``--public-url``'s, or
  ``http://HOST:PORT``; for a loopback host also ``localhost``, ``127.0.0.1`` and ``[::1]``)
  and only with a ``Host`` header naming this server: 403 otherwise, before an app starts;
- caps the tabs running at once (``max_tabs``); a tab over the cap gets a page saying so;
- clamps every size from the browser to ``MAX_WIDTH`` x ``MAX_HEIGHT``;
- ends a tab's app when its client goes: ``quit``, then SIGTERM, then SIGKILL, each after
  ``GRACE_SECONDS``.

The hooks are textual-serve 1.1's ``Server.handle_websocket``/``handle_index`` and
``AppService`` (``tests/tui/test_serve.py`` drives them through a real websocket, so an
upgrade that moves them fails there).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import ipaddress
import logging
import shlex
import signal
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

log = logging.getLogger("textual-serve")

#: The largest terminal a browser may ask for, in cells (a 4K screen at a small font).
MAX_WIDTH = 500
MAX_HEIGHT = 200
#: Tabs running at once unless ``--max-tabs`` says otherwise.
DEFAULT_MAX_TABS = 32
#: How long a tab's app gets to quit, then to end on SIGTERM, before the next step.
GRACE_SECONDS = 3.0

_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A browser's terminal size made safe: whole numbers within 1..MAX, 80x24 for nonsense.

        >>> clamp_size(100000, "30"), clamp_size(-5, None)
        ((500, 30), (1, 24))
    """
    return _clamp(width, 80, MAX_WIDTH), _clamp(height, 24, MAX_HEIGHT)


def _clamp(value: object, default: int, largest: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        value = int(value)
    elif isinstance(value, str):
        try:
            value = int(value.strip()[:12])  # never parse a million digits
        except ValueError:
            return default
    if not isinstance(value, int):
        return default
    return max(1, min(largest, value))


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "[::1]"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_origins(public_url: str, host: str, port: int) -> frozenset[str]:
    """The origins whose pages may open a tab: this server's page, however it was reached.

        >>> sorted(allowed_origins("http://127.0.0.1:8000", "127.0.0.1", 8000))[:2]
        ['http://127.0.0.1:8000', 'http://[::1]:8000']
    """
    origins = {_origin(public_url)}
    shown = f"[{host}]" if ":" in host else host
    origins.add(f"http://{shown}:{port}")
    if _is_loopback(host):
        origins.update(f"http://{name}:{port}" for name in _LOOPBACK_NAMES)
    return frozenset(origins)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower().rsplit("@", 1)[-1]
    default = {"http": ":80", "https": ":443"}.get(scheme)
    if default and netloc.endswith(default):
        netloc = netloc[: -len(default)]
    return f"{scheme}://{netloc}"


class TabService(AppService):
    """One tab's app: sizes clamped, run without a shell, and surely ended by ``stop``."""

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        width, height = clamp_size(width, height)
        environment = self._build_environment(width=width, height=height)
        # No shell between us and the app, so the pid we signal is the app's own.
        self._process = process = await asyncio.create_subprocess_exec(
            *shlex.split(self.command),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        self._stdin = process.stdin
        return process

    async def set_terminal_size(self, width: int, height: int) -> None:
        width, height = clamp_size(width, height)
        await super().set_terminal_size(width, height)

    async def stop(self) -> None:
        """Ask the app to quit; SIGTERM it if it has not after a grace period, SIGKILL after
        another. textual-serve's own ``stop`` waits for the app forever."""
        task, self._task = self._task, None
        if task is None:
            return
        with contextlib.suppress(Exception):
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.send_meta({"type": "quit"}), GRACE_SECONDS)
        await end_process(self._process, task)


async def end_process(process: asyncio.subprocess.Process | None,
                      task: asyncio.Future[Any] | None = None) -> None:
    """Wait ``GRACE_SECONDS`` for ``process`` to end, then SIGTERM it, then SIGKILL it."""
    if process is None:
        return
    for sent in (None, signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)):
        if sent is not None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(sent)
        try:
            await asyncio.wait_for(asyncio.shield(process.wait()), GRACE_SECONDS)
            break
        except TimeoutError:
            continue
    if task is not None:
        task.cancel()
        with contextlib.suppress(BaseException):
            await task


class TabServer(Server):
    """textual-serve's server with the origin check, the tab cap and the size clamp."""

    def __init__(self, command: str, *, max_tabs: int = DEFAULT_MAX_TABS, **kwargs: Any):
        super().__init__(command, **kwargs)
        self.max_tabs = max_tabs
        self.origins = allowed_origins(self.public_url, self.host, self.port)
        self.hosts = frozenset(origin.split("://", 1)[1] for origin in self.origins)
        self.tabs: set[TabService] = set()

    def _host_allowed(self, request: web.Request) -> bool:
        """The Host header names this server (not a rebound DNS name of another site)."""
        host = (request.headers.get("Host") or "").lower()
        if host.endswith((":80", ":443")) and host not in self.hosts:
            host = host.rsplit(":", 1)[0]
        return host in self.hosts

    def refusal(self, request: web.Request) -> str:
        """Why this websocket may not open a tab, or ''."""
        origin = request.headers.get("Origin")
        if origin is None:
            return "no Origin header (only this server's page may open a tab)"
        if _origin(origin) not in self.origins:
            return f"Origin {origin!r} is not this server's page"
        if not self._host_allowed(request):
            return f"Host {request.headers.get('Host')!r} is not this server"
        return ""

    async def handle_index(self, request: web.Request) -> Any:
        if not self._host_allowed(request):
            raise web.HTTPForbidden(text="micrograd-tui: this server is not reached that way")
        if len(self.tabs) >= self.max_tabs:
            return web.Response(status=503, content_type="text/html", text=self.full_page())
        return await super().handle_index(request)

    def full_page(self) -> str:
        message = html.escape(self.full_message())
        return (f"<!doctype html><html><head><meta charset='utf-8'><title>micrograd-tui"
                f"</title></head><body><h1>micrograd-tui is full</h1><p>{message}</p>"
                f"</body></html>")

    def full_message(self) -> str:
        return (f"All {self.max_tabs} tabs this server allows are open. Close one (or ask "
                f"whoever runs the server to start it with a larger --max-tabs), then reload "
                f"this page.")

    async def _process_messages(self, websocket: web.WebSocketResponse,
                                app_service: AppService) -> None:
        """textual-serve's loop, minus its crash on a message that is not what it expects
        (bad JSON, a missing key): such a message is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
                kind, data = envelope[0], envelope[1]
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(data.get("width"), data.get("height"))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        refusal = self.refusal(request)
        if refusal:
            log.warning("refused a websocket: %s", refusal)
            raise web.HTTPForbidden(text=f"micrograd-tui: {refusal}")
        websocket = web.WebSocketResponse(heartbeat=15)
        if len(self.tabs) >= self.max_tabs:
            await websocket.prepare(request)
            await websocket.send_bytes(f"\r\nmicrograd-tui: {self.full_message()}\r\n".encode())
            await websocket.close()
            return websocket
        width, height = clamp_size(request.query.get("width", "80"),
                                   request.query.get("height", "24"))
        tab = TabService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.tabs.add(tab)  # counted before the first await: no race past the cap
        try:
            await websocket.prepare(request)
            await tab.start(width, height)
            await self._process_messages(websocket, tab)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            try:
                await asyncio.shield(tab.stop())
            finally:
                self.tabs.discard(tab)
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """The server stops: every tab's app ends too (in parallel, each with its grace)."""
        await asyncio.gather(*(tab.stop() for tab in list(self.tabs)), return_exceptions=True)
