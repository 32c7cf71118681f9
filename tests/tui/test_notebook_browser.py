"""The notebook widget in a real browser: its page opened in headless Chromium (Debian's
``chromium``) with Playwright, ``Next`` clicked three times, the step text and the
drawing's highlight checked, and a screenshot saved.

The page is ``explorer.js`` and ``explorer.css`` as the widget ships them, with the Python
side a real ``Explorer``; between them, instead of Jupyter's widget manager, a stand-in for
the one interface anywidget gives a widget (``model.get``, ``model.on('change:x')``,
``model.send``) that posts each message to a local server and applies the traits it gets
back. (Jupyter's own manager cannot run here: the standalone HTML of
``ipywidgets.embed`` loads it and anywidget's front end from a CDN, offline here, and a
headless Jupyter needs JupyterLab installed.)

Skipped, with the reason, where Chromium, Playwright or the notebook extra is missing.
Run it alone with ``uv run pytest tests/tui/test_notebook_browser.py``; set
``MICROGRAD_SCREENSHOT=path.png`` to keep the screenshot (the README's is made so).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from micrograd.draw import JUST_CHANGED, THIS_STEP
from micrograd.expr import evaluate
from micrograd.value import Value

pytest.importorskip("anywidget", reason="the notebook extra is not installed "
                    "(uv sync --extra notebook)")
playwright = pytest.importorskip("playwright.sync_api",
                                 reason="playwright (the dev group) is not installed")
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
if CHROMIUM is None:
    pytest.skip("no chromium to drive (apt-get install chromium)", allow_module_level=True)

from tui.notebook import Explorer  # noqa: E402
from tui.notebook import widget as widget_module  # noqa: E402

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><style>%(css)s</style></head>
<body style="margin: 12px; width: 900px">
<div id="cell"></div>
<script type="module">
import widget from "/explorer.js";
// The anywidget model interface, over HTTP to the Python Explorer.
const state = %(state)s;
const listeners = {};
const model = {
  get: (name) => state[name],
  on: (event, callback) => { (listeners[event] ??= []).push(callback); },
  send: async (message) => {
    const reply = await fetch("/send", { method: "POST", body: JSON.stringify(message) });
    const fresh = await reply.json();
    for (const [name, value] of Object.entries(fresh)) {
      if (JSON.stringify(state[name]) === JSON.stringify(value)) continue;
      state[name] = value;
      for (const callback of listeners[`change:${name}`] ?? []) callback();
    }
  },
};
widget.render({ model, el: document.getElementById("cell") });
document.body.dataset.ready = "yes";
</script></body></html>"""


def traits(explorer: Explorer) -> dict:
    return {name: value for name, value in explorer.get_state().items()
            if not name.startswith("_")}


def serve(explorer: Explorer) -> ThreadingHTTPServer:
    here = Path(widget_module.__file__).parent

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def reply(self, body: str, kind: str) -> None:
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path == "/explorer.js":
                self.reply((here / "explorer.js").read_text(), "text/javascript")
            else:
                self.reply(PAGE % {"css": (here / "explorer.css").read_text(),
                                   "state": json.dumps(traits(explorer))}, "text/html")

        def do_POST(self) -> None:  # noqa: N802
            message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            explorer._on_message(explorer, message, [])
            self.reply(json.dumps(traits(explorer)), "application/json")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module's tests (each opens its own page): a start costs
    a second or two of CPU. Its background fetches are off: this machine has no network."""
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def test_next_three_times_in_chromium(browser, tmp_path) -> None:
    explorer = Explorer(evaluate(
        "a = 2.0; b = -3.0; c = 10.0; e = a*b; d = e + c; f = -2.0; L = d*f").output)
    server = serve(explorer)
    try:
        page = browser.new_page(viewport={"width": 940, "height": 720})
        try:
            page.goto(f"http://127.0.0.1:{server.server_port}/")
            page.wait_for_selector("body[data-ready=yes] .mg-next")
            for k in (1, 2, 3):
                page.click(".mg-next")
                page.wait_for_function(
                    f"document.querySelector('.mg-where').textContent.includes('step {k} of')")
            assert page.inner_text(".mg-where") == "forward · step 3 of 7"
            assert page.inner_text(".mg-current") == "3 L = d * f = 4.0 * -2.0 = -8.0"
            # L, the step's node, is framed in the step's colour; the rest in their own
            marked = page.eval_on_selector_all(
                f".mg-picture [data-node] > rect[stroke='{THIS_STEP[0]}']",
                "rects => rects.map(r => r.parentNode.querySelector('title').textContent)")
            assert marked == ["L = -8.0 (grad ·) [d * f]"]
            page.focus(".mg-explorer")
            page.keyboard.press("Backspace")  # the keys work while the widget has focus
            page.wait_for_function(
                "document.querySelector('.mg-where').textContent.includes('step 2 of')")
            page.keyboard.press("Space")
            page.wait_for_function(
                "document.querySelector('.mg-where').textContent.includes('step 3 of')")
            page.click(".mg-backward")  # the seed, then L's step: d and f just changed
            page.wait_for_function(
                "document.querySelector('.mg-where').textContent.includes('step 4 of')")
            page.click(".mg-next")
            page.wait_for_function(
                "document.querySelector('.mg-where').textContent.includes('step 5 of')")
            changed = page.eval_on_selector_all(
                f".mg-picture [data-node] > rect[stroke='{JUST_CHANGED[0]}']",
                "rects => rects.map(r => r.parentNode.querySelector('title').textContent)")
            assert sorted(changed) == ["d = 4.0 (grad -2.0) [e + c]",
                                       "f = -2.0 (grad 4.0) [input]"]
            d = page.evaluate("[...document.querySelectorAll('.mg-picture [data-node]')]"
                              ".find(g => g.querySelector('title').textContent"
                              ".startsWith('d = ')).dataset.node")
            page.click(f".mg-picture [data-node='{d}']")  # d: its details
            page.wait_for_function(
                "document.querySelector('.mg-details').textContent.startsWith('d  (operation')")
            assert "d.grad: -2.0 (from L, its only user)" in page.inner_text(".mg-details")
            shot = Path(os.environ.get("MICROGRAD_SCREENSHOT") or tmp_path / "widget.png")
            page.locator(".mg-explorer").screenshot(path=str(shot))
        finally:
            page.close()
        assert shot.stat().st_size > 10_000
        assert explorer.position == 5
    finally:
        server.shutdown()


def test_a_big_graph_scrolls_to_the_step_in_its_picture(browser) -> None:
    x = Value(0.5, label="x")
    out = x
    for _ in range(150):
        out = out * x + x
    explorer = Explorer(out)
    server = serve(explorer)
    try:
        page = browser.new_page(viewport={"width": 940, "height": 720})
        try:
            page.goto(f"http://127.0.0.1:{server.server_port}/")
            page.wait_for_selector("body[data-ready=yes] .mg-next")
            assert page.evaluate("document.querySelector('.mg-picture').scrollLeft") == 0
            last = explorer.timeline.stepper.forward_steps  # the output: far right
            page.fill(".mg-step-box", str(last))
            page.press(".mg-step-box", "Enter")
            page.wait_for_function(
                f"document.querySelector('.mg-where').textContent.includes('step {last} of')")
            inside = page.evaluate("""() => {
                const view = document.querySelector('.mg-picture').getBoundingClientRect();
                const box = document.querySelector('[data-mark="step"]').getBoundingClientRect();
                return box.left >= view.left && box.right <= view.right;
            }""")
            assert inside and page.evaluate(
                "document.querySelector('.mg-picture').scrollLeft") > 0
        finally:
            page.close()
    finally:
        server.shutdown()
