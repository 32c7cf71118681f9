"""The step panel: where we are on the timeline and the current step's chain-rule arithmetic."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from micrograd.backprop import Stepper
from tui.present import position_text, step_lines


class StepPanel(Static, can_focus=True):
    """Phase, ``step k of N``, and one line of arithmetic per parent of the current node."""

    DEFAULT_CSS = """
    StepPanel { height: auto; padding: 0 1; }
    """

    def __init__(self, stepper: Stepper, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stepper = stepper
        self.extra: list[str] = []  # a note under the step, e.g. the last nudge

    def set_stepper(self, stepper: Stepper) -> None:
        """A new timeline: any note about the old one (a nudge) goes."""
        self.stepper = stepper
        self.show(extra=[])

    def on_mount(self) -> None:
        self.show()

    def show(self, extra: list[str] | None = None) -> None:
        """Redraw from the Stepper; ``extra`` lines (a nudge's result) come first, so that a
        short panel still shows them."""
        if extra is not None:
            self.extra = extra
        stepper = self.stepper
        text = Text()
        for line in self.extra:
            text.append(line + "\n", style="bold yellow")
        phase_style = "bold cyan" if stepper.phase == "forward" else "bold magenta"
        if stepper.at_start:
            phase_style = "bold"
        text.append(position_text(stepper), style=phase_style)
        for line in step_lines(stepper):
            text.append("\n")
            text.append(line, style="" if stepper.current else "dim")
        self.update(text)
