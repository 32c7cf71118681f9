"""What a lesson page asks the learner to do, and whether they have done it.

A page's ``do`` is one short phrase (``backward d``, ``nudge x``, ``answer 6``); the app
reports what happens (an ``Event``) and the page moves on when its goal is met. Plain
Python: the app, the tests and ``micrograd-tui learn --check`` read it alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from micrograd.fmt import fmt_number
from micrograd.formulas import node_names
from micrograd.stepper import Stepper
from micrograd.value import Value, topological_order

#: Every goal a page may set: its words, what it needs after them, and what it means.
GOALS: dict[str, tuple[str, str]] = {
    "step": ("", "take a step (space or →)"),
    "forward": ("NAME", "reach NAME's forward step"),
    "backward": ("[NAME]", "reach NAME's backward step (alone: the first backward step)"),
    "grad": ("NAME", "reach the step that completes NAME's grad"),
    "end": ("", "reach the end of the timeline"),
    "start": ("", "go back to the start of the timeline"),
    "select": ("NAME", "select the node NAME"),
    "details": ("NAME", "open NAME's details (enter)"),
    "nudge": ("NAME [up|down]", "nudge the leaf NAME ([ or ])"),
    "quiz": ("on|off", "turn the quiz on or off (t)"),
    "answer": ("N", "answer N quiz questions"),
    "check": ("", "run the gradient check (g)"),
    "bug": ("equals|order|zero_grad|off", "switch one of the video's backward bugs on, or off (B)"),
    "collapse": ("", "collapse or expand a group (c)"),
    "view": ("network|graph", "show the network view or the graph (v)"),
    "zoom": ("full|compact|overview|fit", "zoom the graph to a level (z, Z, o, 0)"),
    "train": ("N", "reach training step N"),
    "accuracy": ("P", "reach an accuracy of P% on the training screen"),
    "zero_grad": ("on|off", "switch zero_grad on or off (z)"),
    "restart": ("", "restart the training (r)"),
    "sample": ("", "open a sample's loss graph from the training screen (enter)"),
}

#: The keys that meet a goal, the usual one first (``Goal.keys`` adds the cases that depend
#: on the goal's words: ``backward`` alone, ``nudge ... up``, each zoom level).
GOAL_KEYS: dict[str, tuple[str, ...]] = {
    "step": ("space", "→"), "forward": ("space", "→"), "backward": ("space", "→"),
    "grad": ("space", "→"), "end": ("f", "end", "space", "→"), "start": ("u", "home", "r"),
    "select": ("/",), "details": ("enter",), "nudge": ("]", "["), "quiz": ("t",),
    "answer": ("space", "enter"), "check": ("g",), "collapse": ("c", "C"), "view": ("v",),
    "zoom": ("z", "Z", "o", "0"), "train": ("space", "a"), "accuracy": ("a",),
    "zero_grad": ("z",), "restart": ("r",), "sample": ("enter",), "bug": ("B",),
}

#: The nudge step h every lesson's numbers are worked out for (the app's h when it opens).
LESSON_H = 0.01

#: Goals met on the training screen; the rest are met in the explorer.
TRAINING_GOALS = frozenset({"train", "accuracy", "zero_grad", "restart", "sample"})
#: Goals met by moving along the explorer's timeline.
TIMELINE_GOALS = frozenset({"step", "forward", "backward", "grad", "end", "start"})


class GoalError(ValueError):
    """A ``do`` phrase that is not a goal; the message says why in one line."""


@dataclass(frozen=True)
class Event:
    """Something the learner did, as the app reports it.

    ``kind`` is ``moved`` (the timeline), ``select``, ``details``, ``nudge``, ``quiz``,
    ``answer``, ``check``, ``bug``, ``collapse``, ``view``, ``zoom``, ``train``, ``zero_grad``,
    ``restart`` or ``sample``.
    ``name`` is a node's name, ``on``/``off``, or ``up``/``down`` after a nudge's node
    (``x up``); ``number`` a count (answers given, the training step) or an accuracy (0..1).
    """

    kind: str
    name: str = ""
    number: float = 0.0


@dataclass(frozen=True)
class Goal:
    """One parsed ``do`` phrase: ``backward d`` is ``Goal('backward', 'd')``."""

    kind: str
    name: str = ""
    number: float = 0.0

    @classmethod
    def parse(cls, text: str) -> Goal:
        """Read a ``do`` phrase, or raise GoalError naming what is wrong. What may follow
        the goal's word is its usage in ``GOALS``."""
        words = text.split()
        if not words:
            raise GoalError("an empty 'do' (leave it out for a page the learner just reads)")
        kind, rest = words[0], words[1:]
        if kind not in GOALS:
            raise GoalError(f"unknown goal {kind!r} (goals: {', '.join(GOALS)})")
        takes = GOALS[kind][0]
        usage = f"'{kind} {takes}'"
        if takes == "":
            if rest:
                raise GoalError(f"{text!r}: {kind!r} takes nothing after it")
            return cls(kind)
        if takes == "[NAME]" and not rest:
            return cls(kind)
        if "|" in takes and "[" not in takes:  # one of a few words: on|off, network|graph
            choices = takes.split("|")
            if len(rest) != 1 or rest[0] not in choices:
                raise GoalError(f"{text!r}: write " + " or ".join(
                    f"'{kind} {choice}'" for choice in choices))
            return cls(kind, rest[0])
        if takes in {"N", "P"}:
            if len(rest) != 1:
                raise GoalError(f"{text!r}: write {usage}")
            number = rest[0].removesuffix("%") if takes == "P" else rest[0]
            if not re.fullmatch(r"[0-9]{1,9}", number) or int(number) < 1:
                raise GoalError(f"{text!r}: {rest[0]!r} is not a whole number of 1 or more")
            if takes == "P" and int(number) > 100:
                raise GoalError(f"{text!r}: an accuracy is at most 100%")
            return cls(kind, number=int(number))
        if takes == "NAME [up|down]" and len(rest) == 2 and rest[1] in {"up", "down"}:
            return cls(kind, rest[0], 1 if rest[1] == "up" else -1)
        if len(rest) != 1:
            raise GoalError(f"{text!r}: write {usage}")
        return cls(kind, rest[0])

    @property
    def on_training_screen(self) -> bool:
        return self.kind in TRAINING_GOALS

    def keys(self) -> tuple[str, ...]:
        """Every key that meets the goal (as a page's text writes it), the usual one first.

        >>> Goal.parse('end').keys()
        ('f', 'end', 'space', '→')
        """
        kind, name = self.kind, self.name
        if kind == "backward" and not name:
            return ("b", "space", "→")
        if kind == "nudge":
            return {1: ("]",), -1: ("[",)}.get(int(self.number), ("]", "["))
        if kind == "zoom":
            return {"full": ("Z",), "compact": ("z", "Z"), "overview": ("o",),
                    "fit": ("0",)}.get(name, ())
        return GOAL_KEYS[kind]

    def describe(self, keys: tuple[str, ...] | None = None) -> str:
        """What the page waits for, in a few words (the lesson panel's last line), with the
        keys that meet it: ``keys`` (those the page's text names, see ``page_keys``), or
        else every key that does."""
        name = self.name
        words = {
            "step": "a step",
            "forward": f"the step that computes {name}",
            "backward": f"{name}'s backward step, its _backward()" if name
            else "the start of the backward pass",
            "grad": f"{name}.grad, complete",
            "end": "the end of both passes",
            "start": "the start of the forward pass",
            "select": f"{name} selected",
            "details": f"{name}'s details",
            "nudge": f"a nudge of {name}" + {1: " up", -1: " down"}.get(int(self.number), ""),
            "quiz": f"the quiz {name}",
            "answer": f"{int(self.number)} quiz answers",
            "check": "the gradient check",
            "bug": "every bug off" if name == "off" else {
                # B goes round off → equals → order → zero_grad → off: say where each is.
                "equals": "the first bug, = instead of +=",
                "order": "the second bug, backward in the wrong order",
                "zero_grad": "the third bug, no zero_grad"}.get(name, name),
            "collapse": "a neuron folded or unfolded",
            "view": "the network view" if name == "network" else "the graph",
            "zoom": {"full": "the full zoom", "compact": "the compact zoom",
                     "overview": "the overview", "fit": "the graph fitted"}.get(name, name),
            "train": f"training step {int(self.number)}",
            "accuracy": f"accuracy {int(self.number)}%",
            "zero_grad": f"zero_grad {name}",
            "restart": "a restart",
            "sample": "a sample's graph opened",
        }[self.kind]
        keys = self.keys() if keys is None else keys
        return f"{words} ({' or '.join(keys)})" if keys else words

    def check_names(self, names: dict[str, Value]) -> None:
        """Raise GoalError if the goal names a node the lesson's graph does not have, or a
        step that does not exist (the forward step of a leaf)."""
        if "NAME" not in GOALS[self.kind][0] or not self.name:
            return
        node = names.get(self.name)
        if node is None:
            known = ", ".join(list(names)[:12])
            raise GoalError(f"no node named {self.name!r} in the lesson's graph (it has {known})")
        if self.kind in {"forward", "backward"} and not node._prev:
            raise GoalError(f"{self.name!r} is a leaf: it has no {self.kind} step of its own "
                            f"(use 'grad {self.name}' for the step that completes its grad)")
        if self.kind == "nudge" and node._prev:
            raise GoalError(f"{self.name!r} is computed, not a leaf: only leaves are nudged")

    def met(self, event: Event, stepper: Stepper | None = None) -> bool:
        """Whether ``event`` does what the goal asks (``stepper``: the explorer's timeline,
        for goals about a place on it: reaching or passing that place counts)."""
        kind = self.kind
        if kind in TIMELINE_GOALS:
            if event.kind != "moved":
                return False
            if kind == "step":
                return event.number > 0
            if stepper is None:
                return False
            if kind == "start":
                return stepper.at_start
            if kind == "end":
                return stepper.at_end
            target = goal_position(self, stepper)
            return target is not None and stepper.position >= target
        if event.kind != kind:
            return False
        if kind in {"answer", "train"}:
            return event.number >= self.number
        if kind == "accuracy":
            return event.number * 100 >= self.number - 1e-9
        if kind == "nudge":
            node, _, direction = event.name.partition(" ")
            wanted = {1: "up", -1: "down"}.get(int(self.number))
            return node == self.name and (wanted is None or direction == wanted)
        return event.name == self.name


def nudge_off_the_page(h: float, leaf: str, before: float, opened: float) -> str:
    """Why a nudge by ``h`` of ``leaf`` (from ``before``; ``opened``: its value as the
    lesson opened it) is not the one a page's numbers were worked out for, or '' if it is.

    >>> nudge_off_the_page(0.01, 'a', 2.0, 2.0)
    ''
    >>> nudge_off_the_page(-0.001, 'a', 2.0, 2.0)
    "the page's numbers are for h = 0.01, not 0.001: } sets h = 0.01, u undoes the nudge"
    >>> nudge_off_the_page(0.01, 'a', 2.01, 2.0)
    "the page's numbers start from a = 2.0, not 2.01: u undoes the nudges"
    """
    if abs(h) != LESSON_H:
        way = "}" if abs(h) < LESSON_H else "{"
        return (f"the page's numbers are for h = {fmt_number(LESSON_H)}, not "
                f"{fmt_number(abs(h))}: {way} sets h = {fmt_number(LESSON_H)}, u undoes the nudge")
    if before != opened:
        return (f"the page's numbers start from {leaf} = {fmt_number(opened)}, not "
                f"{fmt_number(before)}: u undoes the nudges")
    return ""


def keys_pressed(text: str) -> list[str]:
    """The keys a page's text tells the learner to press, in order: the words after each
    "press" up to the end of its clause (``.``, ``:`` or ``;``), leaving out one after
    "not" (``press space, not f``).

    >>> keys_pressed("Press end (or the f key): both passes. Then press escape, then ].")
    ['end', '(', 'or', 'the', 'f', 'key', ')', 'escape', ',', 'then', ']']
    >>> keys_pressed("Press space, not f: f skips the quiz.")
    ['space', ',']
    """
    found: list[str] = []
    for clause in re.findall(r"\b[Pp]ress\s+(.*?)(?=[.:;](?:\s|$)|$)", text, flags=re.S):
        words = re.findall(r"[\w+\-]+|[^\w\s]", clause)
        found += [w for k, w in enumerate(words) if not (k and words[k - 1] == "not")
                  and w != "not"]
    return found


def page_keys(goal: Goal, text: str) -> tuple[str, ...]:
    """The keys that meet ``goal`` which the page's ``text`` tells the learner to press, in
    the text's order: the page's goal line names these, so it says what the text says.
    Empty when the text names none (a test holds every bundled page to naming one).

    >>> page_keys(Goal.parse('end'), "Press space, not f: f skips the quiz.")
    ('space',)
    >>> page_keys(Goal.parse('start'), "Press u to put x back to 3.0.")
    ('u',)
    """
    meets = goal.keys()
    named: list[str] = []
    for word in keys_pressed(text):
        if word in meets and word not in named:
            named.append(word)
    return tuple(named)


def names_in(output: Value) -> dict[str, Value]:
    """Each node of the graph by the name the explorer shows for it (a label, ``#k``, a
    constant's value); the first node wins a name two share."""
    found: dict[str, Value] = {}
    for node, name in node_names(topological_order(output)).items():
        found.setdefault(name, node)
    return found


def goal_position(goal: Goal, stepper: Stepper) -> int | None:
    """The timeline position a ``forward``, ``backward`` or ``grad`` goal asks for (the
    position just after that step), or None if the graph has no such step."""
    forward = stepper.forward_steps
    if goal.kind == "backward" and not goal.name:
        return forward + 1
    node = node_named(goal.name, stepper)
    if node is None:
        return None
    index = {op: i for i, op in enumerate(stepper.ops)}
    if goal.kind == "forward":
        return index[node] + 1 if node in index else None
    if goal.kind == "backward":
        return forward + 1 + (forward - index[node]) if node in index else None
    # grad: the last backward step that adds to the node's grad (the seed, for the output)
    if node is stepper.root:
        return forward + 1
    users = [index[op] for op in stepper.ops if any(p is node for p in op._prev)]
    return forward + 1 + (forward - min(users)) if users else None


def node_named(name: str, stepper: Stepper) -> Value | None:
    """The node the explorer shows as ``name``, or None."""
    for node, shown in stepper.names.items():
        if shown == name:
            return node
    return None
