"""The notebook widget in real JupyterLab, run by hand:
``uv run --extra notebook --with jupyterlab python bench/notebook_jupyterlab.py``.

The one check the tests cannot make without JupyterLab installed: Jupyter's own widget
manager loading anywidget and ``explorer.js``, the browser's clicks reaching the kernel
(``explore(L)`` in a cell). It starts ``jupyter lab`` on 127.0.0.1 with a notebook in a
temporary folder, opens it in headless Chromium (Debian's ``chromium``) with Playwright,
runs the cell, clicks Next three times and presses space, checks the step text and the
step's frame, and saves a screenshot (``--out``, default ``notebook-jupyterlab.png``).

Exits 0 when all of it held, 1 with what did not, 2 when something is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CELL = """from micrograd.engine import Value
from tui import explore
a = Value(2.0, label='a'); b = Value(-3.0, label='b'); c = Value(10.0, label='c')
e = a*b; e.label = 'e'
d = e + c; d.label = 'd'
f = Value(-2.0, label='f')
L = d * f; L.label = 'L'
explore(L)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def data_paths() -> str:
    """Every environment's share/jupyter on the path: ``uv run --with`` layers jupyterlab's
    environment over the project's, where the widget extensions are."""
    found = []
    for entry in sys.path:
        if entry.endswith("site-packages"):
            share = Path(entry).parents[2] / "share" / "jupyter"
            if share.is_dir():
                found.append(str(share))
    return os.pathsep.join(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="notebook-jupyterlab.png")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import jupyterlab  # noqa: F401
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        print(f"needs {error.name}: uv run --extra notebook --with jupyterlab python {__file__}")
        return 2
    if chromium is None:
        print("needs chromium: apt-get install chromium")
        return 2
    folder = Path(tempfile.mkdtemp(prefix="mg-lab-"))
    (folder / "explore.ipynb").write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {},
                   "outputs": [], "source": CELL.splitlines(keepends=True)}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={folder}"],
        env={**os.environ, "JUPYTER_PATH": data_paths()},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/lab", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/lab/tree/explore.ipynb")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=90_000)
            # A cell run before the kernel is connected is dropped, with nothing shown, and
            # no sign on the page says when it is: run it again until its output comes.
            for _ in range(6):
                page.click(".jp-Notebook .jp-Cell >> nth=0")
                page.keyboard.press("Control+Enter")
                try:
                    page.wait_for_selector(".mg-explorer", timeout=15_000)
                    break
                except Exception:  # noqa: BLE001 (Playwright's TimeoutError: try again)
                    continue
            else:
                page.screenshot(path=args.out)
                print(f"no widget in the cell's output after 90 s: the page is in {args.out}")
                return 1
            for k in (1, 2, 3):
                page.click(".mg-next")
                page.wait_for_function("document.querySelector('.mg-where').textContent"
                                       f".includes('step {k} of')", timeout=20_000)
            current = page.inner_text(".mg-current")
            marked = page.eval_on_selector_all(
                ".mg-picture [data-mark='step'] title", "titles => titles.map(t => t.textContent)")
            page.focus(".mg-explorer")
            page.keyboard.press("Space")
            page.wait_for_function("document.querySelector('.mg-where').textContent"
                                   ".includes('step 4 of')", timeout=20_000)
            page.locator(".mg-explorer").screenshot(path=args.out)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    problems = []
    if current != "3 L = d * f = 4.0 * -2.0 = -8.0":
        problems.append(f"step 3's text is {current!r}")
    if marked != ["L = -8.0 (grad ·) [d * f]"]:
        problems.append(f"the step's frame is on {marked!r}")
    print("\n".join(problems) or f"JupyterLab: Next x3, space: as expected; picture in {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
