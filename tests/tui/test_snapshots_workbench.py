"""SVG snapshots of the workbench screens: the editor showing an error, and the builder.

Update them after a deliberate change with
``uv run pytest tests/tui/test_snapshots_workbench.py --snapshot-update`` and look at the
new SVGs before committing them.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from micrograd.presets import classic_neuron
from tui.app import ExplorerApp
from tui.screens.editor import EditorScreen, ProgramArea

SIZES = [(80, 24), (140, 45)]
BROKEN = """\
# the classic neuron, with a typo
x1 = 2.0; x2 = 0.0
w1 = -3.0; w2 = 1.0
b = 6.8813735870195432
n = x1*w1 + x2*w3 + b
o = tanh(n)
"""


async def editor_with_an_error(pilot: Pilot) -> None:
    await pilot.press("e")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, EditorScreen)
    area = screen.query_one(ProgramArea)
    area.cursor_blink = False
    area.replace(BROKEN, (0, 0), area.document.end)
    area.move_cursor((4, 0))
    screen.check()  # now, not after the typing delay
    await pilot.pause()


async def builder_neuron(pilot: Pilot) -> None:
    await pilot.press("m")
    await pilot.pause()
    pilot.app.screen.query_one("#neuron-inputs", Input).cursor_blink = False


async def builder_mlp_with_an_error(pilot: Pilot) -> None:
    await pilot.press("m")
    await pilot.pause()
    screen = pilot.app.screen
    screen.query_one(TabbedContent).active = "mlp"
    await pilot.pause()
    sizes = screen.query_one("#mlp-sizes", Input)
    sizes.cursor_blink = False
    sizes.focus()
    sizes.value = "2,x,1"
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_editor_with_an_error(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(
        ExplorerApp(classic_neuron()), terminal_size=size, run_before=editor_with_an_error
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_builder_neuron(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(
        ExplorerApp(classic_neuron()), terminal_size=size, run_before=builder_neuron
    )


def test_builder_mlp_with_an_error(snap_compare) -> None:
    assert snap_compare(
        ExplorerApp(classic_neuron()), terminal_size=(80, 24),
        run_before=builder_mlp_with_an_error,
    )
