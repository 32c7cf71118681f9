"""SVG snapshots of the training screen mid-training, so what a learner sees cannot drift.

Update after a deliberate change with ``uv run pytest tests/tui/test_snapshots_train.py
--snapshot-update`` and look at the new SVGs before committing them.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from micrograd.graph import paused_gc
from micrograd.train import TrainConfig, Trainer
from tui.app import ExplorerApp

SIZES = [(80, 24), (140, 45)]


def mid_training(steps: int, zero_grad: bool = True) -> ExplorerApp:
    """The demo's run after ``steps`` steps, each recorded as taking 80 ms (a snapshot must
    not show this machine's speed)."""
    trainer = Trainer(TrainConfig())
    trainer.zero_grad = zero_grad
    with paused_gc():  # as the training screen trains: no reference cycles in a step's graph
        for _ in range(steps):
            trainer.train_step()
    trainer.history[:] = [replace(record, seconds=0.08) for record in trainer.history]
    return ExplorerApp(trainer.sample_program(0), trainer=trainer)


async def settle(pilot) -> None:
    await pilot.pause(0.1)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_training_mid_run(snap_compare, size: tuple[int, int]) -> None:
    async def choose_a_sample(pilot) -> None:
        await settle(pilot)
        await pilot.press("right", "down")
        await settle(pilot)

    assert snap_compare(mid_training(30), terminal_size=size, run_before=choose_a_sample)


@pytest.mark.slow
def test_training_without_zero_grad(snap_compare) -> None:
    assert snap_compare(mid_training(12, zero_grad=False), terminal_size=(80, 24),
                        run_before=settle)
