"""``explore(L)`` from Python: the explorer opens on the learner's own graph (or a model's
loss graph) and leaves the learner's Values as they were."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

import tui
from micrograd.engine import Value
from micrograd.nn import MLP
from micrograd.presets import copied_program
from micrograd.value import topological_order
from tui.app import ExplorerApp

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def video_L() -> tuple[Value, dict[str, Value]]:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b; e.label = "e"  # the video's own lines
    d = e + c; d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f; L.label = "L"
    return L, {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "L": L}


def state(nodes: dict[str, Value]) -> dict[str, tuple[float, float, str]]:
    return {name: (v.data, v.grad, v.label) for name, v in nodes.items()}


async def test_explore_steps_the_graph_and_leaves_the_learners_values_alone() -> None:
    L, nodes = video_L()
    L.backward()
    before = state(nodes)
    app = ExplorerApp(copied_program(L, None, None, "mse", ""))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.explorer.stepper.position == 0  # the start of the timeline
        assert app.title.startswith("L") or "L" in app.title
        shown = {node.label: node for node in app.explorer.stepper.order}
        assert set(shown) == set(nodes)
        assert all(node.grad == 0.0 for node in app.explorer.stepper.order)
        await pilot.press("end")
        await pilot.pause()
        assert app.explorer.stepper.position == len(app.explorer.stepper)
        assert shown["a"].grad == 6.0 and shown["b"].grad == -4.0 and shown["f"].grad == 4.0
        assert shown["a"] is not nodes["a"]
    assert state(nodes) == before


async def test_explore_a_model_opens_its_loss_graph() -> None:
    model = MLP(2, [3, 1], seed=2)
    weights = [p.data for p in model.parameters()]
    program = copied_program(model, [1.0, -2.0], 0.5, "mse", "")
    assert program.output.label == "loss" and "MLP" in program.title
    assert {"x1", "x2", "target", "L0.N0.w0"} <= set(program.names)
    app = ExplorerApp(program)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("end")
        await pilot.pause()
        expected = MLP(2, [3, 1], seed=2)
        loss = (expected([1.0, -2.0]) - 0.5) ** 2
        loss.backward()
        got = {node.label: node.grad for node in topological_order(program.output)}
        for parameter in expected.parameters():
            assert got[parameter.label] == pytest.approx(parameter.grad, rel=1e-12)
    assert [p.data for p in model.parameters()] == weights
    assert all(p.grad == 0.0 for p in model.parameters())


def test_explore_runs_the_app_and_returns(monkeypatch) -> None:
    opened = []

    def run(app: ExplorerApp) -> None:
        opened.append(app)

    monkeypatch.setattr(ExplorerApp, "run", run)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    L, _ = video_L()
    assert tui.explore(L, title="my L") is None
    assert len(opened) == 1
    program = opened[0].explorer.program
    assert program.title == "my L"
    assert program.output is not L and program.output.label == "L"


def test_without_a_terminal_explore_says_what_to_do(monkeypatch, capsys) -> None:
    monkeypatch.setattr(ExplorerApp, "run", lambda app: pytest.fail("no terminal: no app"))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    L, _ = video_L()
    assert tui.explore(L) is None
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "needs a terminal" in err and "draw_dot(L)" in err and "micrograd-tui L.json" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((3.0,), "takes a Value"),
        ((MLP(2, [1], seed=0),), "needs an input"),
        ((Value(1.0), [1.0]), "x and target apply to a model"),
        ((MLP(2, [1], seed=0), [1.0]), "takes 2 inputs, got 1"),
        ((MLP(2, [1], seed=0), [1.0, "a"]), "must be a number"),
    ],
)
def test_explore_says_what_is_wrong_with_its_arguments(args, message) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        tui.explore(*args)


def test_the_demo_script_explores_its_graph(monkeypatch, capsys) -> None:
    seen = []
    monkeypatch.setattr(tui, "explore", lambda *args, **kwargs: seen.append((args, kwargs)))
    runpy.run_path(str(EXAMPLES / "explore_demo.py"), run_name="__main__")
    assert len(seen) == 1
    (root, *_), _ = seen[0]
    assert isinstance(root, Value) and root.label == "o"
