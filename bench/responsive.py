"""Does the explorer stay responsive on a graph at the language's limit (1,000,000 nodes)?

Run by hand (results in bench/RESULTS.md):

    uv run python bench/responsive.py            # the 1M-node chain y = x + 1 + 1 + ...
    uv run python bench/responsive.py --terms 100000

Headless (``App.run_test``, 80x24). It measures:

- *first screen*: from creating the app to the loading screen being up;
- *event-loop lag*: a timer that should fire every 10 ms records how late it fires, the
  longest wait a key would have had, while the program is built and opened, while the
  layout runs, and during ``end``;
- *key*: how long ``?`` (help) takes to open while the layout runs and during ``end`` (while a
  program opens only ``q`` works: there is nothing to act on yet);
- *open*, *end*: how long building and opening, and running to the end, take.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from micrograd.expr import evaluate  # noqa: E402
from tui.app import ExplorerApp  # noqa: E402
from tui.loading import LoadingScreen  # noqa: E402
from tui.screens.explorer import MAX_DRAWN_BOXES  # noqa: E402
from tui.screens.help import HelpScreen  # noqa: E402


class LagMeter:
    """How late a 10 ms timer fires, phase by phase."""

    def __init__(self) -> None:
        self.phase = "start"
        self.lags: dict[str, list[float]] = {}
        self._stop = False

    async def run(self) -> None:
        period = 0.01
        while not self._stop:
            t0 = time.perf_counter()
            await asyncio.sleep(period)
            lag = time.perf_counter() - t0 - period
            self.lags.setdefault(self.phase, []).append(lag)

    def stop(self) -> None:
        self._stop = True

    def report(self) -> None:
        for phase, lags in self.lags.items():
            print(f"  {phase:<12} event-loop lag: median {statistics.median(lags) * 1000:6.1f} ms,"
                  f" slowest {max(lags) * 1000:6.1f} ms ({len(lags)} samples)")


async def key_time(app: ExplorerApp, pilot) -> float:
    """Seconds from pressing ? to the help screen being up (then it is closed again)."""
    t0 = time.perf_counter()
    await pilot.press("question_mark")
    while not isinstance(app.screen, HelpScreen):
        await asyncio.sleep(0.001)
    elapsed = time.perf_counter() - t0
    await pilot.press("escape")
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=499_990,
                        help="terms of y = x + 1 + 1 + ... (2 nodes each; default: 1M nodes)")
    args = parser.parse_args()
    source = "x = 1.0\ny = x" + "+1" * args.terms + "\n"
    meter = LagMeter()
    t0 = time.perf_counter()
    app = ExplorerApp(loader=lambda progress: evaluate(source), title="chain")
    async with app.run_test(size=(80, 24)) as pilot:
        lag_task = asyncio.create_task(meter.run())
        while not isinstance(app.screen, LoadingScreen):
            await asyncio.sleep(0.001)
        first = time.perf_counter() - t0
        meter.phase = "opening"
        keys: dict[str, float] = {}
        while (isinstance(app.screen, LoadingScreen)
               or app.explorer.stepper.root.label == "loading…"):
            await asyncio.sleep(0.01)
        opened = time.perf_counter() - t0
        nodes = len(app.explorer.stepper.order)
        drawn = app.explorer.contracted.graph.number_of_nodes() <= MAX_DRAWN_BOXES
        meter.phase = "layout" if drawn else "not drawn"
        keys[meter.phase] = await key_time(app, pilot)
        t1 = time.perf_counter()
        await pilot.press("space")
        step_during_layout = time.perf_counter() - t1
        while drawn and app.explorer.graph_layout is None:
            await asyncio.sleep(0.05)
        laid_out = time.perf_counter() - t0
        meter.phase = "end"
        t2 = time.perf_counter()
        await pilot.press("end")
        await asyncio.sleep(0.05)
        keys["end"] = await key_time(app, pilot)
        while app.explorer.seeking:
            await asyncio.sleep(0.01)
        ended = time.perf_counter() - t2
        meter.stop()
        await lag_task
    print(f"{nodes:,} nodes")
    print(f"  first screen {first:.2f} s · opened {opened:.2f} s · "
          + (f"laid out {laid_out:.2f} s" if drawn else "too many boxes to draw")
          + f" · end {ended:.2f} s · a step after opening {step_during_layout * 1000:.0f} ms")
    print("  ? opens help in: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in keys.items()))
    meter.report()


if __name__ == "__main__":
    asyncio.run(main())
