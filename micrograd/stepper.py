"""The Stepper: the forward and backward pass as a timeline a learner steps through.

``Value.backward()`` (in ``value.py``) does the whole backward pass at once; the Stepper does
the same work one node at a time, keeps a record of every step (what changed, from what to
what) so that each can be shown and undone, and gives the same gradients at the end. Also
here: ``recompute()``, the forward pass again on an existing graph after a leaf moved.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from micrograd.errors import MathError, MathOverflowError
from micrograd.fmt import visible_label
from micrograd.formulas import (
    custom_forward_formula,
    custom_grad_line,
    forward_formula,
    grad_line,
    node_names,
    seed_line,
)
from micrograd.ops import Op, table_op
from micrograd.value import CONSTANT, Value, topological_order


def recompute(root: Value, order: list[Value] | None = None) -> None:
    """Re-evaluate every op node from its operands, after a leaf's ``data`` changed.

    It walks the existing graph in topological order with the op table's forward functions;
    no new nodes are made. All new values are computed before any is stored, so when an op
    fails (``log`` of a value that became negative) a ``MathError`` is raised and the graph
    keeps its old values.
    """
    if order is None:
        order = topological_order(root)
    new: dict[Value, float] = {}
    for node in order:
        if node._a is None:
            continue
        parents = node._prev
        op = table_op(node._op, len(parents))
        if op is None:
            where = node_names(order)[node]
            raise ValueError(
                f"{where} = {node._op}(...) is a custom op: its value cannot be recomputed "
                f"after a leaf changes (only the op table's ops can)"
            )
        inputs = [new.get(parent, parent.data) for parent in parents]
        try:
            value = op.forward(*inputs)
            # + - * follow IEEE floats and can overflow to inf quietly; here, where a
            # nudged leaf moves the whole graph, say so instead.
            if not math.isfinite(value) and all(math.isfinite(x) for x in inputs):
                raise MathOverflowError(op.name, inputs, "the result is too large for a float")
        except MathError as error:
            where = node_names(order)[node]  # as the Stepper names it
            raise type(error)(op.name, parents, f"{error.reason} (at {where})") from None
        new[node] = value
    for node, data in new.items():
        node.data = data


# --- the Stepper -------------------------------------------------------------------------


FORWARD, BACKWARD = "forward", "backward"


@dataclass(slots=True)
class ForwardStep:
    """Computing one op node's value from its operands."""

    node: Value
    op: Op | None  # None for an op of the user's own: its value is shown, not computed
    inputs: tuple[float, ...]
    before: float
    after: float
    names: dict[Value, str] = field(repr=False, compare=False)

    @property
    def phase(self) -> str:
        return FORWARD

    @property
    def formula(self) -> str:
        """``d = a * b = 2.0 * -3.0 = -6.0``"""
        names = self.names
        operands = [names[p] for p in self.node._prev]
        if self.op is None:
            return custom_forward_formula(
                self.node._op, names[self.node], operands, self.inputs, self.after
            )
        return forward_formula(self.op, names[self.node], operands, self.inputs, self.after)

    @property
    def lines(self) -> tuple[str, ...]:
        return (self.formula,)

    @property
    def compact_lines(self) -> tuple[str, ...]:
        return self.lines


@dataclass(slots=True)
class GradTerm:
    """One operand's share of a backward step: the chain rule for one edge."""

    parent: Value
    position: int  # which operand: 0 for the first, 1 for the second
    local: float | None  # the local derivative d(node)/d(parent); None for a custom op
    upstream: float  # the node's own grad
    before: float  # parent.grad before the step
    after: float  # parent.grad after it

    @property
    def contribution(self) -> float:
        """What this term passes to the operand: ``local * upstream`` (for a custom op,
        whose rule is code we cannot see, what its ``_backward`` added)."""
        if self.local is None:
            return self.after - self.before
        return self.local * self.upstream


@dataclass(slots=True)
class BackwardStep:
    """Seeding the output's grad with 1, or passing one node's grad to its operands.

    ``inputs`` and ``out`` are the operands' values and the node's own when the step was
    taken: the numbers its formulas show.
    """

    node: Value
    op: Op | None  # None for the seed and for an op of the user's own (see ``custom``)
    terms: tuple[GradTerm, ...]
    names: dict[Value, str] = field(repr=False, compare=False)
    seed: bool = False
    seed_before: float = 0.0
    inputs: tuple[float, ...] = ()
    out: float = 0.0

    @property
    def phase(self) -> str:
        return BACKWARD

    @property
    def custom(self) -> bool:
        """Whether the node's own ``_backward`` (a custom op, the video's way) took this
        step: its lines show what it added, with no rule to write out."""
        return not self.seed and self.op is None

    def term_line(self, term: GradTerm, compact: bool = False) -> str:
        """``a.grad += de/da * e.grad = b * e.grad = -3.0 * -2.0 = 6.0   (a.grad: 0.0 → 6.0)``;
        ``compact`` leaves out ``de/da *`` (see ``formulas.grad_line``)."""
        names = self.names
        operands = [names[p] for p in self.node._prev]
        if term.local is None:
            return custom_grad_line(
                names[term.parent], names[self.node], term.contribution, term.before, term.after
            )
        return grad_line(
            self.op, term.position, names[self.node], operands, self.inputs,
            self.out, upstream=term.upstream, local=term.local, before=term.before,
            after=term.after, compact=compact, constant=term.parent.kind == CONSTANT,
        )

    @property
    def lines(self) -> tuple[str, ...]:
        if self.seed:
            return (seed_line(self.names[self.node], self.seed_before),)
        return tuple(self.term_line(term) for term in self.terms)

    @property
    def compact_lines(self) -> tuple[str, ...]:
        """The same lines without the ``de/da`` notation: for a small panel."""
        if self.seed:
            return self.lines
        return tuple(self.term_line(term, compact=True) for term in self.terms)

    @property
    def formula(self) -> str:
        return "\n".join(self.lines)


Step = ForwardStep | BackwardStep


class Stepper:
    """Forward and backward pass as a timeline of positions ``0..len(stepper)``.

    Position 0 is the start: every grad is 0 and no op node's value counts as computed.
    The forward phase has one step per op node in topological order; the backward phase
    starts with seeding the output's grad with 1, then has one step per op node in reverse
    topological order. ``step()`` moves one position on, ``back()`` one back (restoring
    exactly the state before), ``seek(k)`` moves to any position.

        >>> from micrograd import Value
        >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
        >>> d = a * b; d.label = 'd'
        >>> s = Stepper(d)
        >>> s.step().formula
        'd = a * b = 2.0 * -3.0 = -6.0'
        >>> s.step().formula
        'd.grad = dd/dd = 1.0   (d.grad: 0.0 → 1.0)'
        >>> s.step().lines[0]
        'a.grad += dd/da * d.grad = b * d.grad = -3.0 * 1.0 = -3.0   (a.grad: 0.0 → -3.0)'
    """

    def __init__(self, root: Value, names: dict[Value, str] | None = None, *,
                 order: list[Value] | None = None) -> None:
        """``order``: ``root``'s topological order, if the caller has sorted the graph
        already (a ``NumberedGraph``, the explorer opening a program): sorted once, not
        again here."""
        self.root = root
        self.order = topological_order(root) if order is None else order
        #: What the formulas call each node (see ``node_names``; an export passes its own),
        #: made to be shown: a label with control characters, tabs or line breaks in it
        #: shows them (``fmt.visible_label``), never sends them.
        self.names = node_names(self.order) if names is None else dict(names)
        for node, name in self.names.items():
            shown = visible_label(name)
            if shown is not name:
                self.names[node] = shown
        self.ops = [node for node in self.order if node._prev]
        self.forward_steps = len(self.ops)
        #: The number of steps: every op forward, the seed, every op backward.
        self.total = 2 * len(self.ops) + 1
        self.position = 0
        self.history: list[Step] = []
        self._computed: set[Value] = set()
        self._touched: dict[Value, int] = {}
        for node in self.order:
            node.grad = 0.0

    def __len__(self) -> int:
        return self.total

    # --- where we are ---------------------------------------------------------------------

    @property
    def phase(self) -> str:
        """``'forward'`` up to the end of the forward pass, ``'backward'`` after it."""
        return FORWARD if self.position <= self.forward_steps else BACKWARD

    @property
    def current(self) -> Step | None:
        """The step that led to this position, or None at the start."""
        return self.history[-1] if self.history else None

    @property
    def at_start(self) -> bool:
        return self.position == 0

    @property
    def at_end(self) -> bool:
        return self.position == self.total

    def is_computed(self, node: Value) -> bool:
        """Whether ``node``'s value is known at this position (leaves always are)."""
        return not node._prev or node in self._computed

    def grad_touched(self, node: Value) -> bool:
        """Whether ``node`` has received any gradient yet at this position."""
        return self._touched.get(node, 0) > 0

    def contributions(self, node: Value) -> list[tuple[Value, float]]:
        """What the steps so far have added to ``node.grad``, in order: (the node whose
        step passed it, the amount). The seed counts as the output passing 1 to itself."""
        found: list[tuple[Value, float]] = []
        for record in self.history:
            if isinstance(record, ForwardStep):
                continue
            if record.seed:
                if record.node is node:
                    found.append((node, 1.0))
                continue
            for term in record.terms:
                if term.parent is node:
                    found.append((record.node, term.contribution))
        return found

    def next_node(self) -> Value | None:
        """The node the next step will visit, or None at the end."""
        k = self.position
        if k < self.forward_steps:
            return self.ops[k]
        if k == self.forward_steps:
            return self.root
        if k < self.total:
            return self.ops[self.total - 1 - k]
        return None

    # --- moving ---------------------------------------------------------------------------

    def step(self) -> Step | None:
        """Take the next step and return it; None (and no change) at the end."""
        k = self.position
        if k >= self.total:
            return None
        if k < self.forward_steps:
            record: Step = self._forward(self.ops[k])
        elif k == self.forward_steps:
            record = self._seed()
        else:
            record = self._backward(self.ops[self.total - 1 - k])
        self.history.append(record)
        self.position = k + 1
        return record

    def replay(self) -> Iterator[Step]:
        """Take every remaining step and yield its record, keeping none of them: one pass
        through a long timeline in little memory (the trace of a million-node graph).
        Afterwards the Stepper is at the end with no records, so it cannot step back."""
        while self.position < self.total:
            record = self.step()
            self.history.pop()
            yield record  # type: ignore[misc]

    def back(self) -> Step | None:
        """Undo the last step exactly and return it; None (and no change) at the start."""
        if not self.history:
            return None
        record = self.history.pop()
        if isinstance(record, ForwardStep):
            record.node.data = record.before
            self._computed.discard(record.node)
        elif record.seed:
            record.node.grad = record.seed_before
            self._untouch(record.node)
        else:
            for term in reversed(record.terms):
                term.parent.grad = term.before
                self._untouch(term.parent)
        self.position -= 1
        return record

    def seek(self, position: int) -> None:
        """Move to ``position`` (clamped to ``0..len(self)``)."""
        position = max(0, min(self.total, position))
        while self.position < position:
            self.step()
        while self.position > position:
            if self.back() is None:
                break  # no records to undo (after ``replay``)

    def reset(self) -> None:
        self.seek(0)

    def finish(self) -> None:
        self.seek(self.total)

    # --- the steps themselves ---------------------------------------------------------------

    def _touch(self, node: Value) -> None:
        self._touched[node] = self._touched.get(node, 0) + 1

    def _untouch(self, node: Value) -> None:
        count = self._touched[node] - 1
        if count:
            self._touched[node] = count
        else:
            del self._touched[node]

    def _forward(self, node: Value) -> ForwardStep:
        parents = node._prev
        op = table_op(node._op, len(parents))
        inputs = tuple(parent.data for parent in parents)
        before = node.data
        if op is None:
            after = before  # an op of the user's own: its value is what they gave it
        else:
            try:
                after = op.forward(*inputs)
            except MathError as error:
                raise type(error)(op.name, parents, error.reason) from None
        node.data = after
        self._computed.add(node)
        return ForwardStep(node, op, inputs, before, after, self.names)

    def _seed(self) -> BackwardStep:
        root = self.root
        before = root.grad
        root.grad = 1.0
        self._touch(root)
        return BackwardStep(
            root, None, (), self.names, seed=True, seed_before=before, out=root.data
        )

    def _backward(self, node: Value) -> BackwardStep:
        parents = node._prev
        inputs = tuple(parent.data for parent in parents)
        upstream = node.grad
        if node.has_custom_backward:
            return self._custom_backward(node, parents, inputs, upstream)
        op = table_op(node._op, len(parents))
        if op is None:
            raise ValueError(
                f"{self.names[node]} has op {node._op!r}, which is not in the op table; "
                f"assign its _backward to say how it passes its gradient on"
            )
        locals_ = op.local(*inputs, node.data)
        terms = []
        for position, (parent, local) in enumerate(zip(parents, locals_, strict=True)):
            before = parent.grad
            parent.grad = before + local * upstream
            self._touch(parent)
            terms.append(GradTerm(parent, position, local, upstream, before, parent.grad))
        return BackwardStep(node, op, tuple(terms), self.names, inputs=inputs, out=node.data)

    def _custom_backward(
        self, node: Value, parents: tuple[Value, ...], inputs: tuple[float, ...], upstream: float
    ) -> BackwardStep:
        """Run the node's own ``_backward`` and record each operand's grad around it (once
        for an operand used twice: the function's effect on it cannot be split)."""
        distinct = list(dict.fromkeys(parents))
        before = [parent.grad for parent in distinct]
        node._backward()
        terms = []
        for parent, was in zip(distinct, before, strict=True):
            self._touch(parent)
            terms.append(GradTerm(parent, parents.index(parent), None, upstream, was, parent.grad))
        return BackwardStep(node, None, tuple(terms), self.names, inputs=inputs, out=node.data)
