"""Every key binding of the explorer, in one place.

The app, the canvas, the help screen and the command palette all read these lists, so a key
shown on the help screen is the key that works.
"""

from __future__ import annotations

from textual.binding import Binding

TIMELINE = [
    Binding("space,right,n", "step", "Next step", id="step"),
    Binding("backspace,left,p", "back", "Previous step", id="back"),
    Binding("home,r", "start", "Back to the start", id="start"),
    Binding("end,f", "finish", "Run to the end", id="finish"),
    Binding("b", "backward_phase", "Jump to the start of the backward pass", id="backward"),
    Binding("a", "autoplay", "Autoplay on/off", id="autoplay"),
    Binding("plus,equals_sign", "faster", "Autoplay faster", id="faster"),
    Binding("minus", "slower", "Autoplay slower", id="slower"),
]

WORKBENCH: list[Binding] = []  # filled by the workbench features (editor, nudge, export)

GENERAL = [
    Binding("tab", "app.focus_next", "Focus the next panel (canvas, table, step panel)",
            id="focus-next"),
    Binding("shift+tab", "app.focus_previous", "Focus the previous panel", id="focus-previous"),
    Binding("question_mark", "help", "Show this help", id="help"),
    Binding("ctrl+p", "command_palette", "Command palette: every action by name",
            id="palette"),
    Binding("q,ctrl+q", "quit", "Quit", id="quit"),
]

CANVAS = [
    Binding("left,h", "move('left')", "Select the node to the left", id="canvas-left"),
    Binding("right,l", "move('right')", "Select the node to the right", id="canvas-right"),
    Binding("up,k", "move('up')", "Select the node above", id="canvas-up"),
    Binding("down,j", "move('down')", "Select the node below", id="canvas-down"),
    Binding("enter", "details", "Show the selected node's details", id="canvas-details"),
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


def key_label(keys: str) -> str:
    """``'space,right,n'`` as ``'space / → / n'``."""
    return " / ".join(_NAMES.get(key, key) for key in keys.split(","))
