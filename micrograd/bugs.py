"""The video's three backward-pass bugs, run for real.

Karpathy's video explains three ways to get backpropagation wrong. Each is a plain function
here, written the way the video's ``backward()`` is, with the bug in one line you can point
at; and ``BuggyStepper`` takes the same wrong steps one at a time, so the explorer can show
them (``B``):

- ``backward_with_equals``: ``parent.grad = ...`` where ``+=`` belongs. A node used twice
  keeps only the last contribution it got (the video's ``b = a + a`` gave ``a.grad = 1``).
- ``backward_in_creation_order``: the nodes visited in the order they were made (forward
  order) instead of reverse topological order. A node passes its grad on before its users
  have added their shares to it, so it passes on too little (often 0).
- ``backward_twice_without_zero_grad``: backward run a second time with no ``zero_grad()``
  between. Every grad keeps the first pass's value and the second pass adds onto it.

Each fixes only what its name says: the other two are done right, so each shows one bug.

    >>> from micrograd import Value
    >>> a = Value(3.0, label='a')
    >>> b = a + a
    >>> backward_with_equals(b)
    >>> a.grad  # the video's bug: should be 2.0
    1.0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from micrograd.fmt import fmt_number
from micrograd.formulas import grad_of
from micrograd.ops import table_op
from micrograd.stepper import BackwardStep, GradTerm, Stepper
from micrograd.value import Value, topological_order

EQUALS, ORDER, NO_ZERO_GRAD = "equals", "order", "zero_grad"


def local_derivatives(node: Value) -> tuple[float, ...]:
    """d(node)/d(operand) for each operand of an op node, from the op table.

    A custom op (its ``_backward`` assigned) has no derivatives we can read: its rule is code,
    which cannot be run with a bug put into it, so it is refused.
    """
    parents = node._prev
    op = table_op(node._op, len(parents))
    if op is None or node.has_custom_backward:
        raise ValueError(f"{node.name} = {node._op}(...) is an op of your own: the bug switch "
                         f"needs the op table's ops (its rules are the ones it can break)")
    return op.local(*(p.data for p in parents), node.data)


def shares(node: Value) -> list[tuple[Value, float]]:
    """(operand, local derivative) for each operand of ``node``; none for a leaf."""
    if not node._prev:
        return []
    return list(zip(node._prev, local_derivatives(node), strict=True))


def video_backward(root: Value) -> None:
    """The video's ``backward()``, right: seed the output with 1, then each node, newest
    first, adds its share to its operands' grads. Like the video's, it zeroes nothing."""
    topo = topological_order(root)
    root.grad = 1.0
    for node in reversed(topo):
        for parent, local in shares(node):
            parent.grad += local * node.grad


def zero_grad(root: Value) -> None:
    """Every grad of the graph back to 0."""
    for node in topological_order(root):
        node.grad = 0.0


def backward_with_equals(root: Value) -> None:
    """Bug 1: ``=`` instead of ``+=``. A node used twice ends with one contribution."""
    zero_grad(root)
    topo = topological_order(root)
    root.grad = 1.0
    for node in reversed(topo):
        for parent, local in shares(node):
            parent.grad = local * node.grad  # the bug: = where += belongs


def backward_in_creation_order(root: Value) -> None:
    """Bug 2: the nodes in the order they were made, not reversed. A node passes its grad on
    before its users have added to it."""
    zero_grad(root)
    topo = topological_order(root)
    root.grad = 1.0
    for node in topo:  # the bug: topo where reversed(topo) belongs
        for parent, local in shares(node):
            parent.grad += local * node.grad


def backward_twice_without_zero_grad(root: Value) -> None:
    """Bug 3: a second backward pass with no ``zero_grad()`` before it. The grads of the
    first pass stay, and the second adds onto them (an op node's too, so the leaves below
    it get more than twice their grad)."""
    zero_grad(root)
    video_backward(root)
    # the bug: zero_grad(root) belongs here
    video_backward(root)


def true_backward(root: Value) -> None:
    """The right gradients, for comparison: zero_grad, then the video's backward once."""
    zero_grad(root)
    video_backward(root)


@dataclass(frozen=True)
class Bug:
    """One of the bugs: its key, what the palette and the header call it, what it does, and
    the whole buggy backward pass as a function."""

    key: str
    name: str
    about: str
    backward: Callable[[Value], None]


BUGS: dict[str, Bug] = {
    EQUALS: Bug(EQUALS, "= instead of +=",
                "each backward line overwrites the grad: a node used twice keeps one share",
                backward_with_equals),
    ORDER: Bug(ORDER, "backward in the wrong order",
               "nodes pass their grads back in creation order, before their users have added "
               "to them", backward_in_creation_order),
    NO_ZERO_GRAD: Bug(NO_ZERO_GRAD, "no zero_grad",
                      "backward runs twice without zero_grad: the second pass adds onto the "
                      "first", backward_twice_without_zero_grad),
}


def next_bug(key: str | None) -> str | None:
    """The bug after ``key`` (None: off), for a key that cycles off → each bug → off.

    >>> next_bug(None), next_bug('equals'), next_bug('zero_grad')
    ('equals', 'order', None)
    """
    keys = [None, *BUGS]
    return keys[(keys.index(key) + 1) % len(keys)]


@dataclass(slots=True)
class BuggyBackwardStep(BackwardStep):
    """A backward step taken with a bug: its lines say what the bug did (a grad
    overwritten and the share lost, or shares not there yet)."""

    bug: str = ""
    #: (wrong order) the nodes that use this node and had not passed their shares yet
    waiting: tuple[str, ...] = ()

    def term_line(self, term: GradTerm, compact: bool = False) -> str:
        line = BackwardStep.term_line(self, term, compact)
        parent = grad_of(self.names[term.parent])
        body, sep, total = line.rpartition("   (")
        if not sep:
            return line
        if self.bug == EQUALS:
            body = body.replace(f"{parent} += ", f"{parent} = ", 1)
            if term.before != 0.0:
                arrow = f"→ {fmt_number(term.after)}"
                total = total.replace(arrow, f"{arrow}, lost {fmt_number(term.before)}", 1)
        elif self.bug == ORDER and self.waiting:
            shares = ", ".join(f"{name}'s" for name in self.waiting)
            total = (total[:-1] + f"; {grad_of(self.names[self.node])} lacks {shares} "
                     "share: not there yet)")
        return f"{body}{sep}{total}"


class BuggyStepper(Stepper):
    """The Stepper's timeline with one of the bugs in its backward pass.

    ``EQUALS``: each line sets the grad instead of adding to it. ``ORDER``: after the seed,
    the op nodes pass back in creation order. ``NO_ZERO_GRAD``: after the whole backward pass,
    a second seed and a second pass, nothing zeroed. Forward steps and undo are the Stepper's;
    at the end the grads are those of the bug's function above (the tests check it), and
    ``true_grads`` holds the right ones to show beside them.
    """

    def __init__(self, root: Value, bug: str, names: dict[Value, str] | None = None) -> None:
        if bug not in BUGS:
            raise ValueError(f"unknown bug {bug!r} (bugs: {', '.join(BUGS)})")
        super().__init__(root, names)
        self.bug = bug
        for node in self.ops:
            local_derivatives(node)  # refuse a custom op now, not mid-timeline
        if bug == NO_ZERO_GRAD:
            self.total = 3 * self.forward_steps + 2
        #: The right grads, at the end of a correct backward pass (the graph's data as now).
        self.true_grads = self._true_grads()
        self._users: dict[Value, list[Value]] = {}
        for node in self.ops:
            for parent in dict.fromkeys(node._prev):
                self._users.setdefault(parent, []).append(node)

    def _true_grads(self) -> dict[Value, float]:
        saved = [(node, node.grad) for node in self.order]
        try:
            true_backward(self.root)
            return {node: node.grad for node in self.order}
        finally:
            for node, grad in saved:
                node.grad = grad

    @property
    def bug_name(self) -> str:
        return BUGS[self.bug].name

    def true_grad(self, node: Value) -> float | None:
        """The right grad beside a wrong one: at the end of the timeline, for a node whose
        grad the bug made differ from it; None otherwise."""
        if not self.at_end:
            return None
        true = self.true_grads.get(node)
        if true is None or true == node.grad:
            return None
        return true

    def _visit(self, k: int) -> tuple[str, Value] | None:
        """What step ``k`` (from 0) does: ('forward', node), ('seed', root), ('backward',
        node), or None past the end."""
        forward = self.forward_steps
        if k >= self.total:
            return None
        if k < forward:
            return "forward", self.ops[k]
        if k == forward:
            return "seed", self.root
        i = k - forward - 1
        if self.bug == ORDER:
            return "backward", self.ops[i]  # the bug: creation order
        if self.bug == NO_ZERO_GRAD and i >= forward:
            i -= forward
            if i == 0:
                return "seed", self.root  # the second pass, without zero_grad first
            i -= 1
        return "backward", self.ops[forward - 1 - i]

    def next_node(self) -> Value | None:
        visit = self._visit(self.position)
        return None if visit is None else visit[1]

    def step(self):
        k = self.position
        visit = self._visit(k)
        if visit is None:
            return None
        what, node = visit
        if what == "forward":
            record = self._forward(node)
        elif what == "seed":
            record = self._seed()
        else:
            record = self._backward(node)
        self.history.append(record)
        self.position = k + 1
        return record

    def _backward(self, node: Value) -> BackwardStep:
        parents = node._prev
        inputs = tuple(parent.data for parent in parents)
        upstream = node.grad
        op = table_op(node._op, len(parents))
        terms = []
        for position, (parent, local) in enumerate(
                zip(parents, local_derivatives(node), strict=True)):
            before = parent.grad
            if self.bug == EQUALS:
                parent.grad = local * upstream  # the bug: = where += belongs
            else:
                parent.grad = before + local * upstream
            self._touch(parent)
            terms.append(GradTerm(parent, position, local, upstream, before, parent.grad))
        waiting: tuple[str, ...] = ()
        if self.bug == ORDER:
            # A node's users are made after it, so in creation order not one has passed its
            # share back yet: all of them are missing from the grad it passes on.
            waiting = tuple(self.names[user] for user in self._users.get(node, ()))
        return BuggyBackwardStep(node, op, tuple(terms), self.names, inputs=inputs,
                                 out=node.data, bug=self.bug, waiting=waiting)
