"""The notebook widget's Python side (``tui.notebook.Explorer``): the traits after each click,
the learner's Values untouched, bad messages refused; and ``explore(L)`` in a kernel, with
and without the widget's extra. No browser: ``test_notebook_browser.py`` has the one check
that needs one."""

from __future__ import annotations

import pytest

import tui
from micrograd.nn import MLP
from micrograd.value import Value, topological_order

anywidget = pytest.importorskip(
    "anywidget", reason="the notebook extra is not installed (uv sync --extra notebook)")

from tui.notebook import Explorer  # noqa: E402  (after the skip: it needs the extra)


def video_L() -> Value:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b; e.label = "e"  # noqa: E702  (the video's own lines)
    d = e + c; d.label = "d"  # noqa: E702
    f = Value(-2.0, label="f")
    L = d * f; L.label = "L"  # noqa: E702
    return L


def click(widget: Explorer, **message: object) -> None:
    """What the browser sends for a click or a key."""
    widget._on_message(widget, message, [])


def synced(widget: Explorer) -> dict[str, object]:
    """The traits the browser receives, as their state message has them."""
    return widget.get_state()


def test_clicks_move_the_timeline_and_every_trait_follows() -> None:
    widget = Explorer(video_L())
    state = synced(widget)
    assert state["position"] == 0 and state["total"] == 7 and state["where"] == "start · 7 steps"
    assert state["svg"].startswith("<svg") and "data ?" in state["svg"]
    for _ in range(3):
        click(widget, do="next")
    state = synced(widget)
    assert state["position"] == 3 and state["where"] == "forward · step 3 of 7"
    assert state["log"][-1] == "3 L = d * f = 4.0 * -2.0 = -8.0"
    assert "forward · step 3 of 7" in state["svg"]
    click(widget, do="back")
    assert synced(widget)["position"] == 2 and len(synced(widget)["log"]) == 2
    click(widget, do="backward")
    assert synced(widget)["position"] == 4
    click(widget, do="end")
    assert synced(widget)["position"] == 7
    click(widget, do="jump", step="5")
    assert synced(widget)["position"] == 5 and synced(widget)["message"] == ""
    click(widget, do="start")
    assert synced(widget)["position"] == 0


@pytest.mark.parametrize("bad", ["x", -1, 8, None, "1e400"])
def test_a_bad_jump_is_said_in_one_line_and_changes_nothing(bad) -> None:
    widget = Explorer(video_L())
    click(widget, do="jump", step=2)
    click(widget, do="jump", step=bad)
    state = synced(widget)
    assert state["position"] == 2 and "0 to 7" in state["message"]
    assert "\n" not in state["message"]
    click(widget, do="next")
    assert synced(widget)["message"] == ""  # the next good click clears it


def test_the_learners_values_are_never_changed() -> None:
    L = video_L()
    before = [(v.data, v.grad, v.label) for v in topological_order(L)]
    widget = Explorer(L)
    click(widget, do="end")
    click(widget, do="select", node=0)
    click(widget, do="nudge", direction=1)
    click(widget, do="nudge", direction=-1)
    assert [(v.data, v.grad, v.label) for v in topological_order(L)] == before
    assert widget.timeline.root is not L


def test_select_shows_details_and_the_nudge_line() -> None:
    widget = Explorer(video_L())
    click(widget, do="select", node=0)  # a, the first leaf
    state = synced(widget)
    assert state["selected"] == 0 and state["details"].startswith("a  (input)")
    click(widget, do="h", value="0.1")
    click(widget, do="nudge", direction=1)
    state = synced(widget)
    assert state["h"] == 0.1 and state["position"] == 7
    assert state["log"][-2].startswith("nudge: ΔL = 0.6, grad * h = 0.6")
    click(widget, do="select", node=99)
    assert "nodes are 0 to 6" in synced(widget)["message"]
    click(widget, do="h", value="zero")
    assert "h is a number" in synced(widget)["message"] and synced(widget)["h"] == 0.1


def test_play_steps_until_the_end_then_starts_over() -> None:
    widget = Explorer(video_L())
    click(widget, do="play")
    assert widget.playing
    while widget.playing:  # the browser sends next after each position while playing
        click(widget, do="next")
    assert widget.position == 7
    click(widget, do="play")
    assert widget.playing and widget.position == 0


def test_a_model_opens_its_loss_graph() -> None:
    model = MLP(2, [2, 1], seed=0)
    weights = [p.data for p in model.parameters()]
    widget = Explorer(model, x=[1.0, -2.0], target=0.5)
    click(widget, do="end")
    assert widget.position == widget.total > 0
    assert [p.data for p in model.parameters()] == weights
    assert all(p.grad == 0 for p in model.parameters())


from test_notebook_install import fake_kernel  # noqa: E402


def test_explore_in_a_kernel_returns_the_widget(monkeypatch) -> None:
    fake_kernel(monkeypatch)
    L = video_L()
    widget = tui.explore(L, title="my L")
    assert isinstance(widget, Explorer) and widget.title == "my L"
    assert widget.timeline.root is not L
