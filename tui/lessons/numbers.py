"""Every number a lesson quotes, checked against the engine.

A lesson lists its claims in ``checks`` (``"a.grad = 6.0"``, ``"f at x=3.01 = 20.1403"``,
``"accuracy after 44 steps = 100%"``); ``check_lesson`` computes each one afresh and reports
any that the engine does not give, and any number in the text that no claim, no input and
no ``given`` entry accounts for. The tests run it on every lesson, and teachers run it with
``micrograd-tui learn --check FILE``.

What a claim's left side may be:

- ``NAME``, ``NAME.data``, ``NAME.grad``: a node's value, or its grad after ``backward()``;
  ``... at x=3.01, y=2.0`` first sets those leaves; ``NAME.grad with bug equals`` is the
  grad the bug gives (``micrograd.bugs``: ``equals``, ``order``, ``zero_grad``);
- ``parameters``, ``nodes``, ``steps``: the graph's parameters (the training run's, in a
  training lesson), its nodes, the explorer's timeline length;
- ``loss after N steps``, ``accuracy after N steps``: the training screen's "now" numbers
  after N steps, ``... without zero_grad`` with zero_grad skipped;
- anything else: arithmetic on plain numbers, as ``(20.1403 - 20.0) / 0.01``.

A quoted number passes if it is what the app shows for the engine's value (``0.7071``,
``-2.0``) or that value to more decimals (``20.014003``); a percentage is the value times 100.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from micrograd.bugs import BUGS
from micrograd.expr import ExprError, evaluate
from micrograd.fmt import fmt_number
from micrograd.graph import paused_gc
from micrograd.nn import parameter_count
from micrograd.stepper import Stepper, recompute
from micrograd.train import Trainer
from micrograd.value import Parameter, topological_order
from tui.lessons.goals import names_in
from tui.lessons.lesson import Lesson

#: A number in running text: not part of a name (x1, L0.N1.w0, #5) nor of a range (2-16-1).
NUMBER_IN_TEXT = re.compile(r"(?<![\w.#\-])-?\d+(?:\.\d+)?%?")
_CLAIM = re.compile(r"^(?P<left>.+?)\s+=\s+(?P<right>-?\d+(?:\.\d+)?%?)$")
_NODE = re.compile(r"^(?P<name>[^\s=]+?)(?P<part>\.data|\.grad)?"
                   r"(?:\s+with bug\s+(?P<bug>\S+))?(?:\s+at\s+(?P<at>.+))?$")
#: A training claim may cost at most this many samples times parameters over its steps
#: (the demo's 100 steps are 3.4 million, about 7 s).
MAX_CLAIM_WORK = 30_000_000
_TRAINING = re.compile(r"^(?P<what>loss|accuracy) after (?P<steps>\d+) steps?"
                       r"(?P<without> without zero_grad)?$")


class ClaimError(ValueError):
    """A claim that cannot be computed (an unknown name, a malformed line)."""


def check_lesson(lesson: Lesson) -> list[str]:
    """What is wrong with the numbers of ``lesson``: one line for each claim the engine
    does not confirm, and for each number in the text that nothing accounts for."""
    problems: list[str] = []
    where = lesson.path.name
    trainers: dict[bool, Trainer] = {}
    for claim in lesson.checks:
        try:
            left, quoted = split_claim(claim)
            value = claim_value(lesson, left, trainers)
        except ClaimError as error:
            problems.append(f"{where}: check {claim!r}: {error}")
            continue
        if not quotes(quoted, value):
            problems.append(f"{where}: check {claim!r}: the engine gives {_shown(value, quoted)}")
    accounted = _accounted_numbers(lesson)
    for place, text in _texts(lesson):
        for match in NUMBER_IN_TEXT.finditer(text):
            if _as_float(match.group()) not in accounted:
                problems.append(f"{where}: {place} quotes {match.group()}, which no check gives "
                                "(add a check, or list it in 'given' if it is not a result)")
    return problems


def split_claim(claim: str) -> tuple[str, str]:
    """``'a.grad = 6.0'`` as ``('a.grad', '6.0')``."""
    match = _CLAIM.match(claim.strip())
    if match is None:
        raise ClaimError("write it as 'what = number', as in 'a.grad = 6.0'")
    return match["left"].strip(), match["right"]


def claim_value(lesson: Lesson, left: str, trainers: dict[bool, Trainer] | None = None) -> float:
    """The engine's number for a claim's left side (see the module's docstring)."""
    trainers = {} if trainers is None else trainers
    training = _TRAINING.match(left)
    if training:
        if lesson.training is None:
            raise ClaimError("a training claim needs a [training] table")
        zero_grad = not training["without"]
        trainer = _trained(lesson, zero_grad, int(training["steps"]), trainers)
        loss, accuracy = trainer.loss_and_accuracy()
        return loss if training["what"] == "loss" else accuracy
    if left == "parameters" and lesson.training is not None:
        return float(len(Trainer(lesson.train_config()).parameters))
    if not lesson.has_graph:
        raise ClaimError(f"{left!r}: the lesson has no graph (no 'program', no [mlp])")
    program = lesson.build()
    order = topological_order(program.output)
    if left == "parameters":
        return float(sum(isinstance(node, Parameter) for node in order))
    if left == "nodes":
        return float(len(order))
    if left == "steps":
        return float(len(Stepper(program.output)))
    node_match = _NODE.match(left)
    names = names_in(program.output)
    if node_match and node_match["name"] in names:
        for leaf_name, value in _settings(node_match["at"] or "", names):
            names[leaf_name].data = value
        node = names[node_match["name"]]
        bug = node_match["bug"]
        if bug is not None and (bug not in BUGS or node_match["part"] != ".grad"):
            raise ClaimError(f"write 'NAME.grad with bug B', B one of {', '.join(BUGS)}")
        try:
            recompute(program.output, order)
            if node_match["part"] == ".grad":
                if bug is None:
                    program.output.backward()
                else:
                    BUGS[bug].backward(program.output)
                return node.grad
        except ArithmeticError as error:  # a MathError: the graph fails at that point
            raise ClaimError(f"the graph cannot be computed there: {error}") from None
        return node.data
    try:
        return evaluate(f"value = {left}\n").output.data
    except (ExprError, ArithmeticError) as error:
        message = error.message if isinstance(error, ExprError) else str(error)
        raise ClaimError(f"{left!r} is neither a node of the lesson's graph nor arithmetic on "
                         f"numbers ({message})") from None


def quotes(quoted: str, value: float) -> bool:
    """Whether ``quoted`` is a fair quote of ``value``: what the app shows for it, or the
    value rounded to more decimals than the app shows."""
    percent = quoted.endswith("%")
    number = float(quoted.rstrip("%"))
    value = value * 100 if percent else value
    decimals = len(quoted.rstrip("%").partition(".")[2])
    shown = fmt_number(value)
    if shown.endswith(".0") and "e" not in shown:  # a whole number: any whole form of it
        return number == float(shown)
    if "e" in shown:  # tiny or huge: right to the quoted decimals, and 0 only for 0
        return abs(value - number) <= 0.5 * 10 ** -decimals and (number != 0) == (value != 0)
    needed = len(shown.partition(".")[2])
    return decimals >= needed and round(value, decimals) == number


def _shown(value: float, quoted: str) -> str:
    if quoted.endswith("%"):
        return f"{fmt_number(value * 100)}%"
    return f"{fmt_number(value)} ({value!r})"


def _settings(text: str, names: dict) -> Iterator[tuple[str, float]]:
    """``'x=3.01, y=2'`` as ``('x', 3.01), ('y', 2.0)``: leaves only."""
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, equals, number = part.partition("=")
        name = name.strip()
        if not equals or name not in names:
            raise ClaimError(f"'at {text}': write 'at LEAF=number', naming the graph's leaves")
        if names[name]._prev:
            raise ClaimError(f"'at {text}': {name!r} is computed, not a leaf")
        try:
            yield name, float(number)
        except ValueError:
            raise ClaimError(f"'at {text}': {number.strip()!r} is not a number") from None


def _trained(lesson: Lesson, zero_grad: bool, steps: int, trainers: dict[bool, Trainer]) -> Trainer:
    """The lesson's run after ``steps`` steps (one run a zero_grad setting, taken forward
    or back to the step asked for)."""
    config = dataclasses.replace(lesson.train_config(), zero_grad=zero_grad)
    work = steps * (config.batch or config.samples) * parameter_count(config.sizes)
    if work > MAX_CLAIM_WORK:
        raise ClaimError(f"{steps:,} steps of this run are too long to check ({work:,} "
                         f"sample-parameters; at most {MAX_CLAIM_WORK:,}, about a minute)")
    trainer = trainers.get(zero_grad)
    if trainer is None:
        trainer = trainers[zero_grad] = Trainer(config)
    if trainer.step > steps:
        trainer.reset()
    # The collector paused, as the training screen's worker has it: a step's graph makes no
    # reference cycles, and its passes were a third of the time (200 steps: about 2 minutes).
    with paused_gc():
        while trainer.step < steps:
            trainer.train_step()
    return trainer


def _texts(lesson: Lesson) -> Iterator[tuple[str, str]]:
    yield "the title", lesson.title
    yield "the summary", lesson.summary
    for k, page in enumerate(lesson.pages, start=1):
        yield f"page {k}", page.text


def _accounted_numbers(lesson: Lesson) -> set[float]:
    """Numbers the text may quote: every claim's, every number of the graph's source and
    options, and the lesson's ``given``."""
    pieces = [*lesson.checks, lesson.program, *lesson.given, repr(lesson.mlp),
              repr(lesson.training or {})]
    found = set()
    for piece in pieces:
        for match in NUMBER_IN_TEXT.finditer(piece):
            found.add(_as_float(match.group()))
    return found


def _as_float(text: str) -> float:
    return float(text.rstrip("%"))
