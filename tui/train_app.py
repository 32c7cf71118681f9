"""``micrograd-tui train``: the explorer app, opened on its training screen."""

from __future__ import annotations

from micrograd.train import TrainConfig, Trainer


def train_app(config: TrainConfig):  # -> ExplorerApp (Textual loads only when called)
    """The app for ``config``: the training screen first, over the explorer, which shows
    sample 0's loss graph until ``enter`` opens another."""
    from tui.app import ExplorerApp

    trainer = Trainer(config)
    return ExplorerApp(trainer.sample_program(0), trainer=trainer)
