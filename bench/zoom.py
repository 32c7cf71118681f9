"""Zoom and views benchmark, run by hand: ``uv run python bench/zoom.py [--expanded]``.

Headless (``run_test``, 140x45) on the 100,000-node MLP of ``bench/tui.py``
(``MLP(48, [160, 160, 1])`` with an mse loss; its neurons collapsed unless ``--expanded``):
  - switch: from a zoom key (``z``, ``Z``, ``o``, ``0``) to the new first screen painted,
    the layout at the new level made (in a worker) or taken from those made already;
  - step: one ``space`` handled and the visible region of the canvas (or the network view),
    the node table and the step log rendered, median over forward and backward steps, at
    each zoom level and in the network view.
Targets: a switch within 1 s at 100,000 nodes; a step within 16 ms (median) in any view.
Results go to bench/RESULTS.md by hand.
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
from tui.widgets.network_view import NetworkView  # noqa: E402
from tui.widgets.node_table import NodeTable  # noqa: E402
from tui.widgets.step_log import StepLog  # noqa: E402

SIZES = [48, 160, 160, 1]


def repaint(app: ExplorerApp) -> None:
    """Render the visible lines of the live widgets, as a screen update would."""
    graph = app.query_one(NetworkView) if app.explorer.network_on else app.query_one(DagCanvas)
    for widget in (graph, app.query_one(NodeTable), app.query_one(StepLog)):
        width, height = widget.size
        widget._styles_cache.clear()  # force a real render, not a cached strip
        widget.render_lines(Region(0, 0, width, height))


async def until_laid_out(pilot, app: ExplorerApp) -> None:
    canvas = app.query_one(DagCanvas)
    while canvas.graph_layout is None:
        await pilot.pause(0.01)
    await pilot.pause()


async def switch(pilot, app: ExplorerApp, key: str) -> float:
    start = time.perf_counter()
    await pilot.press(key)
    await until_laid_out(pilot, app)
    repaint(app)
    return time.perf_counter() - start


def step_times(app: ExplorerApp, steps: int) -> float:
    times = []
    for phase_start in (0, app.explorer.stepper.forward_steps):
        app.explorer.stepper.seek(phase_start)
        app.explorer._after_move([], everything=True)
        for _ in range(steps):
            t0 = time.perf_counter()
            app.explorer.action_step()
            repaint(app)
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expanded", action="store_true",
                        help="every node its own box (no neuron collapsed)")
    parser.add_argument("--steps", type=int, default=30, help="steps per phase to time")
    args = parser.parse_args()
    if args.expanded:
        import tui.loading

        tui.loading.COLLAPSE_ABOVE = sys.maxsize
    program = mlp(SIZES, seed=0, target=1.0)
    app = ExplorerApp(program)
    async with app.run_test(size=(140, 45)) as pilot:
        start = time.perf_counter()
        while app.explorer.stepper.root is not program.output:
            await pilot.pause(0.01)
        await until_laid_out(pilot, app)
        canvas = app.query_one(DagCanvas)
        print(f"{len(app.explorer.stepper.order):,} nodes, "
              f"{app.explorer.contracted.graph.number_of_nodes():,} boxes; first screen "
              f"({canvas.zoom.name}) {time.perf_counter() - start:.2f} s after opening")
        print(f"step at {canvas.zoom.name}: {step_times(app, args.steps):.2f} ms")
        for key, what in [("Z", "zoom in to full (a new layout)"),
                          ("Z", "zoom in again (already full)"),
                          ("z", "zoom out to compact (made already)"),
                          ("o", "overview: the whole graph shrunk"),
                          ("Z", "zoom in from the overview"),
                          ("0", "fit")]:
            seconds = await switch(pilot, app, key)
            label = "whole" if canvas.whole else canvas.zoom.name
            print(f"{what:40} {seconds:6.2f} s  -> {label}; step "
                  f"{step_times(app, args.steps):.2f} ms")
        await pilot.press("o")
        await until_laid_out(pilot, app)
        print(f"step on the whole graph: {step_times(app, args.steps):.2f} ms")
        await pilot.press("v")
        await pilot.pause()
        print(f"step in the network view: {step_times(app, args.steps):.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
