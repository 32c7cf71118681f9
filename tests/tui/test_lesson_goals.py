"""What a lesson page may ask for, and when the learner has done it (tui/lessons/goals.py)."""

from __future__ import annotations

import pytest

from micrograd.expr import evaluate
from micrograd.stepper import Stepper
from tui.lessons.goals import (
    GOALS,
    Event,
    Goal,
    GoalError,
    goal_position,
    names_in,
    page_keys,
)

L_PROGRAM = "a = 2.0\nb = -3.0\nc = 10.0\ne = a*b\nd = e + c\nf = -2.0\nL = d * f\n"


@pytest.fixture
def stepper() -> Stepper:
    return Stepper(evaluate(L_PROGRAM).output)


@pytest.mark.parametrize("text, goal", [
    ("step", Goal("step")),
    ("backward", Goal("backward")),
    ("backward d", Goal("backward", "d")),
    ("grad a", Goal("grad", "a")),
    ("nudge x", Goal("nudge", "x")),
    ("nudge x up", Goal("nudge", "x", 1)),
    ("nudge x down", Goal("nudge", "x", -1)),
    ("quiz on", Goal("quiz", "on")),
    ("answer 6", Goal("answer", number=6)),
    ("accuracy 100%", Goal("accuracy", number=100)),
    ("zero_grad off", Goal("zero_grad", "off")),
    ("  end  ", Goal("end")),
])
def test_phrases_parse(text: str, goal: Goal) -> None:
    assert Goal.parse(text) == goal


@pytest.mark.parametrize("text, message", [
    ("", "an empty 'do'"),
    ("jump d", "unknown goal 'jump'"),
    ("end now", "'end' takes nothing after it"),
    ("quiz maybe", "write 'quiz on' or 'quiz off'"),
    ("answer six", "'six' is not a whole number"),
    ("answer 0", "'0' is not a whole number of 1 or more"),
    ("accuracy 150", "at most 100%"),
    ("nudge x sideways", "write 'nudge NAME [up|down]'"),
    ("forward", "write 'forward NAME'"),
])
def test_bad_phrases_say_why(text: str, message: str) -> None:
    with pytest.raises(GoalError, match=message.replace("(", r"\(").replace("[", r"\[")
                       .replace("]", r"\]").replace("|", r"\|")):
        Goal.parse(text)


def test_every_goal_describes_itself() -> None:
    examples = {"forward": "d", "backward": "d", "grad": "a", "select": "a", "details": "a",
                "nudge": "a", "quiz": "on", "answer": "2", "train": "3", "accuracy": "90",
                "zero_grad": "off", "view": "network", "zoom": "compact", "bug": "order"}
    for kind in GOALS:
        goal = Goal.parse(f"{kind} {examples.get(kind, '')}".strip())
        assert goal.describe() and "None" not in goal.describe()


def test_view_and_zoom_goals_are_met_by_their_events() -> None:
    assert Goal.parse("view network").met(Event("view", "network"))
    assert not Goal.parse("view network").met(Event("view", "graph"))
    assert Goal.parse("zoom fit").met(Event("zoom", "fit"))
    assert Goal.parse("zoom overview").describe() == "the overview (o)"
    with pytest.raises(GoalError, match="'view network' or 'view graph'"):
        Goal.parse("view table")


def test_bug_goals_are_met_by_the_switch() -> None:
    assert Goal.parse("bug equals").met(Event("bug", "equals"))
    assert not Goal.parse("bug equals").met(Event("bug", "order"))
    assert Goal.parse("bug off").met(Event("bug", "off"))
    assert Goal.parse("bug order").describe() == (
        "the second bug, backward in the wrong order (B)")  # B twice from off
    with pytest.raises(GoalError, match="'bug equals' or 'bug order'"):
        Goal.parse("bug plus")


def test_names_are_checked_against_the_graph(stepper: Stepper) -> None:
    names = names_in(stepper.root)
    Goal.parse("backward d").check_names(names)
    with pytest.raises(GoalError, match="no node named 'q'"):
        Goal.parse("backward q").check_names(names)
    with pytest.raises(GoalError, match="'a' is a leaf.*grad a"):
        Goal.parse("backward a").check_names(names)
    with pytest.raises(GoalError, match="'d' is computed, not a leaf"):
        Goal.parse("nudge d").check_names(names)


def _position_where(stepper: Stepper, predicate) -> int:
    """Walk the timeline and return the first position where ``predicate`` holds."""
    stepper.reset()
    while True:
        if predicate(stepper):
            return stepper.position
        assert stepper.step() is not None


def test_positions_are_where_the_stepper_visits_the_node(stepper: Stepper) -> None:
    names = names_in(stepper.root)
    for name in ("e", "d", "L"):
        node = names[name]
        forward = _position_where(stepper, lambda s, node=node: s.current is not None
                                  and s.current.node is node and s.phase == "forward")
        assert goal_position(Goal("forward", name), stepper) == forward
        backward = _position_where(stepper, lambda s, node=node: s.position
                                   > s.forward_steps + 1 and s.current.node is node)
        assert goal_position(Goal("backward", name), stepper) == backward
    assert goal_position(Goal("backward"), stepper) == stepper.forward_steps + 1


@pytest.mark.parametrize("name", ["a", "b", "c", "e", "d", "f", "L"])
def test_a_grad_goal_is_the_step_after_which_the_grad_never_changes(stepper: Stepper,
                                                                   name: str) -> None:
    node = names_in(stepper.root)[name]
    stepper.seek(len(stepper))
    final = node.grad
    position = goal_position(Goal("grad", name), stepper)
    stepper.seek(position)
    assert node.grad == final
    stepper.seek(position - 1)
    assert node.grad != final


def test_timeline_goals_count_reaching_or_passing(stepper: Stepper) -> None:
    goal = Goal.parse("backward d")
    target = goal_position(goal, stepper)
    stepper.seek(target - 1)
    assert not goal.met(Event("moved", number=1), stepper)
    stepper.seek(target)
    assert goal.met(Event("moved", number=1), stepper)
    stepper.seek(len(stepper))
    assert goal.met(Event("moved", number=5), stepper)
    assert not goal.met(Event("select", "d"), stepper)  # only a move counts
    assert Goal.parse("step").met(Event("moved", number=1), stepper)
    assert not Goal.parse("step").met(Event("moved", number=-1), stepper)
    assert Goal.parse("end").met(Event("moved"), stepper)
    assert not Goal.parse("start").met(Event("moved"), stepper)


def test_action_goals() -> None:
    assert Goal.parse("nudge x").met(Event("nudge", "x down"))
    assert Goal.parse("nudge x up").met(Event("nudge", "x up"))
    assert not Goal.parse("nudge x up").met(Event("nudge", "x down"))
    assert not Goal.parse("nudge x").met(Event("nudge", "x1 up"))
    assert Goal.parse("select a").met(Event("select", "a"))
    assert not Goal.parse("select a").met(Event("details", "a"))
    assert Goal.parse("answer 2").met(Event("answer", number=3))
    assert not Goal.parse("answer 4").met(Event("answer", number=3))
    assert Goal.parse("train 10").met(Event("train", number=10))
    assert not Goal.parse("train 10").met(Event("train", number=9))
    assert Goal.parse("accuracy 100").met(Event("accuracy", number=1.0))
    assert not Goal.parse("accuracy 100").met(Event("accuracy", number=0.99))
    assert Goal.parse("zero_grad off").met(Event("zero_grad", "off"))
    assert not Goal.parse("zero_grad off").met(Event("zero_grad", "on"))
    assert Goal.parse("restart").met(Event("restart"))


# --- the goal line says what the page says ----------------------------------------------------


def test_every_bundled_page_names_a_key_that_meets_its_goal_and_its_goal_line_names_it() -> None:
    """One source of truth: the goal line lists the keys the page's text tells the learner
    to press, among those that meet the goal; a page naming none is an error."""
    from tui.lessons.lesson import bundled_lessons

    for lesson in bundled_lessons():
        for number, page in enumerate(lesson.pages, 1):
            if page.goal is None:
                continue
            keys = page_keys(page.goal, page.text)
            assert keys, f"{lesson.key} page {number}: no key in its text meets {page.goal}"
            assert set(keys) <= set(page.goal.keys())
            line = page.goal.describe(keys)
            assert line.endswith(f"({' or '.join(keys)})"), (lesson.key, number, line)


def test_the_issues_contradictions_are_gone() -> None:
    """Lesson 2 page 6 says press space, not f; lesson 4 page 4 escape, then space; lesson 1
    page 5 press u: each goal line says the same key."""
    from tui.lessons.lesson import bundled_lessons

    lessons = bundled_lessons()
    for (lesson, page), key in {(2, 6): "space", (4, 4): "space", (1, 5): "u"}.items():
        shown = lessons[lesson - 1].pages[page - 1]
        line = shown.goal.describe(page_keys(shown.goal, shown.text))
        assert line.endswith(f"({key})"), line
    assert page_keys(Goal.parse("end"), "Press space, not f: f skips the quiz.") == ("space",)
    assert page_keys(Goal.parse("end"), "Press escape, then space.") == ("space",)
    assert page_keys(Goal.parse("end"), "Read this. Then press g.") == ()
    assert Goal.parse("end").describe() == "the end of both passes (f or end or space or →)"
