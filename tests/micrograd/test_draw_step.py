"""``draw_step``: the graph at a moment of the timeline, with the explorer's legend; and
``micrograd.moment``, what each node shows then."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from micrograd import Value
from micrograd.draw import COMPACT_OVER, JUST_CHANGED, THIS_STEP, Picture, draw_dot, draw_step
from micrograd.expr import evaluate
from micrograd.moment import NO_GRAD, NOT_COMPUTED, changed_nodes, node_view
from micrograd.stepper import Stepper

SVG = "{http://www.w3.org/2000/svg}"


def video_graph() -> Value:
    """The video's first graph, L = (a*b + c) * f, built by the expression language."""
    return evaluate("a = 2.0; b = -3.0; c = 10.0; e = a*b; d = e + c; f = -2.0; L = d*f").output


def boxes(svg: str) -> dict[str, ET.Element]:
    """Each node's group by the name its tooltip starts with."""
    root = ET.fromstring(svg)
    found = {}
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if title is not None:
            found[title.text.split(" = ")[0]] = group
    return found


def texts(group: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in group.iter(f"{SVG}text")]


def frame(group: ET.Element) -> str:
    return group.find(f"{SVG}rect").get("stroke")


def test_at_the_start_nothing_is_computed_and_no_grad_has_arrived() -> None:
    stepper = Stepper(video_graph())
    shown = boxes(draw_step(stepper).svg)
    assert f"data {NOT_COMPUTED}" in texts(shown["L"]) and f"data {NOT_COMPUTED}" in texts(
        shown["e"])
    assert "data 2.0" in texts(shown["a"])  # a leaf is known from the start
    assert all(f"grad {NO_GRAD}" in texts(group) for group in shown.values())
    assert not {frame(group) for group in shown.values()} & {THIS_STEP[0], JUST_CHANGED[0]}


def test_a_backward_step_marks_its_node_and_the_operands_it_changed() -> None:
    L = video_graph()
    stepper = Stepper(L)
    stepper.seek(stepper.forward_steps + 2)  # the seed, then L's own step
    step = stepper.current
    shown = boxes(draw_step(stepper).svg)
    assert frame(shown["L"]) == THIS_STEP[0]
    assert {stepper.names[n] for n in changed_nodes(stepper)} == {"d", "f"}
    assert frame(shown["d"]) == frame(shown["f"]) == JUST_CHANGED[0]
    for term in step.terms:  # the grads the step wrote, as the Stepper formats them
        view = node_view(stepper, term.parent)
        assert f"grad {view.grad}" in texts(shown[view.name])
    assert f"grad {NO_GRAD}" in texts(shown["a"])  # not reached yet


def test_at_the_end_the_drawing_shows_what_backward_gives() -> None:
    stepper = Stepper(video_graph())
    stepper.finish()
    stepped = boxes(draw_step(stepper).svg)
    fresh = video_graph()
    fresh.backward()
    built = boxes(draw_dot(fresh).svg)
    for name, group in built.items():
        numbers = [t for t in texts(group) if t.startswith(("data", "grad"))]
        assert numbers == [t for t in texts(stepped[name]) if t.startswith(("data", "grad"))]


def test_one_picture_draws_every_step_the_same_as_a_fresh_one() -> None:
    L = video_graph()
    stepper = Stepper(L)
    picture = Picture(L)
    for k in range(len(stepper) + 1):
        stepper.seek(k)
        assert draw_step(stepper, picture).svg == draw_step(stepper).svg


def test_a_picture_of_another_graph_is_refused() -> None:
    with pytest.raises(ValueError, match="another graph"):
        draw_step(Stepper(video_graph()), Picture(video_graph()))


def test_a_big_graph_is_drawn_with_compact_boxes_and_says_so() -> None:
    x = Value(0.5, label="x")
    out = x
    for _ in range(COMPACT_OVER):
        out = out * x + x
    picture = Picture(out)
    assert picture.compact and len(picture) > COMPACT_OVER
    stepper = Stepper(out)
    stepper.seek(3)
    drawing = draw_step(stepper, picture)
    ET.fromstring(drawing.svg)
    assert f"{len(picture)} nodes" in drawing.text and "forward · step 3 of" in drawing.text
    assert not Picture(video_graph()).compact
