"""Training benchmark, run by hand: ``uv run python bench/train.py [--repeats N]``.

For ``micrograd.train.Trainer`` with the default config (classic micrograd's demo: MLP
2,16,16,1, 100 moons points, max-margin + L2, full batch), what a training screen pays:
  - a training step, median over the run's 100 steps (as ``StepRecord.seconds`` says,
    forward, loss, backward, update, accuracy and the undo snapshot included), and its
    slowest; the same with ``batch=10``
  - ``back()``, ``reset()``, ``loss_and_accuracy()``, ``sample_program()``
  - ``scores_grid`` (the decision boundary) for an 80x40 grid and a 140x45 one, the cells of
    the explorer's two test sizes
  - ``micrograd-tui train --no-ui`` as a whole command, piped (imports included)
Collector on, as users run it. Results go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from micrograd.train import TrainConfig, Trainer  # noqa: E402


def median_of(repeats: int, work: Callable[[], object]) -> float:
    """The median of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="runs per small timing")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {platform.machine()}")

    trainer = Trainer()
    start = time.perf_counter()
    for _ in range(trainer.config.steps):
        trainer.train_step()
    run_seconds = time.perf_counter() - start
    steps = [record.seconds for record in trainer.history]
    print(f"default run, 100 steps: {run_seconds:.2f} s; a step: median "
          f"{ms(statistics.median(steps))}, fastest {ms(min(steps))}, slowest {ms(max(steps))}")

    batched = Trainer(TrainConfig(batch=10))
    for _ in range(100):
        batched.train_step()
    print(f"batch=10, a step: median {ms(statistics.median(r.seconds for r in batched.history))}")

    print(f"loss_and_accuracy(): {ms(median_of(args.repeats, trainer.loss_and_accuracy))}")
    print(f"sample_program(17): {ms(median_of(args.repeats, lambda: trainer.sample_program(17)))}")
    x_range, y_range = trainer.bounds()
    for cols, rows in ((80, 40), (140, 45)):
        seconds = median_of(args.repeats,
                            lambda c=cols, r=rows: trainer.scores_grid(x_range, y_range, c, r))
        print(f"scores_grid {cols}x{rows} ({cols * rows:,} points): {ms(seconds)}"
              f" ({seconds / (cols * rows) * 1e6:.1f} µs a point)")

    back_times = []
    while trainer.step:
        start = time.perf_counter()
        trainer.back()
        back_times.append(time.perf_counter() - start)
    print(f"back(): median {ms(statistics.median(back_times))}")
    for _ in range(10):
        trainer.train_step()
    print(f"reset(): {ms(median_of(1, trainer.reset))}")

    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "train", "--no-ui"],
        capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    command = time.perf_counter() - start
    print(f"micrograd-tui train --no-ui, piped: {command:.2f} s; "
          f"{result.stdout.splitlines()[-1]}")


if __name__ == "__main__":
    main()
