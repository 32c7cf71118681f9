"""SVG snapshots of the explorer's screens, so what a learner sees cannot drift unnoticed.

Update them after a deliberate change with ``uv run pytest tests/tui --snapshot-update`` and
look at the new SVGs before committing them.
"""

from __future__ import annotations

import pytest

from micrograd.presets import classic_neuron
from tui.app import ExplorerApp

SIZES = [(80, 24), (140, 45)]

MOMENTS = {
    "start": [],
    "mid_forward": ["space"] * 3,
    "mid_backward": ["b", "space", "space", "space"],
    "end": ["end"],
    "help": ["question_mark"],
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_explorer_snapshot(snap_compare, moment: str, size: tuple[int, int]) -> None:
    assert snap_compare(ExplorerApp(classic_neuron()), press=MOMENTS[moment], terminal_size=size)
