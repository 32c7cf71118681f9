"""SVG snapshots of the explorer's screens, so what a learner sees cannot drift unnoticed.

Update them after a deliberate change with ``uv run pytest tests/tui --snapshot-update`` and
look at the new SVGs before committing them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from micrograd.expr import evaluate
from micrograd.presets import classic_neuron
from tui.app import ExplorerApp

SIZES = [(80, 24), (140, 45)]

MOMENTS = {
    "start": [],
    "mid_forward": ["space"] * 3,
    "mid_backward": ["b", "space", "space", "space"],
    "end": ["end"],
    "help": ["question_mark"],
    # the quiz asking for n.grad before o's backward step
    "quiz": ["t", "b", "space"],
    # the step log focused, its cursor three steps back
    "log": ["end", "tab", "up", "up", "up"],
    # finding a node by name
    "find": ["slash", "x", "1"],
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_explorer_snapshot(snap_compare, moment: str, size: tuple[int, int]) -> None:
    async def settle_then_press(pilot) -> None:
        # Let the first paint finish before a modal screen covers it, so the explorer shown
        # behind the modal is always the same picture.
        await pilot.pause(0.2)
        await pilot.press(*MOMENTS[moment])
        # A focused field's cursor blinks every 0.5 s: on a busy machine the picture could be
        # taken in either phase. Hold it shown, as it is right after a key.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause(0.2)

    assert snap_compare(ExplorerApp(classic_neuron()), terminal_size=size,
                        run_before=settle_then_press)


def test_nudge_snapshot(snap_compare) -> None:
    async def nudge_x1(pilot) -> None:
        app = pilot.app
        canvas = app.query_one("#canvas")
        canvas.select(next(n for n in app.explorer.stepper.order if n.name == "x1"))
        await pilot.press("right_square_bracket")
        # The step log's scrollbar is drawn a refresh after the log scrolls to the step.
        await pilot.pause()

    assert snap_compare(ExplorerApp(classic_neuron()), terminal_size=(80, 24),
                        run_before=nudge_x1)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_collapsed_group_snapshot(snap_compare, size: tuple[int, int]) -> None:
    program = evaluate("x1 = 2.0; w1 = -3.0; x2 = 0.0; w2 = 1.0; b = 6.88\n"
                       "n = x1*w1 + x2*w2 + b\no = tanh(n)")

    async def collapse_n(pilot) -> None:
        await pilot.press("h", "c", "space", "space")

    assert snap_compare(ExplorerApp(program), terminal_size=size, run_before=collapse_n)


def test_bug_switch_snapshot(snap_compare) -> None:
    """The bug = instead of += on (B), run to the end: the header says so, the log's last
    step says what was lost, and the table shows each wrong grad beside the true one."""
    program = evaluate("a = -2.0\nb = 3.0\nd = a*b\ne = a + b\nf = d*e", filename="hunt.mg")

    async def bug_then_end(pilot) -> None:
        await pilot.pause(0.2)
        await pilot.press("B", "end")
        await pilot.pause(0.2)

    assert snap_compare(ExplorerApp(program), terminal_size=(80, 24), run_before=bug_then_end)
