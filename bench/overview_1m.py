"""The whole graph of a million nodes, run by hand: ``uv run python bench/overview_1m.py``.

The program ``x = 1.0`` / ``y = x+1+1+...`` (999,981 nodes, the language's limit; a chain
with no group to collapse, so no layout is drawn: more than 200,000 boxes). Headless, 80x24:
from the graph opened (built, ordered and indexed in the loading worker) to its whole-graph
picture painted (sketched and shrunk in a worker), and one step repainted on it.
Target: the picture within 3 s of the graph being opened. Results go to bench/RESULTS.md.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.geometry import Region  # noqa: E402

from micrograd.expr import evaluate  # noqa: E402
from tui.app import ExplorerApp  # noqa: E402
from tui.widgets.dag_canvas import DagCanvas  # noqa: E402


def chain_program() -> str:
    return "x = 1.0\ny = x" + "+1" * 499_990 + "\n"


async def main() -> None:
    text = chain_program()
    app = ExplorerApp(loader=lambda progress: evaluate(text), title="chain1m")
    async with app.run_test(size=(80, 24)) as pilot:
        start = time.perf_counter()
        while app.explorer.stepper.root.label != "y":
            await pilot.pause(0.01)
        opened = time.perf_counter()
        canvas = app.query_one(DagCanvas)
        while not canvas.whole:
            await pilot.pause(0.01)
        width, height = canvas.size
        canvas.render_lines(Region(0, 0, width, height))
        shown = time.perf_counter()
        nodes = len(app.explorer.stepper.order)
        print(f"{nodes:,} nodes: opened {opened - start:.1f} s after start; "
              f"whole graph painted {shown - opened:.2f} s after opening "
              f"({len(canvas.grid().cells)} cells)")
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            app.explorer.action_step()
            canvas.render_lines(Region(0, 0, width, height))
            times.append(time.perf_counter() - t0)
        print(f"a step repainted on it: {statistics.median(times) * 1000:.1f} ms (median)")


if __name__ == "__main__":
    asyncio.run(main())
