"""Explorer benchmark, run by hand: ``uv run python bench/tui.py [--sizes 100,1000,...]``.

Headless (Textual's ``run_test``), for graphs of about 100, 1,000, 10,000 and 100,000
nodes (MLP presets with an mse loss, which open with their neurons collapsed above 2,000
nodes):
  - build: making the graph (the preset), not counted in the next number;
  - first paint: from creating the app to the first full paint with the layout done;
  - step: handling one key (``space``) and repainting the visible region of the canvas,
    the node table and the step panel, median over many steps, forward and backward.
Targets: 10,000 nodes on screen in under 2 s, 100,000 in under 10 s; a step under 16 ms at
10,000 nodes and under 50 ms at 100,000. Results go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.geometry import Region  # noqa: E402

from micrograd.presets import mlp  # noqa: E402
from tui.app import ExplorerApp  # noqa: E402
from tui.widgets.dag_canvas import DagCanvas  # noqa: E402
from tui.widgets.node_table import NodeTable  # noqa: E402
from tui.widgets.step_log import StepLog  # noqa: E402

#: MLP sizes whose loss graphs have about 100, 1k, 10k and 100k nodes.
GRAPHS = {
    100: [2, 4, 1],
    1_000: [4, 14, 14, 1],
    10_000: [16, 48, 48, 1],
    100_000: [48, 160, 160, 1],
}


def repaint(app: ExplorerApp) -> None:
    """Render the visible lines of the three live widgets, as a screen update would."""
    for widget in (app.query_one(DagCanvas), app.query_one(NodeTable), app.query_one(StepLog)):
        width, height = widget.size
        widget._styles_cache.clear()  # force a real render, not a cached strip
        widget.render_lines(Region(0, 0, width, height))


async def measure(target: int, steps: int) -> dict[str, float]:
    start = time.perf_counter()
    program = mlp(GRAPHS[target], seed=0, target=1.0)
    built = time.perf_counter()
    app = ExplorerApp(program)
    async with app.run_test(size=(140, 45)) as pilot:
        # A big graph is opened in a worker (a placeholder is shown meanwhile), then laid out.
        while app.explorer.stepper.root is not program.output or app.explorer.graph_layout is None:
            await pilot.pause(0.01)
        await pilot.pause()
        painted = time.perf_counter()
        nodes = len(app.explorer.stepper.order)
        times = []
        for phase_start in (0, app.explorer.stepper.forward_steps):  # some forward, some backward
            app.explorer.stepper.seek(phase_start)
            for _ in range(steps):
                t0 = time.perf_counter()
                app.explorer.action_step()
                repaint(app)
                times.append(time.perf_counter() - t0)
    return {
        "nodes": nodes,
        "build": built - start,
        "first_paint": painted - built,
        "step_ms": statistics.median(times) * 1000,
        "step_max_ms": max(times) * 1000,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000,100000",
                        help="which graph sizes to run (default: all)")
    parser.add_argument("--steps", type=int, default=50, help="steps per phase to time")
    parser.add_argument("--expanded", action="store_true",
                        help="open every graph with its groups expanded (every node a box)")
    args = parser.parse_args()
    if args.expanded:
        import tui.loading

        tui.loading.COLLAPSE_ABOVE = sys.maxsize
    print(f"{'nodes':>8} {'build s':>8} {'first paint s':>14} {'step ms (median)':>17} "
          f"{'step ms (max)':>14}")
    for size in (int(s) for s in args.sizes.split(",")):
        r = await measure(size, args.steps)
        print(f"{r['nodes']:>8,} {r['build']:>8.2f} {r['first_paint']:>14.2f} "
              f"{r['step_ms']:>17.2f} {r['step_max_ms']:>14.2f}")


if __name__ == "__main__":
    asyncio.run(main())
