"""Engine benchmark, run by hand: ``uv run python bench/engine.py [--quick]``.

Measures, with the garbage collector on (as users run it):
  - ns per node, forward and backward, on a chain ``y = (y * 1.0001 + 0.1).tanh()``
  - ns per node, forward and backward, on a pairwise sum of 100,000 products
  - seconds per training step of MLP(2, [16, 16, 1]) on 100 moons points
    (max-margin loss + L2, SGD)
  - bytes per node (tracemalloc) of a 100,000-node graph after backward
  - the deepest chain that backpropagates (tried up to a cap)

A node is every Value in the graph, constants included (the chain has 5 per link:
two constants, the product, the sum and the tanh). Each timing is the median of several
runs. Results go to bench/RESULTS.md by hand, with the machine and the date.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from micrograd.backprop import topological_order  # noqa: E402
from micrograd.value import Value  # noqa: E402


def chain(links: int) -> Value:
    y = Value(0.5, label="y")
    for _ in range(links):
        y = (y * 1.0001 + 0.1).tanh()
    return y


def pairwise_sum_of_products(n: int) -> Value:
    xs = [Value(i * 1e-5, label="x") for i in range(n)]
    ws = [Value(1.0 - i * 1e-5, label="w") for i in range(n)]
    terms = [x * w for x, w in zip(xs, ws, strict=True)]
    while len(terms) > 1:  # a balanced tree of sums: depth log2(n)
        paired = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        if len(terms) % 2:
            paired.append(terms[-1])
        terms = paired
    return terms[0]


def median_time(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeats):
        result = None
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def forward_backward(build: Callable[[], Value], repeats: int) -> tuple[float, float, int]:
    """Median ns per node for building the graph and for one backward() over it."""
    forward_times, backward_times = [], []
    nodes = 0
    for _ in range(repeats):
        start = time.perf_counter()
        root = build()
        middle = time.perf_counter()
        root.backward()
        end = time.perf_counter()
        nodes = len(topological_order(root))
        forward_times.append(middle - start)
        backward_times.append(end - middle)
        del root
    ns = 1e9 / nodes
    return statistics.median(forward_times) * ns, statistics.median(backward_times) * ns, nodes


def mlp_step_seconds(repeats: int) -> tuple[float, int]:
    from micrograd.data import make_moons
    from micrograd.nn import MLP, SGD, l2, max_margin_loss

    X, y = make_moons(n=100, noise=0.1, seed=1)
    model = MLP(2, [16, 16, 1], seed=1337)
    optimizer = SGD(model.parameters(), lr=0.05)
    nodes = 0

    def step() -> None:
        nonlocal nodes
        scores = [model(x) for x in X]
        loss = max_margin_loss(scores, y) + l2(model.parameters(), alpha=1e-4)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        nodes = len(topological_order(loss))

    step()  # warm up
    seconds, _ = median_time(step, repeats)
    return seconds, nodes


def bytes_per_node(links: int) -> tuple[float, int]:
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    root = chain(links)
    root.backward()
    used = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    nodes = len(topological_order(root))
    return used / nodes, nodes


def deepest_chain(cap: int) -> int:
    depth = 1000
    deepest = 0
    while depth <= cap:
        x = Value(1.0)
        y = x
        for _ in range(depth):
            y = y * 1.0
        try:
            y.backward()
        except RecursionError:
            return deepest
        deepest = depth
        del x, y
        depth *= 10
    return deepest


def closure_chain_ns(links: int, repeats: int) -> tuple[float, float, int]:
    """The same chain on the closure-per-node design (bench/closure_engine.py), kept short
    enough for its recursive sort (the default recursion limit is 1,000 frames)."""
    from closure_engine import ClosureValue

    def build() -> ClosureValue:
        y = ClosureValue(0.5)
        for _ in range(links):
            y = (y * 1.0001 + 0.1).tanh()
        return y

    forward_times, backward_times = [], []
    for _ in range(repeats * 20):
        start = time.perf_counter()
        root = build()
        middle = time.perf_counter()
        root.backward()
        forward_times.append(middle - start)
        backward_times.append(time.perf_counter() - middle)
    nodes = 5 * links + 1
    ns = 1e9 / nodes
    return statistics.median(forward_times) * ns, statistics.median(backward_times) * ns, nodes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller cap")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7

    print(f"python {platform.python_version()} on {platform.machine()}, gc enabled: "
          f"{gc.isenabled()}")
    fwd, bwd, nodes = forward_backward(lambda: chain(20_000), repeats)
    print(f"chain ({nodes:,} nodes):            forward {fwd:6.0f} ns/node   "
          f"backward {bwd:6.0f} ns/node")
    gc.disable()
    fwd, bwd, nodes = forward_backward(lambda: chain(20_000), repeats)
    gc.enable()
    print(f"  the same with the garbage collector off: forward {fwd:6.0f}   backward {bwd:6.0f}")
    fwd, bwd, nodes = forward_backward(lambda: chain(150), repeats * 20)
    print(f"chain ({nodes:,} nodes), for the comparison: forward {fwd:6.0f}   "
          f"backward {bwd:6.0f}")
    fwd, bwd, nodes = closure_chain_ns(150, repeats)
    print(f"  closure-per-node engine, same chain: forward {fwd:6.0f}   backward {bwd:6.0f}")
    fwd, bwd, nodes = forward_backward(lambda: pairwise_sum_of_products(100_000), repeats)
    print(f"sum of products ({nodes:,} nodes): forward {fwd:6.0f} ns/node   "
          f"backward {bwd:6.0f} ns/node")
    seconds, nodes = mlp_step_seconds(repeats)
    print(f"MLP(2, [16, 16, 1]) step on 100 moons ({nodes:,} nodes): {seconds:.3f} s")
    per_node, nodes = bytes_per_node(20_000)
    print(f"memory ({nodes:,}-node chain after backward): {per_node:.0f} bytes/node")
    cap = 100_000 if args.quick else 1_000_000
    print(f"deepest chain that backpropagates (tried up to {cap:,}): {deepest_chain(cap):,}")


if __name__ == "__main__":
    main()
