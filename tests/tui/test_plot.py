"""The training screen's pictures as plain functions: the braille line chart, the decision
boundary map and choosing the nearest point."""

from __future__ import annotations

import math

from tui.plot import (
    POINT,
    SELECTED,
    WRONG,
    boundary_map,
    line_chart,
    nearest_point,
    point_cell,
)


def test_a_falling_line_goes_from_the_top_left_to_the_bottom_right() -> None:
    lines = line_chart([4.0, 3.0, 2.0, 1.0], 20, 6)
    assert len(lines) == 6 and all(len(line) <= 20 for line in lines)
    assert lines[0].startswith("4.0┤") and lines[3].startswith("1.0┤")
    plot = [line[4:] for line in lines[:4]]
    assert plot[0][0] != " " and plot[0][-1] == " "  # high at the start
    assert plot[3][-1] != " " and plot[3][0] == " "  # low at the end
    assert lines[4].startswith("   └") and lines[5].strip().startswith("1")
    assert lines[5].endswith("step 4")


def test_fixed_axes_gaps_and_empty_charts() -> None:
    lines = line_chart([0.5, math.nan, 1.0], 20, 5, low=0.0, high=1.0, fmt=lambda a: f"{a:.0%}")
    assert lines[0].startswith("100%┤") and lines[2].startswith("  0%┤")
    assert line_chart([], 10, 4)[-1].strip() == ""
    flat = line_chart([2.0, 2.0], 12, 4)  # one value: the axis still has a range
    assert flat[0].startswith("3.0┤") and flat[1].startswith("2.0┤")


def test_the_map_shades_each_side_and_marks_the_points() -> None:
    # a 4x4 grid (2 character rows): negative on the left, positive on the right
    scores = [[-2.0, -0.5, 0.5, 2.0]] * 4
    points = [(-0.75, 0.75, -1), (0.75, -0.75, 1), (-0.75, -0.75, 1)]
    text = boundary_map(scores, points, (-1.0, 1.0), (-1.0, 1.0),
                        predictions=[-1.0, 1.0, -1.0], selected=1)
    rows = text.plain.split("\n")
    assert rows == ["●▀▀▀", "✕▀▀◉"] or rows == [POINT + "▀▀▀", WRONG + "▀▀" + SELECTED]
    colours = {str(span.style.bgcolor.name) for span in text.spans if span.style.bgcolor}
    assert len(colours) >= 3  # deep and pale on each side


def test_points_map_to_cells_and_the_nearest_is_found() -> None:
    assert point_cell(0.0, 0.0, (-1.0, 1.0), (-1.0, 1.0), 10, 5) == (5, 2)
    assert point_cell(1.0, -1.0, (-1.0, 1.0), (-1.0, 1.0), 10, 5) == (9, 4)
    assert point_cell(2.0, 0.0, (-1.0, 1.0), (-1.0, 1.0), 10, 5) is None
    cells = [(5, 2), (8, 2), (5, 0), (1, 2), None]
    assert nearest_point(cells, (7, 2)) == 1
    assert nearest_point(cells, (5, 2), direction=(1, 0), exclude=0) == 1
    assert nearest_point(cells, (5, 2), direction=(-1, 0), exclude=0) == 3
    assert nearest_point(cells, (5, 2), direction=(0, -1), exclude=0) == 2
    assert nearest_point(cells, (5, 2), direction=(0, 1), exclude=0) is None
    assert nearest_point([None, None], None) is None
