"""draw_dot benchmark, run by hand: ``uv run python bench/draw.py [--sizes 100,1000,10000]``.

For MLP loss graphs (the presets ``bench/tui.py`` uses) and a sum of products of about
100, 1,000 and 10,000 nodes, after a backward: the time of ``draw_dot`` (layout and SVG),
of the layout alone, and the size of the SVG. Target: 1,000 nodes in under a second.
Results go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from micrograd.draw import BOX_HEIGHT, BOX_WIDTH, draw_dot  # noqa: E402
from micrograd.graph import to_networkx  # noqa: E402
from micrograd.layout import compute_layout  # noqa: E402
from micrograd.presets import mlp  # noqa: E402
from micrograd.value import Value, topological_order  # noqa: E402

#: MLP sizes whose loss graphs have about 100, 1k, 10k and 100k nodes (as bench/tui.py).
MLPS = {100: [2, 4, 1], 1_000: [4, 14, 14, 1], 10_000: [16, 48, 48, 1],
        100_000: [48, 160, 160, 1]}


def sum_of_products(nodes: int) -> Value:
    """``x0*w0 + x1*w1 + ...``: four nodes a term, a long chain with terms coming in."""
    total = Value(0.0, label="total")
    for k in range(nodes // 4):
        total = total + Value(k / 7, label=f"x{k}") * Value(-k / 3, label=f"w{k}")
    return total


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """The median of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="comma-separated node counts (100, 1000, 10000, 100000)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{'graph':<22} {'nodes':>8} {'draw_dot':>9} {'layout':>8} {'svg':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        graphs = [(f"mlp {MLPS[size]}", mlp(MLPS[size], seed=0, target=1.0).output),
                  ("sum of products", sum_of_products(size))]
        for name, root in graphs:
            root.backward()
            repeats = args.repeats if size <= 10_000 else 1
            nodes = len(topological_order(root))
            drawn = best_of(repeats, lambda root=root: draw_dot(root))
            laid = best_of(repeats, lambda root=root: compute_layout(
                to_networkx(root, renumber=True), box_width=BOX_WIDTH, box_height=BOX_HEIGHT))
            kib = len(draw_dot(root).svg.encode()) / 1024
            print(f"{name:<22} {nodes:>8,} {drawn:>8.3f}s {laid:>7.3f}s {kib:>7,.0f}KiB")


if __name__ == "__main__":
    main()
