"""The notebook explorer's Python side, without any widget: the timeline on a copy of the
learner's graph, its drawing at each step, the step log, a node's details and the nudge.

The widget (``tui.notebook.widget``) only forwards clicks here and copies the results into
its traits; everything it shows is decided, and tested, here. The words are the terminal's:
the Stepper's formulas, ``micrograd.explain``'s details, ``micrograd.nudge``'s line.

    >>> from micrograd.expr import evaluate
    >>> timeline = Timeline(evaluate("a = 2.0; b = -3.0; d = a*b").output)
    >>> timeline.next()
    >>> timeline.log()[-1]
    '1 d = a * b = 2.0 * -3.0 = -6.0'
    >>> timeline.jump(3); timeline.position_text()
    'backward · step 3 of 3'
    >>> timeline.jump(4)
    Traceback (most recent call last):
    ...
    ValueError: step 4 is out of range: this graph's timeline has steps 0 to 3
"""

from __future__ import annotations

import math
import operator

from micrograd.draw import DrawingTooLargeError, Picture, draw_step
from micrograd.explain import node_details, users_of
from micrograd.moment import node_view, plural, position_text
from micrograd.nudge import nudge, slope_table
from micrograd.stepper import Stepper
from micrograd.value import Value

__all__ = ["DRAWN_UP_TO", "LOG_KEPT", "NUDGE_STEPS", "Timeline"]

#: The nudge sizes offered, as in the terminal (h = 0.01 to begin with).
NUDGE_STEPS = (0.001, 0.01, 0.1, 1.0)
#: The most nodes drawn: laying out more takes seconds in the kernel, and a picture of
#: thousands of boxes in a notebook's cell is only a texture. The step log, the details and
#: the nudge still work; ``micrograd-tui export -f svg --step K`` draws one anyway.
DRAWN_UP_TO = 3_000
#: The step log shows this many steps before the current one: every step so far on graphs
#: a learner reads, a window on big ones (the earlier steps are reached by a jump).
LOG_KEPT = 200
#: A leaf's details show its slope by nudging up to this many nodes (the graph recomputed
#: per h), as in the terminal.
SLOPES_UP_TO = 2_000


class Timeline:
    """The forward and backward pass of ``root``'s graph as steps to move through.

    ``root`` is the graph the timeline moves: pass a copy (``snapshot.copy_graph``; the
    widget does) when the learner's own Values must stay as they are.
    """

    def __init__(self, root: Value) -> None:
        self.root = root
        self.stepper = Stepper(root)
        self.order = self.stepper.order
        self.users = users_of(self.order)
        self.picture: Picture | None = None
        if len(self.order) <= DRAWN_UP_TO:
            try:
                self.picture = Picture(root)
            except DrawingTooLargeError:
                self.picture = None
        self.selected: Value | None = None
        self.h = 0.01
        #: Lines under the current step: the last nudge, or what went wrong.
        self.notes: list[str] = []
        self._texts: list[str | None] = []  # each step's log text, by position - 1
        self._slope_tables: dict[Value, tuple[str, ...]] = {}
        self._index = {node: i for i, node in enumerate(self.order)}

    # --- moving -------------------------------------------------------------------------------

    def next(self) -> None:
        self._seek(self.stepper.position + 1)

    def back(self) -> None:
        self._seek(self.stepper.position - 1)

    def start(self) -> None:
        self._seek(0)

    def backward(self) -> None:
        """To the first backward step: the output's grad seeded with 1."""
        self._seek(self.stepper.forward_steps + 1)

    def end(self) -> None:
        self._seek(len(self.stepper))

    def jump(self, step: object) -> None:
        """To step ``step`` (0 is the start). Anything but a whole number in range is
        refused with one line saying the range."""
        total = len(self.stepper)
        if isinstance(step, bool) or not isinstance(step, int | float | str):
            raise ValueError(f"a step is a whole number from 0 to {total}, not {step!r}")
        try:
            k = operator.index(step) if isinstance(step, int) else _whole(step)
        except ValueError:
            raise ValueError(
                f"a step is a whole number from 0 to {total}, not {step!r}") from None
        if not 0 <= k <= total:
            raise ValueError(f"step {k} is out of range: this graph's timeline has steps 0 "
                             f"to {total}")
        self._seek(k)

    def _seek(self, position: int) -> None:
        self.notes = []
        try:
            self.stepper.seek(position)
        except ArithmeticError as error:  # a value outside an op's domain, met going forward
            self.notes = [f"stopped at step {self.stepper.position}: {error}"]
        # A step's text never changes (its record keeps the numbers of its moment): the
        # texts of steps still in the history are kept, those undone are dropped.
        del self._texts[len(self.stepper.history):]

    # --- what is shown ------------------------------------------------------------------------

    @property
    def position(self) -> int:
        return self.stepper.position

    @property
    def total(self) -> int:
        return len(self.stepper)

    def position_text(self) -> str:
        return position_text(self.stepper)

    def svg(self) -> str:
        """The drawing at this step (``micrograd.draw.draw_step``), '' when not drawn."""
        if self.picture is None:
            return ""
        return draw_step(self.stepper, self.picture).svg

    def caption(self) -> str:
        """What the picture shows, in a line."""
        nodes = plural(len(self.order), "node")
        if self.picture is None:
            return (f"{nodes}: too many to draw well here (at most {DRAWN_UP_TO:,}); the step "
                    "log, details and nudge work. A step's picture: micrograd-tui export "
                    "-f svg --step K")
        if self.picture.compact:
            return (f"{nodes}, in compact boxes: the name and op, then data and ∇grad; "
                    "click a box for its details")
        return f"{nodes}; click a box for its details (the selected one is dashed)"

    def log(self) -> list[str]:
        """The step log: the steps so far (the last ``LOG_KEPT`` before the current one,
        with a line counting those left out), each numbered as in the terminal, the
        current one last, then its notes. At the start, the terminal's start hint."""
        stepper = self.stepper
        if stepper.at_start:
            return [f"Nothing computed yet; the output is {stepper.names[stepper.root]}.",
                    "Next computes each value in turn (forward), then passes the grads back "
                    "(backward).", *self.notes]
        history, texts = stepper.history, self._texts
        first = max(0, len(history) - 1 - LOG_KEPT)
        # Only the steps shown are formatted (a jump to the end of a long timeline formats
        # LOG_KEPT of them, not all), each once.
        texts.extend([None] * (len(history) - len(texts)))
        for k in range(first, len(history)):
            if texts[k] is None:
                texts[k] = "\n".join(history[k].lines)
        entries = [f"{plural(first, 'earlier step')}: jump back to read them"] if first else []
        entries += [f"{k + 1} {texts[k]}" for k in range(first, len(history))]
        return entries + self.notes

    # --- a node -------------------------------------------------------------------------------

    def select(self, index: object) -> None:
        """Select the node at position ``index`` (as the drawing numbers them)."""
        if isinstance(index, bool) or not isinstance(index, int) or not (
                0 <= index < len(self.order)):
            raise ValueError(f"no node {index!r}: nodes are 0 to {len(self.order) - 1}")
        self.selected = self.order[index]

    def selected_index(self) -> int:
        return -1 if self.selected is None else self._index[self.selected]

    def details(self) -> str:
        """The selected node's details, as the terminal's details screen has them."""
        node = self.selected
        if node is None:
            return ""
        stepper = self.stepper
        view = node_view(stepper, node)
        details = node_details(
            node, self.users.get(node, []), stepper.names,
            computed=view.computed,
            grad_known=view.grad_state != "none",
            operands_known=all(stepper.is_computed(p) for p in node._prev),
            contributions=stepper.contributions(node),
            slopes=self._slopes(node),
        )
        return "\n".join(details.lines())

    def _slopes(self, node: Value) -> tuple[str, ...]:
        """A leaf's slope table (the graph computed again per h), made once per leaf and
        nudge: only a nudge moves the leaves it depends on."""
        if node._prev or len(self.order) > SLOPES_UP_TO:
            return ()
        if node not in self._slope_tables:
            try:
                table = tuple(slope_table(self.root, node, order=self.order))
            except (ArithmeticError, ValueError):
                table = ()
            self._slope_tables[node] = table
        return self._slope_tables[node]

    # --- the nudge ----------------------------------------------------------------------------

    def set_h(self, h: object) -> None:
        """The nudge size: a finite number other than 0."""
        try:
            value = float(h)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValueError(f"h is a number such as 0.01, not {h!r}") from None
        if not math.isfinite(value) or value == 0 or isinstance(h, bool):
            raise ValueError(f"h is a finite number other than 0, not {h!r}")
        self.h = abs(value)

    def nudge(self, direction: int) -> str:
        """Move the selected leaf by ``direction * h``, recompute, and return the line that
        compares the output's change with grad * h. The timeline starts again and goes to
        its end: the grads of the new point, as in the terminal."""
        leaf = self.selected
        names = self.stepper.names
        if leaf is None or leaf._prev:
            which = "nothing is selected" if leaf is None else f"{names[leaf]} is computed"
            raise ValueError(f"{which}: click an input, a parameter or a constant to nudge it")
        h = self.h if direction > 0 else -self.h
        position = self.stepper.position
        try:
            result = nudge(self.root, leaf, h, self.order)
        except ArithmeticError as error:
            self._restart(position)
            raise ValueError(f"cannot nudge {names[leaf]} by {h:+g}: {error}") from None
        self._restart(None)
        line = f"nudge: {result.text(names)}"
        self.notes = [line, "timeline moved to the end: the grads of the new point"]
        return line

    def _restart(self, position: int | None) -> None:
        """A fresh Stepper on the same graph, at ``position`` (None: the end)."""
        names = self.stepper.names
        self.stepper = Stepper(self.root, names)
        self._texts = []
        self._slope_tables = {}
        self._seek(len(self.stepper) if position is None else position)


def _whole(text: float | str) -> int:
    """``'3'``, ``3.0`` -> 3; ``'x'``, ``2.5``, ``nan`` -> ValueError."""
    value = float(text)
    if not value.is_integer():
        raise ValueError(text)
    return int(value)
