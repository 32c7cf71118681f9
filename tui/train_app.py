"""The training screen: a placeholder until it is built (``micrograd-tui train --no-ui``
prints the run instead)."""

from __future__ import annotations

from micrograd.train import TrainConfig


def run_train_app(config: TrainConfig) -> int:
    """Open the training screen on ``config`` and return the exit status."""
    raise NotImplementedError("the training screen is not built yet; use --no-ui")
