"""The explorer's two experiments on a graph: a bug of the video's switched on (``B``), and
a leaf given a value of the learner's choosing (``s``).

A mixin of the explorer screen, so ``tui/screens/explorer.py`` stays the timeline's. The math
is the engine's: ``micrograd.bugs`` takes the buggy steps, ``micrograd.stepper.recompute`` the
new values; here are only the keys, the palette's words and what the step log and the header
say.
"""

from __future__ import annotations

from micrograd.bugs import BUGS, BuggyStepper, next_bug
from micrograd.errors import MathError
from micrograd.fmt import fmt_number
from micrograd.stepper import Stepper, recompute
from tui.lessons.goals import Event
from tui.widgets.dag_canvas import DagCanvas
from tui.widgets.step_log import StepLog


def bug_title(bug: str | None) -> str:
    """What the header adds while a bug is on: `` · bug: = instead of +=``."""
    return f" · bug: {BUGS[bug].name}" if bug else ""


class Experiments:
    """``B`` (the bug switch) and ``s`` (set a value). Expects the explorer's ``stepper``,
    ``program``, ``_restart_timeline``, ``_update_titles``, ``say`` and ``tell_lesson``."""

    #: The bug switched on (a key of ``micrograd.bugs.BUGS``), or None.
    bug: str | None = None

    def new_stepper(self) -> Stepper:
        """A fresh timeline on the graph, with the bug if one is on."""
        root = self.program.output
        return Stepper(root) if self.bug is None else BuggyStepper(root, self.bug)

    # --- the bug switch ------------------------------------------------------------------

    def action_bug_switch(self) -> None:
        """``B``: off → = instead of += → the wrong order → no zero_grad → off."""
        self.set_bug(next_bug(self.bug))

    def set_bug(self, bug: str | None) -> None:
        """Switch ``bug`` on (None: off). A backward pass under way starts again from its
        seed, so the learner watches it with the bug (or without): the forward pass is the
        same either way, and only there does the timeline stay where it was."""
        if bug is not None and bug not in BUGS:
            raise ValueError(f"unknown bug {bug!r}")
        stepper = self.stepper
        position = min(stepper.position, stepper.forward_steps + 1)
        was = self.bug
        self.bug = bug
        try:
            self.new_stepper()  # refuses a graph with an op of the learner's own
        except ValueError as error:
            self.bug = was
            self.say(str(error), severity="warning")
            return
        self.autoplay = False
        self._restart_timeline(position)
        self._update_titles()
        if bug is None:
            note = "bug off: the true backward pass again · B switches one on"
        else:
            note = f"bug on: {BUGS[bug].name} · space or f: watch it · B: the next bug"
        self.query_one(StepLog).show(notes=[note])
        self.tell_lesson(Event("bug", bug or "off"))

    def bug_notes(self) -> list[str]:
        """At the end of a run with a bug: the grads it got wrong, each beside the true one
        (the step log shows it at every size; the node table too, where it is shown)."""
        stepper = self.stepper
        if not isinstance(stepper, BuggyStepper) or not stepper.at_end:
            return []
        wrong = [(node, true) for node in stepper.order
                 if (true := stepper.true_grad(node)) is not None]
        if not wrong:
            return [f"{stepper.bug_name}: every grad came out right on this graph"]
        shown = ", ".join(f"{stepper.names[node]}.grad {fmt_number(node.grad)} "
                          f"(true {fmt_number(true)})" for node, true in wrong[:4])
        more = f" and {len(wrong) - 4} more" if len(wrong) > 4 else ""
        return [f"the bug's grads: {shown}{more}"]

    # --- set a value ---------------------------------------------------------------------

    def action_set_value(self) -> None:
        """``s`` on a leaf: ask for its new value."""
        from tui.screens.set_value import SetValueScreen

        leaf = self.query_one(DagCanvas).selected
        name = self.stepper.names[leaf]
        if leaf._prev:
            self.say(f"{name} is computed, not a leaf: select an input, a parameter or a "
                      "constant (arrow keys in the graph) to set its value", severity="warning")
            return
        self.autoplay = False
        self.app.push_screen(SetValueScreen(name, leaf.data),
                         lambda value: self.set_value(leaf, value))

    def set_value(self, leaf, value: float | None) -> None:
        """Give ``leaf`` the ``value``: the graph computes forward again, and its grads too
        if the backward pass had begun. The value at opening is kept for ``u``."""
        if value is None:
            return
        stepper = self.stepper
        root = stepper.root
        name = stepper.names[leaf]
        old, out_before = leaf.data, root.data
        leaf.data = value
        try:
            recompute(root, stepper.order)
        except (MathError, ArithmeticError, ValueError) as error:
            leaf.data = old
            self.say(f"cannot set {name} to {fmt_number(value)}: {error}", severity="error")
            return
        backward_begun = stepper.position > stepper.forward_steps
        self._restart_timeline(None if backward_begun else stepper.forward_steps)
        out = stepper.names[root]
        redone = "forward and backward" if backward_begun else "forward"
        self.query_one(StepLog).show(notes=[
            f"set {name}: {fmt_number(old)} → {fmt_number(value)}; {out}: "
            f"{fmt_number(out_before)} → {fmt_number(root.data)} ({redone} again) · "
            "u puts it back"])
        self.tell_lesson(Event("moved"))
