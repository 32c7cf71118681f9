"""An SVG snapshot of the explorer in a light theme: the lesson's marks (this step, just
changed, the grads' signs) in the colours ``tui.theme`` gives a light background.

Update it after a deliberate change with
``uv run pytest tests/tui/test_snapshots_theme.py --snapshot-update`` and look at the new
SVG before committing it.
"""

from __future__ import annotations

from micrograd.presets import classic_neuron
from tui.app import ExplorerApp


def test_light_theme_mid_backward(snap_compare) -> None:
    async def light_then_step(pilot) -> None:
        pilot.app.theme = "textual-light"
        await pilot.pause(0.2)
        await pilot.press("b", "space", "space", "space")
        await pilot.pause(0.2)

    assert snap_compare(ExplorerApp(classic_neuron()), terminal_size=(80, 24),
                        run_before=light_then_step)
