"""The training screen under load, run by hand: ``uv run python bench/train_app.py``.

Opens ``micrograd-tui train`` headless (Textual's test driver, 140x45), plays the default
run (classic micrograd's demo) at full speed, and measures while it plays:
  - steps per second and the median step time as the trainer records it, in the app (the
    UI thread and the boundary share the interpreter with the training thread);
  - how long a key takes to be handled: ``z`` pressed and the toggle seen, 30 times, while
    training plays (the goal: under 50 ms);
  - the boundary grid at the screen's size (``scores_grid`` alone).
Results go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import asyncio
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from micrograd.train import TrainConfig, Trainer  # noqa: E402
from tui.screens.train import TrainScreen  # noqa: E402
from tui.train_app import train_app  # noqa: E402

PRESSES = 30


async def main() -> None:
    app = train_app(TrainConfig(steps=100_000))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, TrainScreen)
        screen.speed = 0  # full speed
        await pilot.press("a")
        started, first_step = time.perf_counter(), screen.trainer.step
        await asyncio.sleep(2.0)
        latencies = []
        for _ in range(PRESSES):
            before = screen.trainer.zero_grad
            pressed = time.perf_counter()
            app.simulate_key("z")  # as a key arrives: queued, not awaited
            while screen.trainer.zero_grad == before:
                await asyncio.sleep(0.001)
            latencies.append(time.perf_counter() - pressed)
            await asyncio.sleep(0.15)
        elapsed = time.perf_counter() - started
        steps = screen.trainer.step - first_step
        records = screen.trainer.history[first_step:]
        await pilot.press("a")
        await app.workers.wait_for_complete()
        size = screen.query_one("#train-map").content_size
    grid_trainer = Trainer(TrainConfig())
    ranges = grid_trainer.bounds()
    grid_times = []
    for _ in range(5):
        start = time.perf_counter()
        grid_trainer.scores_grid(*ranges, size.width, size.height * 2)
        grid_times.append(time.perf_counter() - start)
    print(f"Python {platform.python_version()}, 140x45, playing at full speed")
    print(f"steps while playing: {steps} in {elapsed:.1f} s = {steps / elapsed:.1f} a second; "
          f"median step {statistics.median(r.seconds for r in records) * 1000:.0f} ms "
          "(as the trainer records it)")
    print(f"key z handled while playing: median {statistics.median(latencies) * 1000:.1f} ms, "
          f"worst {max(latencies) * 1000:.1f} ms over {PRESSES} presses")
    print(f"boundary grid {size.width}x{size.height * 2}: "
          f"median {statistics.median(grid_times) * 1000:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
