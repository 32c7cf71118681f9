"""Every key binding of the explorer, in one place.

The app, the canvas, the help screen and the command palette all read these lists, so a key
shown on the help screen is the key that works.
"""

from __future__ import annotations

from textual.binding import Binding

TIMELINE = [
    Binding("space,right,n", "step", "Next", tooltip="Next step", id="step"),
    Binding("backspace,left,p", "back", "Back", tooltip="Previous step (an exact undo)",
            id="back"),
    Binding("home,r", "start", "Start", tooltip="Back to the start", id="start"),
    Binding("end,f", "finish", "End", tooltip="Run to the end", id="finish"),
    Binding("b", "backward_phase", "Backward",
            tooltip="Jump to the start of the backward pass", id="backward"),
    Binding("a", "autoplay", "Play", tooltip="Autoplay on/off", id="autoplay"),
    Binding("plus,equals_sign", "faster", "Faster", tooltip="Autoplay faster", show=False,
            id="faster"),
    Binding("minus", "slower", "Slower", tooltip="Autoplay slower", show=False, id="slower"),
]

WORKBENCH = [
    Binding("e", "edit", "Edit", tooltip="Edit the program (expression editor)", id="edit"),
    Binding("m", "build", "Build", tooltip="Build a neuron or an MLP", id="build"),
    Binding("left_square_bracket", "nudge(-1)", "Nudge -h", show=False,
            tooltip="Lower the selected leaf by h and see the output move", id="nudge-down"),
    Binding("right_square_bracket", "nudge(1)", "Nudge +h", show=False,
            tooltip="Raise the selected leaf by h and see the output move", id="nudge-up"),
    Binding("left_curly_bracket", "step_size(-1)", "h smaller", show=False,
            tooltip="Make the nudge step h smaller", id="h-down"),
    Binding("right_curly_bracket", "step_size(1)", "h larger", show=False,
            tooltip="Make the nudge step h larger", id="h-up"),
    Binding("u", "reset_nudges", "Undo nudges", show=False,
            tooltip="Put every nudged leaf back to its value when the graph was opened",
            id="reset-nudges"),
    Binding("g", "grad_check", "Check", tooltip="Check every gradient against central "
            "differences", id="grad-check"),
    Binding("c", "toggle_collapse", "Collapse", show=False,
            tooltip="Collapse or expand the selected node's group (a neuron)", id="collapse"),
    Binding("C", "toggle_all_groups", "Collapse all", show=False,
            tooltip="Collapse every group, or expand them all", id="collapse-all"),
    Binding("x", "export", "Export", tooltip="Export the graph (text, DOT, Mermaid, JSON, ...)",
            id="export"),
    Binding("ctrl+s", "screenshot", "Screenshot", show=False,
            tooltip="Save an SVG screenshot of the screen", id="screenshot"),
]

GENERAL = [
    Binding("tab", "app.focus_next", "Next panel", show=False,
            tooltip="Focus the next panel (graph, step panel, node table)", id="focus-next"),
    Binding("shift+tab", "app.focus_previous", "Previous panel", show=False,
            tooltip="Focus the previous panel", id="focus-previous"),
    Binding("question_mark", "help", "Help", tooltip="Show every key", id="help"),
    Binding("ctrl+p", "command_palette", "Commands", show=False,
            tooltip="Command palette: every action by name", id="palette"),
    Binding("q,ctrl+q", "quit", "Quit", tooltip="Quit", id="quit"),
]

#: Scrolling widgets bind home and end (and the arrows) themselves; in ours, these keys keep
#: their timeline meaning.
TIMELINE_IN_PANELS = [
    Binding("home", "app.start", "Start", show=False),
    Binding("end", "app.finish", "End", show=False),
]

CANVAS = [
    Binding("left,h", "move('left')", "Left", show=False,
            tooltip="Select the node to the left", id="canvas-left"),
    Binding("right,l", "move('right')", "Right", show=False,
            tooltip="Select the node to the right", id="canvas-right"),
    Binding("up,k", "move('up')", "Up", show=False, tooltip="Select the node above",
            id="canvas-up"),
    Binding("down,j", "move('down')", "Down", show=False, tooltip="Select the node below",
            id="canvas-down"),
    Binding("enter", "details", "Details",
            tooltip="Details of the selected node: data, grad, operands, local derivatives",
            id="canvas-details"),
]

#: Groups for the help screen, in the order shown.
KEY_GROUPS: list[tuple[str, list[Binding]]] = [
    ("Timeline", TIMELINE),
    ("In the graph canvas (arrows move the selection there, not the timeline)", CANVAS),
    ("Workbench", WORKBENCH),
    ("General", GENERAL),
]

_NAMES = {
    "space": "space", "right": "→", "left": "←", "up": "↑", "down": "↓",
    "backspace": "backspace", "question_mark": "?", "plus": "+", "equals_sign": "=",
    "minus": "-", "left_square_bracket": "[", "right_square_bracket": "]",
    "left_curly_bracket": "{", "right_curly_bracket": "}", "escape": "esc",
}


def help_text(binding: Binding) -> str:
    """The long description of a binding, for the help screen and the command palette."""
    return binding.tooltip or binding.description


def key_label(keys: str) -> str:
    """``'space,right,n'`` as ``'space / → / n'``."""
    return " / ".join(_NAMES.get(key, key) for key in keys.split(","))
