"""micrograd.quiz: the questions, the marking, and reading a typed answer safely."""

from __future__ import annotations

import math

import pytest

from micrograd.expr import evaluate
from micrograd.quiz import is_right, question, read_answer
from micrograd.stepper import Stepper


def stepper_for(source: str) -> Stepper:
    return Stepper(evaluate(source).output)


def test_no_question_in_the_forward_pass_or_at_the_end() -> None:
    s = stepper_for("a = 2; b = a * 3")
    assert question(s) is None
    s.seek(s.forward_steps)
    assert question(s) is not None  # the seed
    s.finish()
    assert question(s) is None


def test_asking_changes_nothing() -> None:
    s = stepper_for("a = 2; b = -3; e = a*b; L = e * 4")
    s.seek(s.forward_steps + 1)
    state = [(n.data, n.grad) for n in s.order]
    position, history = s.position, list(s.history)
    question(s)
    assert [(n.data, n.grad) for n in s.order] == state
    assert s.position == position and s.history == history


def test_the_seed_asks_for_one() -> None:
    s = stepper_for("a = 2; L = a * a")
    s.seek(s.forward_steps)
    q = question(s)
    assert [(a.name, a.expected) for a in q.asks] == [("L", 1.0)]
    assert "dL/dL" in q.prompt and q.position == s.position + 1


def test_a_node_used_twice_in_one_step_is_asked_once_with_both_shares() -> None:
    s = stepper_for("x = 3; y = x*x")
    s.seek(s.forward_steps + 1)
    q = question(s)
    assert [(a.name, a.before, a.expected) for a in q.asks] == [("x", 0.0, 6.0)]
    assert len(q.working) == 2  # both terms are in the working


def test_constants_are_not_asked_and_a_step_into_constants_only_asks_nothing() -> None:
    s = stepper_for("x = 3; y = x * 2")
    s.seek(s.forward_steps + 1)
    assert [a.name for a in question(s).asks] == ["x"]
    from micrograd import Value

    c = Value(2.0, kind="constant")
    t = Stepper(c.tanh())
    t.seek(t.forward_steps + 1)
    assert question(t) is None


def test_marking() -> None:
    s = stepper_for("a = 2.0; b = -3.0; e = a*b; L = e * -2")
    s.seek(s.forward_steps + 2)  # after L's step: e.grad = -2
    q = question(s)
    assert [a.name for a in q.asks] == ["a", "b"]
    verdicts = q.check({"a": 6.0, "b": -4.1})
    assert [v.right for v in verdicts] == [True, False]
    assert verdicts[0].text() == "a.grad = 6.0 ✓ right"
    assert verdicts[1].text() == "b.grad: you said -4.1, it is -4.0 ✗"
    assert not q.check({})[0].right  # no answer is a wrong answer


@pytest.mark.parametrize(
    ("given", "expected", "right"),
    [(0.5, 0.50001, True), (0.5, 0.5006, False), (0.0, 1e-9, True), (0.0, 1e-4, False),
     (math.inf, math.inf, True), (1e308, math.inf, False), (math.nan, math.nan, True),
     (0.0, math.nan, False), (-6.0, 6.0, False)],
)
def test_is_right(given: float, expected: float, right: bool) -> None:
    assert is_right(given, expected) is right


@pytest.mark.parametrize(
    ("text", "value"),
    [("6", 6.0), (" -3 * -2 ", 6.0), ("1 - 0.7071**2", 1 - 0.7071**2), ("1/2", 0.5),
     ("tanh(0)", 0.0), ("(2)", 2.0)],
)
def test_read_answer(text: str, value: float) -> None:
    assert read_answer(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "type a number"), ("x", "'x' is not a number"), ("1; 2", "one number"),
     ("a = 1", "one number"), ("__import__('os')", "not a number"), ("1/0", "not a number"),
     ("2 +", "not a number"), ("1\n2", "one number")],
)
def test_read_answer_refuses_what_is_not_a_number(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_answer(text)
