"""Zoom levels: every level lays out cleanly, and ``fit`` picks the roomiest that fits."""

from __future__ import annotations

from dataclasses import replace

import pytest
from layout_cases import check_drawing, check_layout, graph_of, mlp_like, random_dag

from micrograd.layout import contract
from micrograd.layout.raster import Raster
from micrograd.layout.zoom import (
    COMPACT,
    FULL,
    LEVELS,
    OVERVIEW,
    fit,
    lay_out,
    level_named,
    overview_fitting,
    roomier,
    tighter,
)
from micrograd.presets import classic_neuron
from micrograd.value import Value


def plain(graph):
    return contract(graph, {}, set())


def video_l():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = Value(-2.0, label="f")
    out = d * f
    out.label = "L"
    return graph_of(out)


@pytest.mark.parametrize("level", LEVELS, ids=lambda z: z.name)
@pytest.mark.parametrize("seed", range(6))
def test_every_level_lays_out_cleanly(level, seed: int) -> None:
    g = random_dag(seed, 30)
    lay = lay_out(plain(g), level)
    check_layout(g, lay, framed=level is FULL)
    check_drawing(lay)
    assert all((b.width, b.height) == (level.box_width, level.box_height)
               for b in lay.boxes.values())


def test_tracks_left_keeps_the_drawing_clean_and_lengthens_the_last_stretch() -> None:
    g = mlp_like(3, [4, 2])
    centred = lay_out(plain(g), replace(FULL, channel=12))
    left = lay_out(plain(g), replace(FULL, channel=12, tracks_left=True))
    check_layout(g, left)
    check_drawing(left)

    def last_stretch(lay) -> int:
        return sum(r.points[-1][0] - r.points[-2][0] for r in lay.edges)

    assert last_stretch(left) > last_stretch(centred)


@pytest.mark.parametrize(("size", "level"), [
    ((140, 31), "full"),     # a big terminal: today's boxes
    ((78, 10), "compact"),   # 80x24: the whole neuron, every number readable
    ((40, 10), "overview"),  # beside a lesson page at 80x24
])
def test_the_classic_neuron_is_whole_at_the_roomiest_level_that_fits(size, level) -> None:
    g = graph_of(classic_neuron().output)
    plan = fit(plain(g), *size)
    assert plan.fits and plan.zoom.name == level
    assert plan.layout.width <= size[0] and plan.layout.height <= size[1]
    roomier_level = roomier(level_named(level))
    if roomier_level is not None:  # the roomier level would not have fitted
        bigger = lay_out(plain(g), roomier_level)
        assert bigger.width > size[0] or bigger.height > size[1]


def test_the_video_expression_fits_80x24_at_the_compact_level() -> None:
    plan = fit(plain(video_l()), 78, 10)
    assert plan.fits and plan.zoom.name == "compact"


def test_overview_boxes_are_as_wide_as_the_room_allows() -> None:
    g = plain(graph_of(classic_neuron().output))
    plan = overview_fitting(g, 40, 10)
    assert plan is not None and plan.layout.width <= 40
    wider = lay_out(g, replace(OVERVIEW, box_width=plan.zoom.box_width + 1))
    assert wider.width > 40
    assert overview_fitting(g, 5, 10) is None  # narrower than one cell a layer


def test_a_graph_that_fits_nowhere_is_planned_compact_and_says_so() -> None:
    g = plain(mlp_like(3, [30, 30, 1]))
    plan = fit(g, 40, 8)
    assert not plan.fits and plan.zoom == COMPACT


def test_levels_go_in_and_out_in_order() -> None:
    assert [z.name for z in LEVELS] == ["full", "compact", "overview"]
    assert roomier(FULL) is None and tighter(OVERVIEW) is None
    assert tighter(FULL) == COMPACT and roomier(OVERVIEW) == COMPACT
    with pytest.raises(ValueError, match="no zoom level 'huge'"):
        level_named("huge")


def test_raster_holds_every_box_once_and_maps_back() -> None:
    lay = lay_out(plain(mlp_like(4, [8, 8, 1])), COMPACT)
    grid = Raster(lay, 20, 3)
    held = [node for ids in grid.cells.values() for node in ids]
    assert sorted(held) == sorted(lay.boxes)
    for node, (cx, cy) in grid.where.items():
        assert 0 <= cx < 20 and 0 <= cy < 3
        assert node in grid.cells[(cx, cy)]
    x, y = grid.to_layout(19, 2)
    assert grid.cell_of(x, y) == (19, 2)
    assert grid.span(0, 0, lay.width, lay.height) == (0, 0, 19, 2)


def test_rows_used_and_layer_at() -> None:
    lay = lay_out(plain(graph_of(classic_neuron().output)), FULL)
    top, bottom = lay.rows_used(0, lay.width)
    assert top == min(b.y for b in lay.boxes.values())
    assert bottom == max(b.bottom for b in lay.boxes.values())
    last = len(lay.layers) - 1
    assert lay.layer_at(0) == 0 and lay.layer_at(lay.width + 5) == last
    assert lay.rows_used(lay.width + 10, lay.width + 20) == (0, 0)
