"""Words and numbers about one node, for a learner: what it is, what made it, where it goes.

The explorer's node details come from here, so they can be tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from micrograd.fmt import fmt_number
from micrograd.formulas import chain, local_rule
from micrograd.ops import Op, table_op
from micrograd.value import CONSTANT, INPUT, PARAMETER, Value


@dataclass(frozen=True)
class LocalDerivative:
    """d(node)/d(operand) at the current values, with the op-table rule it comes from."""

    operand: Value
    op: Op
    position: int  # which operand
    value: float

    def text(self, node: Value, names: dict[Value, str], known: bool = True) -> str:
        """``de/da = b = -3.0``; with ``known`` False (operands not computed yet) the
        numbers are a ``?``."""
        name = names.get(node) or node.name
        operands = [names.get(p) or p.name for p in node._prev]
        if known:
            inputs = [p.data for p in node._prev]
            return local_rule(self.op, self.position, name, operands, inputs, node.data,
                              self.value)
        rule = local_rule(self.op, self.position, name, operands)
        if rule == local_rule(self.op, self.position, name, operands, value=self.value):
            return rule  # a plain number (d(a+b)/da = 1) needs no values
        return f"{rule} = ? (once the operands are computed)"


@dataclass(frozen=True)
class NodeDetails:
    node: Value
    formula: str  # 'n = #7 + b' or 'x1 is an input (a leaf)'
    operands: tuple[Value, ...]
    users: tuple[Value, ...]
    local_derivatives: tuple[LocalDerivative, ...]
    error: str = ""  # when a local derivative does not exist here
    #: What to call the nodes (the Stepper's ``names``); ``Value.name`` where missing.
    names: dict[Value, str] = field(default_factory=dict, repr=False, compare=False)
    #: Where the timeline is: has the forward pass computed this node, has a gradient
    #: reached it? A learner must not be shown numbers the timeline has not reached.
    computed: bool = True
    grad_known: bool = True
    operands_known: bool = True
    #: What each backward step so far added to this node's grad: (who passed it, amount).
    contributions: tuple[tuple[Value, float], ...] = ()
    #: Lines shown last: a leaf's slope by nudging at several h (``nudge.slope_table``).
    slopes: tuple[str, ...] = ()

    def name(self, node: Value) -> str:
        return self.names.get(node) or node.name

    def _grad_text(self) -> str:
        return fmt_number(self.node.grad, 8) if self.grad_known else "· (not reached yet)"

    def lines(self) -> list[str]:
        """The details as plain lines of text."""
        node = self.node
        name = self.name(node)
        out = [
            f"{name}  ({node.kind}{', op ' + node._op if node._op else ''})",
            f"data  {fmt_number(node.data, 8) if self.computed else '? (not computed yet)'}",
            f"grad  {self._grad_text()}",
            self.formula,
            "operands: " + (", ".join(map(self.name, self.operands)) or "none (a leaf)"),
            "used by:  " + (", ".join(map(self.name, self.users)) or "nobody (the output)"),
        ]
        if self.local_derivatives:
            names = {n: self.name(n) for n in (node, *node._prev)}
            out.append("local derivatives:")
            out.extend(
                "  " + d.text(node, names, self.operands_known) for d in self.local_derivatives
            )
        if self.error:
            out.append(self.error)
        if len(self.users) > 1:
            out.append(
                f"{name} is used {len(self.users)} times: its grad is the sum of "
                "what each use passes back (+=)."
            )
        out.extend(self._contribution_lines())
        if self.slopes:
            out.append(f"nudging {name} by h, as in the video (the slope comes closer to the "
                       "grad as h shrinks):")
            out.extend("  " + row for row in self.slopes)
        return out

    def _contribution_lines(self) -> list[str]:
        """``a.grad so far: 1.0 (from b) + 3.0 (from #1) + 3.0 (from #1) = 7.0``, and what is
        still to come, for a node that gets its grad from more than one place."""
        node, name = self.node, self.name(self.node)
        uses = len(self.users) or 1  # the output's grad comes from the seed
        received = self.contributions
        if uses < 2:  # one use: where its grad came from, or that it is still to come
            if received and self.users:
                source, amount = received[0]
                return [f"{name}.grad: {fmt_number(amount)} (from {self.name(source)}, "
                        "its only user)"]
            if self.users:
                return ["still to come: its one contribution, in the backward pass"]
            return []
        lines = []
        if received:
            total = ""
            for k, (source, amount) in enumerate(received):
                part = f"{fmt_number(abs(amount) if k else amount)} (from {self.name(source)})"
                total += part if not k else f" {'-' if amount < 0 else '+'} {part}"
            if len(received) > 1:
                total = chain(total, fmt_number(node.grad))
            lines.append(f"{name}.grad so far: {total}")
        left = uses - len(received)
        if left > 0:
            lines.append(f"still to come: {left} more "
                         f"{'contribution' if left == 1 else 'contributions'} "
                         "in the backward pass")
        return lines


_LEAF_KINDS = {INPUT: "an input", PARAMETER: "a parameter", CONSTANT: "a constant"}


def users_of(order: list[Value]) -> dict[Value, list[Value]]:
    """For every node, the nodes that take it as an operand (once per use: x*x counts twice)."""
    users: dict[Value, list[Value]] = {node: [] for node in order}
    for node in order:
        for parent in node._prev:
            users[parent].append(node)
    return users


def node_details(
    node: Value,
    users: list[Value],
    names: dict[Value, str] | None = None,
    *,
    computed: bool = True,
    grad_known: bool = True,
    operands_known: bool = True,
    contributions: list[tuple[Value, float]] | None = None,
    slopes: tuple[str, ...] = (),
) -> NodeDetails:
    """Everything the explorer's details screen shows about ``node``; ``names`` says what to
    call the nodes (the Stepper's ``names``); ``computed`` and ``grad_known`` hide numbers
    the timeline has not reached yet; ``contributions`` are what the backward steps so far
    added to its grad (``Stepper.contributions``)."""
    names = names or {}
    where = {"computed": computed, "grad_known": grad_known, "operands_known": operands_known,
             "contributions": tuple(contributions or ()), "slopes": tuple(slopes)}

    def name(n: Value) -> str:
        return names.get(n) or n.name

    if not node._prev:
        kind = _LEAF_KINDS.get(node.kind, node.kind)
        return NodeDetails(node, f"{name(node)} is {kind} (a leaf)", (), tuple(users), (),
                           names=names, **where)
    op = table_op(node._op, len(node._prev))
    if op is None or node.has_custom_backward:
        formula = f"{name(node)} = {node._op or 'op'}({', '.join(map(name, node._prev))})"
        reason = "a custom op: its own _backward passes the gradient on, and its rule is code"
        return NodeDetails(node, formula, node._prev, tuple(users), (), reason, names, **where)
    formula = f"{name(node)} = {op.format(*map(name, node._prev))}"
    inputs = tuple(p.data for p in node._prev)
    try:
        values = op.local(*inputs, node.data)
    except ArithmeticError as error:
        reason = f"no local derivative here: {error}"
        return NodeDetails(node, formula, node._prev, tuple(users), (), reason, names, **where)
    derivatives = tuple(
        LocalDerivative(parent, op, position, value)
        for position, (parent, value) in enumerate(zip(node._prev, values, strict=True))
    )
    return NodeDetails(node, formula, node._prev, tuple(users), derivatives, names=names, **where)
