"""The look-ups on a Layout the canvas uses: boxes in a viewport, moving the selection."""

from __future__ import annotations

import random

from layout_cases import mlp_like, neuron

from micrograd.layout import compute_layout


def test_boxes_in_matches_a_scan() -> None:
    g = mlp_like(3, [3, 2])
    lay = compute_layout(g)
    rnd = random.Random(3)
    for _ in range(300):
        x0, y0 = rnd.randrange(-5, lay.width), rnd.randrange(-5, lay.height)
        x1, y1 = x0 + rnd.randrange(0, 60), y0 + rnd.randrange(0, 20)
        expected = {
            b.node for b in lay.boxes.values()
            if b.x < x1 and b.right > x0 and b.y < y1 and b.bottom > y0
        }
        found = lay.boxes_in(y0, y1, x0, x1)
        assert {b.node for b in found} == expected
        assert len(found) == len(expected)


def test_move_between_boxes() -> None:
    g, ids = neuron()
    lay = compute_layout(g)
    name = {v: k for k, v in ids.items()}

    def move(start: str, direction: str) -> str | None:
        target = lay.move(ids[start], direction)
        return None if target is None else name[target]

    assert move("o", "right") is None
    assert move("o", "left") == "n"
    assert move("x1", "left") is None
    assert move("x1", "down") == "w1"
    assert move("w1", "up") == "x1"
    assert move("x1", "up") is None
    assert move("w2", "down") is None
    assert move("x1w1", "left") in {"x1", "w1"}
    nearest = min(lay.layers[lay.boxes[ids["x2w2"]].layer - 1],
                  key=lambda v: (abs(lay.boxes[v].y - lay.boxes[ids["x2w2"]].y), lay.boxes[v].y))
    assert lay.move(ids["x2w2"], "left") == nearest
    assert lay.move(ids["o"], "sideways") is None and lay.move(-5, "left") is None
    assert lay.move(ids["o"], "h") is None  # key names (h j k l) are the UI's: tui/keys.py
