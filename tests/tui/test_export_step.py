"""``micrograd-tui export -f svg --step K``: the drawing of step K of the timeline."""

from __future__ import annotations

from pathlib import Path

from cli_runner import run  # tests/tui/cli_runner.py

from micrograd.draw import draw_step
from micrograd.expr import evaluate
from micrograd.stepper import Stepper

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_step_k_is_the_drawing_of_the_timeline_at_k(capsys) -> None:
    status, out, err = run(["export", str(EXAMPLES / "neuron.mg"), "-f", "svg", "--step", "4"],
                           capsys)
    assert status == 0, err
    stepper = Stepper(evaluate((EXAMPLES / "neuron.mg").read_text()).output)
    stepper.seek(4)
    assert out == draw_step(stepper).svg
    assert "step 4 of" in out


def test_a_step_out_of_range_names_the_valid_range(capsys) -> None:
    total = len(Stepper(evaluate((EXAMPLES / "neuron.mg").read_text()).output))
    for k in (-1, total + 1):
        status, out, err = run(["export", str(EXAMPLES / "neuron.mg"), "-f", "svg", "--step",
                                str(k)], capsys)
        assert status == 2 and out == ""
        assert err.count("\n") == 1 and f"steps 0 to {total}" in err


def test_step_needs_the_svg_format(capsys) -> None:
    status, _, err = run(["export", "--expr", "x = 3; y = x*x", "-f", "tree", "--step", "1"],
                         capsys)
    assert status == 2 and "needs -f svg" in err
