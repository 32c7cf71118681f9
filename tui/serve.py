"""``micrograd-tui serve``: the explorer in a browser, a separate app for each tab.

``textual-serve`` runs a small web server; every browser tab that connects gets its own
``micrograd-tui`` process, whose terminal output goes to the page over a websocket. This
module checks the options before anything starts (a taken port, a host browsers cannot
reach), builds the command each tab runs, and gives the page a template that needs nothing
from the internet.
"""

from __future__ import annotations

import errno
import ipaddress
import re
import shlex
import socket
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import textual_serve

from tui.web_server import DEFAULT_MAX_TABS, TabServer

#: Hosts a browser on this machine reaches as themselves.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class ServeError(Exception):
    """Why the server cannot start: reported as one line, exit status 2."""


def check_host(host: str, public_url: str | None) -> None:
    """A host other than this machine's loopback needs ``--public-url``: the page tells the
    browser where to open its websocket, and ``0.0.0.0`` or a bare interface address is
    rarely the address a browser elsewhere (or behind a proxy) should use."""
    if public_url or host in LOCAL_HOSTS:
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ServeError(
        f"--host {host} is reachable from other machines: give --public-url too (the "
        f"address browsers use to reach this server, e.g. http://my-machine:8000), so the "
        f"page connects back to the right place"
    )


def check_port(host: str, port: int) -> None:
    """Fail early, in one line, when the port cannot be had (taken, or privileged)."""
    if not 0 < port < 65536:
        raise ServeError(f"--port must be between 1 and 65535, got {port}")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            taken = error.errno == errno.EADDRINUSE
            reason = "taken by another program" if taken else error.strerror
            raise ServeError(f"cannot serve on {host}:{port}: the port is {reason}; "
                             f"choose another with --port") from None


def app_command(app_args: Sequence[str]) -> str:
    """The command each browser tab runs: this Python, this package, the plain command's
    arguments (a file, ``--expr``, ``--preset`` ...) passed through."""
    return shlex.join([sys.executable, "-m", "tui.cli", *app_args])


def offline_templates(folder: Path) -> Path:
    """A copy of textual-serve's page without its link to Google's font server, which a
    classroom without internet (or a browser that blocks it) would wait on: the terminal
    uses the browser's own monospace font instead. Written into ``folder``."""
    original = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    html = original.read_text(encoding="utf-8")
    html = re.sub(r"<link[^>]*fonts\.googleapis\.com[^>]*>\s*", "", html)
    (folder / "app_index.html").write_text(html, encoding="utf-8")
    return folder


def check_max_tabs(max_tabs: int) -> None:
    """A cap of no tabs would serve a page that can never open."""
    if max_tabs < 1:
        raise ServeError(f"--max-tabs must be a whole number >= 1, got {max_tabs}")


def serve(app_args: Sequence[str], host: str, port: int, public_url: str | None,
          max_tabs: int | None = None) -> None:
    """Check the options, then serve until ctrl+c (every tab's process is stopped then).
    Only this server's own page may open tabs, at most ``max_tabs`` at once (see
    ``tui.web_server``)."""
    check_host(host, public_url)
    check_port(host, port)
    max_tabs = DEFAULT_MAX_TABS if max_tabs is None else max_tabs
    check_max_tabs(max_tabs)
    with tempfile.TemporaryDirectory(prefix="micrograd-tui-serve-") as folder:
        server = TabServer(
            app_command(app_args),
            max_tabs=max_tabs,
            host=host,
            port=port,
            title="micrograd-tui",
            public_url=public_url,
            templates_path=offline_templates(Path(folder)),
        )
        print(f"micrograd-tui: open {server.public_url} in a browser (ctrl+c stops)",
              flush=True)
        server.serve()
