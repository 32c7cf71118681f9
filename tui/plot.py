"""Pictures of training made of characters: a line chart in braille dots, and the decision
boundary as coloured half blocks with the data points over it.

Plain functions of numbers that return Rich ``Text``, so the training screen only places
them, and tests read them without a terminal.

Why not plotext: it prints whole figures as strings with its own ANSI colours, not Rich
``Text`` a widget can place and restyle, and it has no boundary map of half blocks; the
chart here is one 55-line function of braille dots.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text

from micrograd.fmt import fmt_number
from tui.theme import CLASS_COLOURS, CLASS_SHADES, NO_SHADE, SELECTED_POINT

#: Braille dot bits by (column, row) inside a character of 2 x 4 dots.
_DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
_BRAILLE = 0x2800

#: A point the network gets wrong, and the selected point.
WRONG, SELECTED = "✕", "◉"
POINT = "●"


def curve_heights(height: int) -> tuple[int, int]:
    """The loss chart's and the accuracy chart's heights (each with its two axis rows) in
    a panel of ``height`` rows that also holds their two headings: an even share, at least
    three rows each, the loss getting a spare row.

    >>> curve_heights(14), curve_heights(8), curve_heights(30)
    ((6, 6), (3, 3), (14, 14))
    """
    room = max(height - 2, 6)
    accuracy = max(room // 2, 3)
    return max(room - accuracy, 3), accuracy


def with_now(history: Sequence[float], now: float) -> list[float]:
    """A run's curve from step 0 to the step on screen: the history's values (each taken
    before its update: step k-1's) and then the value now. So the curve ends at the number
    the screen shows as "now", on the axis its labels span (README: step k is the network
    after k updates).

    >>> with_now([0.9, 0.7], 0.65)
    [0.9, 0.7, 0.65]
    """
    return [*history, now]


def line_chart(
    values: Sequence[float],
    width: int,
    height: int,
    *,
    fmt: Callable[[float], str] = fmt_number,
    low: float | None = None,
    high: float | None = None,
    first_step: int = 1,
) -> list[str]:
    """``values`` (one per step) as a braille line ``width`` x ``height`` characters: the
    highest and lowest value labelled on the left axis, the first and last step under the
    bottom axis. ``low``/``high`` fix the axis (accuracy: 0 and 1); otherwise it fits the
    values. Values that are not finite (a loss that overflowed) leave a gap."""
    finite = [v for v in values if math.isfinite(v)]
    lo = low if low is not None else (min(finite) if finite else 0.0)
    hi = high if high is not None else (max(finite) if finite else 1.0)
    if hi <= lo:
        hi = lo + 1.0
    top_label, bottom_label = fmt(hi), fmt(lo)
    label_width = max(len(top_label), len(bottom_label))
    plot_width = max(width - label_width - 1, 1)
    plot_height = max(height - 2, 1)
    cells = [[0] * plot_width for _ in range(plot_height)]
    x_dots, y_dots = plot_width * 2, plot_height * 4

    def dot(x: int, y: int) -> None:  # y counts up from the bottom
        row = plot_height - 1 - y // 4
        cells[row][x // 2] |= _DOTS[x % 2][3 - y % 4]

    previous: int | None = None
    if values:
        for x in range(x_dots):
            value = values[round(x * (len(values) - 1) / max(x_dots - 1, 1))]
            if not math.isfinite(value):
                previous = None
                continue
            y = round((min(max(value, lo), hi) - lo) / (hi - lo) * (y_dots - 1))
            start, end = (y, y) if previous is None else sorted((previous, y))
            for between in range(start, end + 1):  # join to the last dot: a steep fall
                dot(x, between)
            previous = y

    lines = []
    for row, codes in enumerate(cells):
        label = top_label if row == 0 else bottom_label if row == plot_height - 1 else ""
        plot = "".join(chr(_BRAILLE + code) if code else " " for code in codes)
        lines.append(f"{label:>{label_width}}┤{plot}")
    lines.append(" " * label_width + "└" + "─" * plot_width)
    last = f"step {first_step + len(values) - 1}" if values else ""
    first = str(first_step) if values else ""
    gap = max(plot_width + 1 - len(first) - len(last), 1)
    lines.append(" " * label_width + first + " " * gap + last)
    return [line[:width] for line in lines]


def boundary_map(
    scores: Sequence[Sequence[float]],
    points: Sequence[tuple[float, float, int]],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    *,
    predictions: Sequence[float] | None = None,
    selected: int | None = None,
) -> Text:
    """The decision boundary: ``scores`` is a grid of the network's score, two grid rows per
    character row (top to bottom, as ``Trainer.scores_grid`` gives them), drawn as half
    blocks shaded by the side of the boundary. Each data point ``(x, y, label)`` is a dot in
    its class's colour, a cross if the network gets it wrong (``predictions`` holds each
    point's score), and the ``selected`` one stands out."""
    rows = len(scores) // 2
    cols = len(scores[0]) if scores else 0
    marks: dict[tuple[int, int], tuple[str, Style]] = {}
    for index, (x, y, label) in enumerate(points):
        cell = point_cell(x, y, x_range, y_range, cols, rows)
        if cell is None:
            continue
        wrong = predictions is not None and (predictions[index] > 0) != (label > 0)
        if index == selected:
            ink, paper = SELECTED_POINT
            marks[cell] = (SELECTED, Style(color=ink, bgcolor=paper, bold=True))
        elif cell not in marks or marks[cell][0] != SELECTED:
            marks[cell] = (WRONG if wrong else POINT, Style(color=CLASS_COLOURS[label], bold=True))
    text = Text()
    halves: dict[tuple[str, str], Style] = {}  # a few colours: one Style for each pair
    for row in range(rows):
        run, run_style = 0, None  # cells alike in a row are appended together: far faster
        for col in range(cols):
            top, bottom = _shade(scores[2 * row][col]), _shade(scores[2 * row + 1][col])
            mark = marks.get((col, row))
            if mark is None:
                style = halves.get((top, bottom))
                if style is None:
                    style = halves[top, bottom] = Style(color=top, bgcolor=bottom)
                if style is run_style:
                    run += 1
                    continue
                if run:
                    text.append("▀" * run, run_style)
                run, run_style = 1, style
            else:
                if run:
                    text.append("▀" * run, run_style)
                run, run_style = 0, None
                char, style = mark
                text.append(char, Style(bgcolor=bottom) + style)
        if run:
            text.append("▀" * run, run_style)
        if row < rows - 1:
            text.append("\n")
    return text


def point_cell(
    x: float, y: float, x_range: tuple[float, float], y_range: tuple[float, float],
    cols: int, rows: int,
) -> tuple[int, int] | None:
    """The character cell ``(col, row)`` of a data point on a map of ``cols`` x ``rows``
    characters, or ``None`` outside it."""
    (x0, x1), (y0, y1) = x_range, y_range
    if not (x0 <= x <= x1 and y0 <= y <= y1) or cols <= 0 or rows <= 0:
        return None
    col = min(int((x - x0) / (x1 - x0) * cols), cols - 1)
    row = min(int((y1 - y) / (y1 - y0) * rows), rows - 1)
    return col, row


def _shade(score: float) -> str:
    """The colour of a spot by its score: the side of the boundary, deeper further from it."""
    if not math.isfinite(score):
        return NO_SHADE
    side = 1 if score > 0 else -1
    pale, deep = CLASS_SHADES[side]
    return deep if abs(score) >= 1.0 else pale


def nearest_point(
    cells: Sequence[tuple[int, int] | None],
    origin: tuple[int, int] | None,
    *,
    direction: tuple[int, int] | None = None,
    exclude: int | None = None,
) -> int | None:
    """The index of the point whose cell is nearest ``origin``; with a ``direction`` (an
    arrow key: ``(1, 0)`` is right, ``(0, -1)`` up) only points that way count, those
    straight ahead first. A character is about twice as tall as wide, so rows count double.
    ``None`` when no point qualifies."""
    if origin is None:
        placed = [cell for cell in cells if cell is not None]
        if not placed:
            return None
        origin = (sum(c for c, _ in placed) // len(placed),
                  sum(r for _, r in placed) // len(placed))
    best: tuple[float, int] | None = None
    for index, cell in enumerate(cells):
        if cell is None or index == exclude:
            continue
        dx, dy = cell[0] - origin[0], 2 * (cell[1] - origin[1])
        if direction is None:
            distance = float(dx * dx + dy * dy)
        else:
            along = dx * direction[0] + dy * direction[1]
            if along <= 0:
                continue
            across = abs(dx * direction[1] - dy * direction[0])
            distance = along + 2.0 * across
        if best is None or distance < best[0]:
            best = (distance, index)
    return None if best is None else best[1]
