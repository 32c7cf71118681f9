"""The notebook widget's Python side, run by hand: ``uv run python bench/notebook.py``
(needs the notebook extra: ``uv sync --extra notebook``).

For graphs of about 100, 1,000 and 3,000 nodes (MLP loss graphs, as ``bench/draw.py``): the
time to open the widget (copy, Stepper, layout: once), and the time of one click as the
browser sends it (``{"do": "next"}`` ...), which steps the timeline and sets every trait:
the SVG of the step, the step log, the details of a selected node. Each click is timed
through the whole timeline (next from the start to the end, back to the start) and for
the longest jumps (start to end and back). Target: 1,000 nodes at <= 50 ms a click.
Results go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from micrograd.presets import mlp  # noqa: E402
from micrograd.value import topological_order  # noqa: E402
from tui.notebook import Explorer  # noqa: E402

#: MLP sizes whose loss graphs have about 100, 1,000 and 3,000 nodes.
MLPS = {100: [3, 6, 1], 1_000: [4, 16, 15, 1], 3_000: [8, 25, 25, 1]}


def click(widget: Explorer, do: str) -> float:
    """The seconds one click takes, as the browser's message makes it."""
    start = time.perf_counter()
    widget._on_message(widget, {"do": do}, [])
    return time.perf_counter() - start


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def spread(times: list[float]) -> str:
    """Median, 95th percentile and slowest, and how many clicks took over 50 ms."""
    over = sum(t > 0.050 for t in times)
    return " / ".join(ms(t) for t in (statistics.median(times),
                                      statistics.quantiles(times, n=20)[-1], max(times))
                      ) + f" ({over} over 50 ms)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,3000",
                        help="graph sizes, of 100, 1000, 3000 (default: all)")
    args = parser.parse_args()
    print("| nodes | steps | open | next: median / 95th pct / max | back: median / 95th pct / "
          "max | jump to end / to start | SVG |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for size in (int(s) for s in args.sizes.split(",")):
        root = mlp(MLPS[size], seed=0, target=1.0).output
        nodes = len(topological_order(root))
        start = time.perf_counter()
        widget = Explorer(root)
        opening = time.perf_counter() - start
        widget._on_message(widget, {"do": "select", "node": 0}, [])  # details on every click
        nexts = [click(widget, "next") for _ in range(widget.total)]
        backs = [click(widget, "back") for _ in range(widget.total)]
        to_end = click(widget, "end")
        svg = len(widget.svg)
        to_start = click(widget, "start")
        print(f"| {nodes:,} | {widget.total:,} | {opening:.2f} s | {spread(nexts)} | "
              f"{spread(backs)} | {ms(to_end)} / {ms(to_start)} | {svg / 1000:,.0f} kB |")


if __name__ == "__main__":
    main()
