"""Every key binding of the explorer, in one place.

The app, the canvas, the help screen and the command palette all read these lists, so a key
shown on the help screen is the key that works.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding

TIMELINE = [
    Binding("space,right,n", "step", "Next", tooltip="Next step", id="step"),
    Binding("backspace,left,p", "back", "Back", tooltip="Previous step (an exact undo)",
            id="back"),
    Binding("home,r", "start", "Start", show=False, tooltip="Back to the start", id="start"),
    Binding("end,f", "finish", "End", show=False, tooltip="Run to the end", id="finish"),
    Binding("b", "backward_phase", "Backward",
            tooltip="Jump to the start of the backward pass", id="backward"),
    Binding("a", "autoplay", "Play", show=False, tooltip="Autoplay on/off", id="autoplay"),
    Binding("escape", "stop", "Stop", show=False,
            tooltip="Stop a long jump (end on a big graph) or autoplay where it is", id="stop"),
    Binding("plus,equals_sign", "faster", "Faster", tooltip="Autoplay faster", show=False,
            id="faster"),
    Binding("minus", "slower", "Slower", tooltip="Autoplay slower", show=False, id="slower"),
]

WORKBENCH = [
    Binding("e", "edit", "Edit", show=False, tooltip="Edit the program (expression editor)",
            id="edit"),
    Binding("m", "build", "Build", show=False, tooltip="Build a neuron or an MLP", id="build"),
    Binding("left_square_bracket", "nudge(-1)", "Nudge -h", show=False,
            tooltip="Lower the selected leaf by h and see the output move", id="nudge-down"),
    Binding("right_square_bracket", "nudge(1)", "Nudge +h", show=False,
            tooltip="Raise the selected leaf by h and see the output move", id="nudge-up"),
    Binding("left_curly_bracket", "step_size(-1)", "h smaller", show=False,
            tooltip="Make the nudge step h smaller", id="h-down"),
    Binding("right_curly_bracket", "step_size(1)", "h larger", show=False,
            tooltip="Make the nudge step h larger", id="h-up"),
    Binding("s", "set_value", "Set value", show=False,
            tooltip="Give the selected leaf a new value (a number, or arithmetic like 1/3); "
            "the graph computes again, u puts it back", id="set-value"),
    Binding("B", "bug_switch", "Bug", show=False,
            tooltip="Run one of the video's backward bugs for real: = instead of +=, then "
            "backward in the wrong order, then no zero_grad, then off", id="bug"),
    Binding("u", "reset_nudges", "Undo nudges", show=False,
            tooltip="Put every nudged or set leaf back to its value when the graph was opened",
            id="reset-nudges"),
    Binding("g", "grad_check", "Check", show=False,
            tooltip="Check every gradient against central differences", id="grad-check"),
    Binding("c", "toggle_collapse", "Collapse", show=False,
            tooltip="Collapse or expand the selected node's group (a neuron)", id="collapse"),
    Binding("C", "toggle_all_groups", "Collapse all", show=False,
            tooltip="Collapse every group, or expand them all", id="collapse-all"),
    Binding("x", "export", "Export", show=False,
            tooltip="Export the graph (text, DOT, Mermaid, JSON, ...)", id="export"),
    Binding("T", "app.train", "Train", show=False,
            tooltip="Watch a network learn: the training screen (micrograd-tui train)",
            id="train"),
    Binding("ctrl+s", "screenshot", "Screenshot", show=False,
            tooltip="Save an SVG screenshot of the screen in the folder the app started in",
            id="screenshot"),
]

#: How much of the graph is seen: zoom levels, the whole graph, the network view.
VIEW = [
    Binding("z", "zoom(-1)", "Zoom out", show=False, tooltip="Zoom out: smaller boxes, more "
            "of the graph (full, compact, overview)", id="zoom-out"),
    Binding("Z", "zoom(1)", "Zoom in", show=False, tooltip="Zoom in: bigger boxes (overview, "
            "compact, full)", id="zoom-in"),
    Binding("0", "fit", "Fit", show=False, tooltip="Fit: the roomiest zoom at which the whole "
            "graph fits the screen (how a graph opens)", id="zoom-fit"),
    Binding("o", "overview", "Overview", show=False, tooltip="Overview: the whole graph on one "
            "screen; a click (or Z) zooms in there", id="overview"),
    Binding("d", "edge_labels", "Derivatives", show=False, tooltip="Derivatives on edges: "
            "each edge's local derivative written on it (∂ b = -3.0), at full zoom; d again: "
            "off", id="edge-labels"),
    Binding("v", "network_view", "Network", show=False, tooltip="Network view: an MLP as "
            "layers of neurons and weight matrices, filling in as backward runs (v again: "
            "the graph)", id="network-view"),
]

#: In the network view (``v``): the arrows choose a neuron, enter opens its graph.
NETWORK = [
    Binding("right", "screen.step", "Next", show=False, tooltip="Next step", id="network-next"),
    Binding("left", "screen.back", "Back", show=False, tooltip="Previous step",
            id="network-back"),
    Binding("up,k", "move('up')", "Up", show=False, tooltip="Select the neuron above",
            id="network-up"),
    Binding("down,j", "move('down')", "Down", show=False, tooltip="Select the neuron below",
            id="network-down"),
    Binding("h,shift+left", "move('left')", "Left", show=False,
            tooltip="Select a neuron of the layer before", id="network-left"),
    Binding("l,shift+right", "move('right')", "Right", show=False,
            tooltip="Select a neuron of the layer after", id="network-right"),
    Binding("enter", "open", "Open", show=False,
            tooltip="Open the selected neuron's own graph (the detailed view)",
            id="network-open"),
]

QUIZ_AND_FIND = [
    Binding("slash", "find", "Find", tooltip="Find a node by name or number and select it",
            id="find"),
    Binding("t", "quiz", "Quiz", tooltip="Quiz on/off: before each backward step, type the "
            "grad you expect for each operand; the score is in the title", id="quiz"),
]

#: The lessons (``micrograd-tui learn``). While a lesson is open, n and p turn its pages;
#: otherwise they step the timeline. Priority bindings are tried before the timeline's; the
#: app's ``check_action`` refuses them when no lesson is open (or a box is open over it), and
#: the key goes on to the timeline's binding, or to the box.
LESSONS = [
    Binding("L", "lessons", "Lessons", show=False, tooltip="The lessons: the video's path, a "
            "page at a time beside the graph (micrograd-tui learn)", id="lessons"),
    Binding("n", "lesson_page(1)", "Page", tooltip="In a lesson: the next page (on the last "
            "page, the next lesson)", id="lesson-next", priority=True),
    Binding("p", "lesson_page(-1)", "Page back", show=False,
            tooltip="In a lesson: the page before", id="lesson-back", priority=True),
]

#: The training screen's own keys (``tui/screens/train.py``).
TRAINING = [
    Binding("space", "train_step", "Step", tooltip="One training step: forward over the batch, "
            "loss, zero_grad, backward, update", id="train-step"),
    Binding("a", "train_play", "Play", tooltip="Play or pause the training", id="train-play"),
    Binding("backspace", "train_back", "Back",
            tooltip="Go back a step (the weights and grads as before it)", id="train-back"),
    Binding("r", "train_restart", "Restart", show=False,
            tooltip="Start over: the same starting weights and data", id="train-restart"),
    Binding("z", "train_zero_grad", "zero_grad",
            tooltip="Skip zero_grad or not: the video's forgotten line", id="train-zero-grad"),
    Binding("plus,equals_sign", "train_speed(1)", "Faster", show=False,
            tooltip="Play faster", id="train-faster"),
    Binding("minus", "train_speed(-1)", "Slower", show=False, tooltip="Play slower",
            id="train-slower"),
    Binding("left", "select(-1, 0)", "Sample left", show=False,
            tooltip="Select the nearest data point to the left", id="train-left"),
    Binding("right", "select(1, 0)", "Sample right", show=False,
            tooltip="Select the nearest data point to the right", id="train-right"),
    Binding("up", "select(0, -1)", "Sample up", show=False,
            tooltip="Select the nearest data point above", id="train-up"),
    Binding("down", "select(0, 1)", "Sample down", show=False,
            tooltip="Select the nearest data point below", id="train-down"),
    Binding("v", "train_network", "Network", show=False, tooltip="Network view: the weights' "
            "grads of the last backward as the network's matrices, or the largest grads as a "
            "list", id="train-network"),
    Binding("enter", "open_sample", "Graph", tooltip="Open the selected sample's loss at the "
            "current weights in the explorer, to step its backward pass", id="train-open"),
    Binding("escape", "leave", "Explorer", tooltip="Back to the explorer (T returns here)",
            id="train-leave"),
]

GENERAL = [
    Binding("tab", "app.focus_next", "Next panel", show=False,
            tooltip="Focus the next panel (graph, step log, node table)", id="focus-next"),
    Binding("shift+tab", "app.focus_previous", "Previous panel", show=False,
            tooltip="Focus the previous panel", id="focus-previous"),
    Binding("question_mark", "help", "Help", tooltip="Show every key", id="help"),
    Binding("ctrl+p", "command_palette", "Commands", show=False,
            tooltip="Command palette: every action by name", id="palette"),
    # ctrl+q quits too: Textual binds it for every app (listed in help, not the footer).
    Binding("q", "quit", "Quit", tooltip="Quit (also ctrl+q)", id="quit"),
]

#: Scrolling widgets bind home and end (and the arrows) themselves; in ours, these keys keep
#: their timeline meaning.
TIMELINE_IN_PANELS = [
    Binding("home", "screen.start", "Start", show=False),
    Binding("end", "screen.finish", "End", show=False),
]

#: Closing a box of text (the help, a node's details); each adds a key of its own below.
CLOSE = [Binding("escape,q", "close", "Close", id="close")]
HELP_SCREEN = [Binding("question_mark", "close", "Close help", show=False, id="help-close")]
DETAILS_SCREEN = [Binding("enter", "close", "Close", show=False, id="details-close")]

CANVAS = [
    # ← and → step the timeline here too, as in every panel: the first keys a learner tries.
    Binding("right", "screen.step", "Next", show=False, tooltip="Next step", id="canvas-next"),
    Binding("left", "screen.back", "Back", show=False, tooltip="Previous step", id="canvas-back"),
    Binding("h,shift+left", "move('left')", "Left", show=False,
            tooltip="Select the node to the left", id="canvas-left"),
    Binding("l,shift+right", "move('right')", "Right", show=False,
            tooltip="Select the node to the right", id="canvas-right"),
    Binding("up,k", "move('up')", "Up", show=False, tooltip="Select the node above",
            id="canvas-up"),
    Binding("down,j", "move('down')", "Down", show=False, tooltip="Select the node below",
            id="canvas-down"),
    Binding("enter", "details", "Details", show=False,
            tooltip="Details of the selected node: data, grad, operands, local derivatives",
            id="canvas-details"),
]

STEP_LOG = [
    Binding("up,k", "cursor(-1)", "Earlier step", show=False,
            tooltip="Choose an earlier step in the log", id="log-up"),
    Binding("down,j", "cursor(1)", "Later step", show=False,
            tooltip="Choose a later step in the log", id="log-down"),
    Binding("pageup", "cursor(-10)", "Page up", show=False, tooltip="Ten steps back in the log",
            id="log-page-up"),
    Binding("pagedown", "cursor(10)", "Page down", show=False,
            tooltip="Ten steps on in the log", id="log-page-down"),
    Binding("enter", "seek", "Go to step", show=False,
            tooltip="Move the timeline to the chosen step", id="log-seek"),
    Binding("right", "screen.step", "Next", show=False, tooltip="Next step", id="log-next"),
    Binding("left", "screen.back", "Back", show=False, tooltip="Previous step", id="log-back"),
]

#: Groups for the help screen, in the order shown.
KEY_GROUPS: list[tuple[str, list[Binding]]] = [
    ("Timeline", TIMELINE),
    ("In the graph (↑ ↓ and h l move the selection; ← → step, as everywhere)", CANVAS),
    ("In the step log (every step so far, the current one at the bottom)", STEP_LOG),
    ("Lessons (L lists them; n and p turn pages while one is open)", LESSONS),
    ("Zoom (the graph's border says the zoom; a click selects, a double click opens)", VIEW),
    ("In the network view (v)", NETWORK),
    ("Quiz and find", QUIZ_AND_FIND),
    ("Workbench", WORKBENCH),
    ("On the training screen (T)", TRAINING),
    ("General", GENERAL),
]


def _footer_first(bindings: list[Binding]) -> list[Binding]:
    """The footer shows bindings in this order and cuts what does not fit: help first, so
    ``?`` is always on screen; the rest of the keys are in help and the command palette."""
    first = [b for b in bindings if b.id == "help"]
    return first + [b for b in bindings if b.id != "help"]


def _on_the_app(bindings: list[Binding]) -> list[Binding]:
    """The same keys, their actions run by the App (``app.help``)."""
    return [b if "." in b.action else replace(b, action=f"app.{b.action}") for b in bindings]


#: The App's own bindings: the lessons and the general keys, on every screen that is not a
#: box over another (the explorer, the training screen).
APP_BINDINGS: list[Binding] = [*LESSONS, *GENERAL]

#: The explorer screen's bindings, in footer order. The App's keys are listed here too, run
#: by the App, so the footer keeps this order (``?`` first): it shows a screen's bindings
#: before the App's.
EXPLORER_BINDINGS: list[Binding] = _footer_first([
    *TIMELINE, *_on_the_app(LESSONS), *QUIZ_AND_FIND, *VIEW, *WORKBENCH, *_on_the_app(GENERAL),
])

_NAMES = {
    "space": "space", "right": "→", "left": "←", "up": "↑", "down": "↓",
    "shift+left": "shift+←", "shift+right": "shift+→",
    "backspace": "backspace", "question_mark": "?", "plus": "+", "equals_sign": "=",
    "minus": "-", "left_square_bracket": "[", "right_square_bracket": "]",
    "left_curly_bracket": "{", "right_curly_bracket": "}", "escape": "esc", "slash": "/",
}


def help_text(binding: Binding) -> str:
    """The long description of a binding, for the help screen and the command palette."""
    return binding.tooltip or binding.description


def key_label(keys: str) -> str:
    """``'space,right,n'`` as ``'space / → / n'``."""
    return " / ".join(_NAMES.get(key, key) for key in keys.split(","))
