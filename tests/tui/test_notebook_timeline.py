"""The notebook explorer's Python side (``tui.notebook.timeline``), without the widget's
packages: moving, the step log, a node's details, the nudge, bad input refused."""

from __future__ import annotations

import pytest

from micrograd.draw import THIS_STEP
from micrograd.expr import evaluate
from micrograd.stepper import Stepper
from micrograd.value import Value
from tui.notebook import timeline as timeline_module
from tui.notebook.timeline import LOG_KEPT, Timeline

VIDEO = "a = 2.0; b = -3.0; c = 10.0; e = a*b; d = e + c; f = -2.0; L = d*f"


def video() -> Timeline:
    return Timeline(evaluate(VIDEO).output)


def test_moving_follows_the_stepper_and_the_log_has_every_step_so_far() -> None:
    timeline = video()
    reference = Stepper(evaluate(VIDEO).output)
    for _ in range(4):
        timeline.next()
        reference.step()
    log = timeline.log()
    assert len(log) == 4 and log[-1].startswith("4 ")
    assert [entry.split(" ", 1)[1] for entry in log] == [
        "\n".join(record.lines) for record in reference.history]
    timeline.back()
    assert timeline.position == 3 and len(timeline.log()) == 3
    timeline.backward()
    assert timeline.position == timeline.stepper.forward_steps + 1
    assert "L.grad = dL/dL = 1.0" in timeline.log()[-1]
    timeline.end()
    assert timeline.position == timeline.total
    timeline.start()
    assert timeline.position == 0 and "Nothing computed yet" in timeline.log()[0]


def test_the_drawing_is_the_step_drawing_with_its_node_marked() -> None:
    timeline = video()
    timeline.jump(timeline.stepper.forward_steps + 2)  # L's own backward step
    svg = timeline.svg()
    assert f'stroke="{THIS_STEP[0]}"' in svg and "data-node=" in svg
    assert "backward · step" in svg


@pytest.mark.parametrize("bad", [-1, 8, "x", "2.5", 2.5, None, True, float("nan"), [3]])
def test_bad_jumps_are_refused_with_one_line_and_nothing_moves(bad) -> None:
    timeline = video()
    timeline.jump(2)
    with pytest.raises(ValueError) as caught:
        timeline.jump(bad)
    message = str(caught.value)
    assert "\n" not in message and "0 to 7" in message
    assert timeline.position == 2


def test_jumps_written_as_text_work() -> None:
    timeline = video()
    timeline.jump("7")
    assert timeline.position == 7
    timeline.jump(3.0)
    assert timeline.position == 3


def test_details_hide_what_the_timeline_has_not_reached() -> None:
    timeline = video()
    timeline.select(timeline.order.index(timeline.root))
    assert "? (not computed yet)" in timeline.details()
    timeline.end()
    assert "data  -8.0" in timeline.details() and "grad  1.0" in timeline.details()
    with pytest.raises(ValueError, match="nodes are 0 to 6"):
        timeline.select(7)


def test_the_nudge_compares_the_change_with_grad_times_h() -> None:
    timeline = video()
    a = next(node for node in timeline.order if node.label == "a")
    timeline.select(timeline.order.index(a))
    timeline.set_h(0.1)
    line = timeline.nudge(1)
    # L = (a*b + c) * f: dL/da = b*f = 6.0, and L is linear in a, so the change is 0.6 exactly
    assert line.startswith("nudge: ΔL = 0.6, grad * h = 0.6 (a: 2.0 → 2.1)")
    assert timeline.position == timeline.total and a.data == pytest.approx(2.1)
    assert timeline.log()[-2] == line
    with pytest.raises(ValueError, match="L is computed"):
        timeline.select(timeline.order.index(timeline.root))
        timeline.nudge(1)
    for bad in (0, "x", float("inf"), True):
        with pytest.raises(ValueError, match="h is"):
            timeline.set_h(bad)


def test_a_nudge_out_of_an_ops_domain_is_refused_and_the_graph_kept() -> None:
    timeline = Timeline(evaluate("x = 0.5; y = log(x)").output)
    timeline.jump(1)
    x = timeline.order[0]
    timeline.select(0)
    timeline.set_h(1.0)
    with pytest.raises(ValueError, match="cannot nudge x by -1"):
        timeline.nudge(-1)
    assert x.data == 0.5 and timeline.position == 1


def test_a_long_log_keeps_a_window_and_says_how_many_are_left_out() -> None:
    x = Value(0.5, label="x")
    out = x
    for _ in range(LOG_KEPT):
        out = out * x
    timeline = Timeline(out)
    timeline.end()
    log = timeline.log()
    left_out = timeline.total - 1 - LOG_KEPT
    assert log[0] == f"{left_out:,} earlier steps: jump back to read them"
    assert len(log) == LOG_KEPT + 2 and log[-1].startswith(f"{timeline.total} ")


def test_a_graph_too_big_to_draw_says_what_it_shows(monkeypatch) -> None:
    monkeypatch.setattr(timeline_module, "DRAWN_UP_TO", 5)
    timeline = video()
    assert timeline.svg() == "" and "too many to draw well here" in timeline.caption()
    timeline.next()
    assert timeline.log()[-1].startswith("1 e = a * b")
