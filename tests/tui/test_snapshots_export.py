"""SVG snapshots of the export and gradient-check screens, at the smallest supported size and
a roomy one.

Update them after a deliberate change with
``uv run pytest tests/tui/test_snapshots_export.py --snapshot-update`` and look at the new
SVGs before committing them.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from micrograd.expr import evaluate
from micrograd.presets import classic_neuron
from tui.app import ExplorerApp

#: log(x) fails at x - h, and relu has a kink at z = 0. Every node is labeled: an unlabeled
#: one is shown as #<id>, a counter over the whole test session.
FAILING = "x = 0.0000001; w = 2.0; z = 0.0\nl = log(x); r = relu(z); rw = r * w; y = l + rw"

SIZES = [(80, 24), (140, 45)]


async def settle(pilot: Pilot) -> None:
    """Let the screen's worker finish and the result be painted."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def opened_with(*keys: str):
    async def run_before(pilot: Pilot) -> None:
        # A dialog shows the explorer behind it as last painted. The explorer lays its
        # panels out again once the terminal's size is known; let that reach the screen
        # first, or the strip of it left visible differs from run to run.
        await settle(pilot)
        await pilot.pause(0.3)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        # The explorer repaints behind the dialog too (its focus moved to the dialog).
        await pilot.pause(0.3)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_screen_text(snap_compare, size: tuple[int, int]) -> None:
    app = ExplorerApp(classic_neuron())
    assert snap_compare(app, terminal_size=size, run_before=opened_with("x"))


def test_export_screen_dot_with_full_gradients(snap_compare) -> None:
    app = ExplorerApp(classic_neuron())
    run_before = opened_with("b", "space", "x", "right", "right", "b")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_gradcheck_screen(snap_compare, size: tuple[int, int]) -> None:
    app = ExplorerApp(classic_neuron())
    assert snap_compare(app, terminal_size=size, run_before=opened_with("g"))


def test_gradcheck_screen_with_failures(snap_compare) -> None:
    program = evaluate(FAILING)
    app = ExplorerApp(program)
    assert snap_compare(app, terminal_size=(80, 24), run_before=opened_with("g"))
