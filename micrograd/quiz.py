"""Test yourself: before a backward step is shown, say what each operand's grad will be.

The explorer's quiz mode asks a ``Question`` before each backward step, reads the learner's
answers with the expression language (so ``-3 * -2`` is a fine answer, and nothing typed is
ever executed) and marks each one. Right means within 1e-3 of the true value, relatively
(the numbers on screen have four significant digits).

    >>> from micrograd import Value
    >>> from micrograd.stepper import Stepper
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> e = a * b; e.label = 'e'
    >>> s = Stepper(e); s.seek(2)
    >>> q = question(s)
    >>> [(ask.name, ask.before) for ask in q.asks]
    [('a', 0.0), ('b', 0.0)]
    >>> [v.right for v in q.check({'a': read_answer('-3'), 'b': read_answer('2 * 1')})]
    [True, True]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from micrograd.expr import ExprError, evaluate
from micrograd.fmt import fmt_number
from micrograd.ops import OPS
from micrograd.stepper import BackwardStep, Stepper
from micrograd.value import CONSTANT

#: How close an answer must be: relative, and absolute for answers near 0.
REL_TOL, ABS_TOL = 1e-3, 1e-6


@dataclass(frozen=True)
class Ask:
    """One grad to predict: its name, its value now, and its value after the step."""

    name: str
    before: float
    expected: float


@dataclass(frozen=True)
class Verdict:
    """One answer, marked."""

    name: str
    given: float
    expected: float

    @property
    def right(self) -> bool:
        return is_right(self.given, self.expected)

    def text(self) -> str:
        """``a.grad = 6.0 ✓`` or ``a.grad: you said 5.0, it is 6.0 ✗``."""
        if self.right:
            return f"{self.name}.grad = {fmt_number(self.expected)} ✓ right"
        return (f"{self.name}.grad: you said {fmt_number(self.given)}, "
                f"it is {fmt_number(self.expected)} ✗")


def marks(verdicts: list[Verdict], right: int, asked: int) -> str:
    """The marks of one question and the score so far, as one short line for the step log
    (the step under it is the working): ``quiz 1/2: d.grad = -2.0 ✓ · f.grad = 4.0 ✗
    (you: 2.0)``. Short, so that it and the whole step fit a small log.

    >>> marks([Verdict('d', -2.0, -2.0), Verdict('f', 2.0, 4.0)], 1, 2)
    'quiz 1/2: d.grad = -2.0 ✓ · f.grad = 4.0 ✗ (you: 2.0)'
    """
    parts = [f"{v.name}.grad = {fmt_number(v.expected)} "
             + ("✓" if v.right else f"✗ (you: {fmt_number(v.given)})") for v in verdicts]
    return f"quiz {right}/{asked}: " + " · ".join(parts)


@dataclass(frozen=True)
class Question:
    """What to predict before the step that leads to ``position``."""

    position: int
    prompt: str
    asks: tuple[Ask, ...]
    working: tuple[str, ...]  # the step's own lines: the answer, worked out

    def check(self, answers: dict[str, float]) -> list[Verdict]:
        """Mark the answers, one per ask (a missing answer counts as nan: wrong)."""
        return [Verdict(ask.name, answers.get(ask.name, math.nan), ask.expected)
                for ask in self.asks]


def is_right(given: float, expected: float) -> bool:
    """Within 1e-3 relatively (1e-6 absolutely near 0); inf and nan must match exactly."""
    if math.isnan(expected):
        return math.isnan(given)
    if math.isinf(expected):
        return given == expected
    return math.isclose(given, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def question(stepper: Stepper) -> Question | None:
    """The question for the Stepper's next step, or None if it is not a backward step or
    only passes gradient to constants (the same rule as any operand: not asked, to keep
    the questions about the graph's own variables), or if a custom op takes it (its rule is
    code the quiz cannot see).

    The step is taken and undone to learn its numbers: the Stepper's undo is exact, so
    nothing changes.
    """
    if stepper.position < stepper.forward_steps or stepper.at_end:
        return None
    record = stepper.step()
    stepper.back()
    if not isinstance(record, BackwardStep) or record.custom:
        return None
    names = stepper.names
    node = names[record.node]
    if record.seed:
        asks = (Ask(node, record.seed_before, 1.0),)
        prompt = (f"The backward pass starts at the output {node}. "
                  f"What is {node}.grad (d{node}/d{node})?")
        return Question(stepper.position + 1, prompt, asks, record.lines)
    found: dict[str, Ask] = {}
    for term in record.terms:
        if term.parent.kind == CONSTANT:
            continue
        name = names[term.parent]
        first = found.get(name)
        before = first.before if first else term.before
        found[name] = Ask(name, before, term.after)  # x*x: the grad after both terms
    if not found:
        return None
    # Everything the answer needs, so nothing has to be looked up on a covered screen.
    operands = [names[p] for p in record.node._prev]
    values = dict.fromkeys(f"{name} = {fmt_number(x)}"
                           for name, x in zip(operands, record.inputs, strict=True))
    values[f"{node} = {fmt_number(record.out)}"] = None
    prompt = (f"{node} = {OPS[record.node._op].format(*operands)}, where "
              f"{', '.join(values)}. It passes {node}.grad = {fmt_number(record.node.grad)} "
              f"back to {', '.join(found)}: what will each grad be after this step?")
    return Question(stepper.position + 1, prompt, tuple(found.values()), record.lines)


def read_answer(text: str) -> float:
    """A typed answer as a number: ``6``, ``-3.0 * -2``, ``1 - 0.7071**2``. Parsed by the
    expression language, never executed; raises ``ValueError`` saying what is wrong."""
    text = text.strip()
    if not text:
        raise ValueError("type a number (or a sum like -3 * -2)")
    if "\n" in text or ";" in text or "=" in text:
        raise ValueError("one number or arithmetic, like -3 * -2")
    try:
        program = evaluate(f"answer = {text}")
    except ExprError as error:
        if error.message.startswith("unknown name"):  # a name: the answer must be a number
            raise ValueError(f"{text!r} is not a number; type the value, like -3 * -2") from None
        raise ValueError(f"not a number: {error.message}") from None
    if len(program.names) != 1:
        raise ValueError("one number or arithmetic, like -3 * -2")
    return program.output.data
