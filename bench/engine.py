"""Engine benchmark, run by hand: ``uv run python bench/engine.py [--quick]``.

First, against classic micrograd 0.1.0 (``bench/classic_micrograd``, vendored unchanged),
in one interleaved run (each repeat times classic, then this engine), as ratios of this
engine's time to classic's:
  - one training step of classic micrograd's demo.ipynb, its own code on each engine:
    MLP(2, [16, 16, 1]) from random.seed(1337) on its 100 moons points, max-margin + L2,
    SGD with its decaying learning rate (tests/micrograd/fixtures/demo_moons.csv)
  - forward + backward per node on a chain ``y = (y * 1.0001 + 0.1).relu()`` (ops both
    engines have), short enough for classic's recursive sort
  - bytes per node (tracemalloc) of the same chain after backward
each with the garbage collector on (as users run it) and again with it off.

Then, this engine alone, with the garbage collector on:
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
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from micrograd.nn import MLP  # noqa: E402
from micrograd.value import Value, topological_order  # noqa: E402

FIXTURE = Path(__file__).resolve().parent.parent / "tests/micrograd/fixtures/demo_moons.csv"


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


# --- against classic micrograd ------------------------------------------------------------


def demo_data() -> tuple[list[list[float]], list[int]]:
    rows = [r for r in FIXTURE.read_text().splitlines() if not r.startswith("#")][1:]
    return ([[float(a), float(b)] for a, b, _ in (r.split(",") for r in rows)],
            [int(r.split(",")[2]) for r in rows])


def demo_trainer(value_class: type, mlp_class: type) -> Callable[[], int]:
    """One step of classic micrograd's demo notebook, its code as written, on an engine:
    returns a function that takes the next step and gives the graph's node count."""
    X, y = demo_data()
    random.seed(1337)
    model = mlp_class(2, [16, 16, 1])
    k = 0

    def step() -> int:
        nonlocal k
        inputs = [list(map(value_class, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores, strict=True)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * (k % 100) / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        k += 1
        return k

    return step


def relu_chain(value_class: type, links: int) -> object:
    y = value_class(0.5)
    for _ in range(links):
        y = (y * 1.0001 + 0.1).relu()
    return y


def interleaved(
    runs: dict[str, Callable[[], object]], repeats: int, block: int = 5
) -> dict[str, float]:
    """Median seconds per call of each run: the runs take turns, ``block`` calls in a row
    each time, as a training loop makes them.

    Classic micrograd's graphs are reference cycles that only the cycle collector frees, so
    what one call leaves behind is paid for by the calls after it. Within a block that is
    the same engine, as in real use; between blocks an untimed ``gc.collect()`` clears the
    heap, so that no engine pays for the other's garbage.
    """
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            gc.collect()
            start = time.perf_counter()
            for _ in range(block):
                run()
            times[name].append((time.perf_counter() - start) / block)
    return {name: statistics.median(t) for name, t in times.items()}


def chain_bytes(value_class: type, links: int) -> float:
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    root = relu_chain(value_class, links)
    root.backward()
    used = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    del root
    return used / (5 * links + 1)


def against_classic(repeats: int) -> None:
    from classic_micrograd.engine import Value as ClassicValue
    from classic_micrograd.nn import MLP as ClassicMLP

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50_000))
    links = 2_000  # 10,001 nodes: classic's recursive sort goes 6,000 frames deep
    def ours_count() -> int:
        # The graph of one demo step on this engine, for the table.
        X, y = demo_data()
        random.seed(1337)
        model = MLP(2, [16, 16, 1])
        scores = [model(list(map(Value, x))) for x in X]
        losses = [(1 + -yi * s).relu() for yi, s in zip(y, scores, strict=True)]
        total = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters())
        return len(topological_order(total))

    nodes_mlp = ours_count()
    print(f"against classic micrograd 0.1.0, interleaved, medians of {repeats} "
          f"(python {platform.python_version()})")
    print(f"{'measure':<48} {'gc':<4} {'classic':>10} {'this':>10} {'ratio':>7}")
    for gc_on in (True, False):
        (gc.enable if gc_on else gc.disable)()
        classic_step = demo_trainer(ClassicValue, ClassicMLP)
        our_step = demo_trainer(Value, MLP)
        classic_step()
        our_step()
        t = interleaved({"classic": classic_step, "ours": our_step}, repeats)
        print(f"{f'demo MLP step ({nodes_mlp:,} nodes), s':<48} {'on' if gc_on else 'off':<4} "
              f"{t['classic']:>10.4f} {t['ours']:>10.4f} {t['ours'] / t['classic']:>6.3f}x")

        def chain_run(cls: type) -> Callable[[], object]:
            return lambda: relu_chain(cls, links).backward()

        t = interleaved({"classic": chain_run(ClassicValue), "ours": chain_run(Value)},
                        repeats)
        ns = 1e9 / (5 * links + 1)
        print(f"{f'chain forward + backward ({5 * links + 1:,} nodes), ns/node':<48} "
              f"{'on' if gc_on else 'off':<4} {t['classic'] * ns:>10.0f} {t['ours'] * ns:>10.0f} "
              f"{t['ours'] / t['classic']:>6.3f}x")
        gc.enable()
    classic_bytes = chain_bytes(ClassicValue, links)
    our_bytes = chain_bytes(Value, links)
    print(f"{'memory, same chain after backward, bytes/node':<48} {'':<4} "
          f"{classic_bytes:>10.0f} {our_bytes:>10.0f} {our_bytes / classic_bytes:>6.3f}x")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller cap")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7

    against_classic(5 if args.quick else 15)
    print(f"this engine alone: python {platform.python_version()} on {platform.machine()}, "
          f"gc enabled: {gc.isenabled()}")
    fwd, bwd, nodes = forward_backward(lambda: chain(20_000), repeats)
    print(f"chain ({nodes:,} nodes):            forward {fwd:6.0f} ns/node   "
          f"backward {bwd:6.0f} ns/node")
    gc.disable()
    fwd, bwd, nodes = forward_backward(lambda: chain(20_000), repeats)
    gc.enable()
    print(f"  the same with the garbage collector off: forward {fwd:6.0f}   backward {bwd:6.0f}")
    fwd, bwd, nodes = forward_backward(lambda: chain(150), repeats * 20)
    print(f"chain ({nodes:,} nodes, a small heap): forward {fwd:6.0f}   "
          f"backward {bwd:6.0f}")
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
