"""The explorer in a real browser, run by hand: ``uv run python bench/browser_check.py``.

Starts ``micrograd-tui serve`` on a free port, opens the page in headless Chromium (the
system's: Debian's ``apt-get install chromium``), waits for the app, clicks it and presses
space three times, as a person would, and saves a screenshot (``browser-check.png``, or
``--out``) to look at. Chromium is driven over its DevTools protocol with aiohttp (already
installed with textual-serve), so no browser-automation package is needed.

Exits 0 after saving the picture, 2 with one line saying what is missing (no Chromium).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def wait_for_http(url: str, seconds: float = 30) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(int(seconds * 10)):
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit(f"error: {url} did not answer in {seconds:.0f} s")


class DevTools:
    """One page of Chromium, driven by DevTools protocol commands."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket
        self.next_id = 0

    async def call(self, method: str, **params: object) -> dict:
        self.next_id += 1
        await self.websocket.send_str(json.dumps({"id": self.next_id, "method": method,
                                                  "params": params}))
        while True:
            message = json.loads((await self.websocket.receive()).data)
            if message.get("id") == self.next_id:
                return message.get("result", {})

    async def click(self, x: int, y: int) -> None:
        """Click the page: the terminal takes the keyboard once clicked, as for a person."""
        for kind in ("mousePressed", "mouseReleased"):
            await self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                            clickCount=1)

    async def press_space(self) -> None:
        for kind in ("keyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key=" ", code="Space",
                            text=" " if kind == "keyDown" else "", windowsVirtualKeyCode=32)


async def check(browser: str, out: Path) -> None:
    port, debug_port = free_port(), free_port()
    server = subprocess.Popen([sys.executable, "-m", "tui.cli", "serve", "--port", str(port)],
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    profile = tempfile.mkdtemp(prefix="mg-chromium-")
    chromium = subprocess.Popen(
        [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--remote-debugging-port={debug_port}", f"--user-data-dir={profile}",
         "--window-size=1280,800", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        await wait_for_http(f"http://127.0.0.1:{port}/")
        await wait_for_http(f"http://127.0.0.1:{debug_port}/json/version")
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{debug_port}/json") as response:
                target = next(t for t in await response.json() if t["type"] == "page")
            async with session.ws_connect(target["webSocketDebuggerUrl"],
                                          max_msg_size=0) as websocket:
                page = DevTools(websocket)
                await page.call("Page.enable")
                await page.call("Page.navigate", url=f"http://127.0.0.1:{port}/")
                # The terminal is drawn on a canvas: there is no text to wait for, so give
                # the app time to start, then look at the picture.
                await asyncio.sleep(5)
                await page.click(640, 300)
                for _ in range(3):
                    await page.press_space()
                    await asyncio.sleep(0.4)
                await asyncio.sleep(1.5)
                shot = await page.call("Page.captureScreenshot", format="png")
                out.write_bytes(base64.b64decode(shot["data"]))
                print(f"saved {out} ({out.stat().st_size:,} bytes): it should show the "
                      f"classic neuron at 'forward · step 3 of 11'")
    finally:
        chromium.terminate()
        server.send_signal(signal.SIGINT)
        chromium.wait(timeout=20)
        server.wait(timeout=20)
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("browser-check.png"))
    args = parser.parse_args()
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        raise SystemExit("error: no Chromium found (on Debian: apt-get install chromium)")
    asyncio.run(check(browser, args.out))


if __name__ == "__main__":
    main()
