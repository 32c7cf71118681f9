"""Words and numbers about one node, for a learner: what it is, what made it, where it goes.

The explorer's node details come from here, so they can be tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from micrograd.fmt import fmt_number, rule_with_value
from micrograd.ops import OPS
from micrograd.value import CONSTANT, INPUT, PARAMETER, Value


@dataclass(frozen=True)
class LocalDerivative:
    """d(node)/d(operand) at the current values, with the rule it comes from."""

    operand: Value
    rule: str
    value: float

    def text(self, name: str, operand: str, known: bool = True) -> str:
        rule = rule_with_value(self.rule, self.value)
        if not known and rule != self.rule:  # the value needs operands not computed yet
            rule = f"{self.rule} = ? (once the operands are computed)"
        return f"d{name}/d{operand}: {rule}"


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

    def name(self, node: Value) -> str:
        return self.names.get(node) or node.name

    def _grad_text(self) -> str:
        if self.node.kind == CONSTANT:
            return "— (a constant gets no gradient)"
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
            out.append("local derivatives:")
            out.extend(
                "  " + d.text(name, self.name(d.operand), self.operands_known)
                for d in self.local_derivatives
            )
        if self.error:
            out.append(self.error)
        if len(self.users) > 1:
            out.append(
                f"{name} is used {len(self.users)} times: its grad is the sum of "
                "what each use passes back."
            )
        return out


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
) -> NodeDetails:
    """Everything the explorer's details screen shows about ``node``; ``names`` says what to
    call the nodes (the Stepper's ``names``); ``computed`` and ``grad_known`` hide numbers
    the timeline has not reached yet."""
    names = names or {}
    where = {"computed": computed, "grad_known": grad_known, "operands_known": operands_known}

    def name(n: Value) -> str:
        return names.get(n) or n.name

    if not node._prev:
        kind = _LEAF_KINDS.get(node.kind, node.kind)
        return NodeDetails(node, f"{name(node)} is {kind} (a leaf)", (), tuple(users), (),
                           names=names, **where)
    op = OPS[node._op]
    formula = f"{name(node)} = {op.format(*map(name, node._prev))}"
    inputs = tuple(p.data for p in node._prev)
    try:
        values = op.local_derivatives(inputs, node.data)
    except ArithmeticError as error:
        reason = f"no local derivative here: {error}"
        return NodeDetails(node, formula, node._prev, tuple(users), (), reason, names, **where)
    derivatives = tuple(
        LocalDerivative(parent, rule, value)
        for parent, rule, value in zip(node._prev, op.rules, values, strict=True)
    )
    return NodeDetails(node, formula, node._prev, tuple(users), derivatives, names=names, **where)
