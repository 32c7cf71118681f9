"""The explorer's own theme variables: the marks of the lesson, in the colours of the theme.

The canvas, the node table, the step log and the legend (markup) all write ``$this-step``,
``$just-changed``, ``$grad-positive``, ``$grad-negative`` and ``$node-parameter``; the app
gives them values for whichever Textual theme is on (``App.get_theme_variable_defaults``),
and a theme may set its own in ``Theme(variables=...)``.

On a dark theme the step and the grads are the theme's ``$warning``, ``$success`` and
``$error``. On a light one those are too pale to read as text (orange on light grey), so they
are its ``$text-warning``, ``$text-success`` and ``$text-error``, which Textual darkens for
a light background. No theme has a purple or a cyan of its own: "just changed" and the
parameters' boxes take One Dark's on a dark theme and One Light's on a light one, so
"just changed" stays apart from the yellow of the current step, the grads' green and red and
the inputs' blue.
"""

from __future__ import annotations

from textual.theme import Theme

#: (on a dark theme, on a light theme)
JUST_CHANGED = ("#c678dd", "#a626a4")
NODE_PARAMETER = ("#56b6c2", "#0184bc")

# --- the training screen's charts -------------------------------------------------------------
# Fixed colours, the same on every theme: the map's shades are its background, and the points
# and lines are read against them (tui/plot.py, tui/screens/train.py).

#: The two classes: label -1 blue, +1 orange, as in the demo notebook's scatter plot.
CLASS_COLOURS = {-1: "#1f5fbf", 1: "#d9480f"}
#: Each side of the boundary: a pale shade (near it) and a deeper one of its class's colour.
CLASS_SHADES = {-1: ("#bcd3f5", "#8fb3ea"), 1: ("#ffd8c2", "#ffb38a")}
#: A spot whose score is not a number (the network overflowed).
NO_SHADE = "#808080"
#: The selected point: black on gold.
SELECTED_POINT = ("#000000", "#ffd700")
#: The loss and accuracy charts' lines.
LOSS_COLOUR, ACCURACY_COLOUR = "#e8590c", "#2f9e44"


def lesson_variables(theme: Theme) -> dict[str, str]:
    """The lesson's colours for ``theme``, by variable name.

        >>> from textual.theme import BUILTIN_THEMES
        >>> lesson_variables(BUILTIN_THEMES["textual-dark"])["this-step"]
        '#FEA62B'
        >>> lesson_variables(BUILTIN_THEMES["textual-light"])["just-changed"]
        '#a626a4'
    """
    colors = theme.to_color_system().generate()
    text = "" if theme.dark else "text-"
    light = not theme.dark
    return {
        "this-step": colors[f"{text}warning"],
        "just-changed": JUST_CHANGED[light],
        "grad-positive": colors[f"{text}success"],
        "grad-negative": colors[f"{text}error"],
        "node-parameter": NODE_PARAMETER[light],
    }
